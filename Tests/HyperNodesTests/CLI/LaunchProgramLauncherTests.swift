import Foundation
import Testing

@testable import HyperNodesMonitor

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Starting the program of `hypernodes monitor -- PROGRAM`: found on `PATH` or refused with a clear
/// message, started with a clean signal state in a group of its own, its output kept in order, its
/// exit reaped, signals passed on.
@Suite("Launch: the program launcher")
struct LaunchProgramLauncherTests {
    static let environment = ProcessInfo.processInfo.environment

    static func launch(_ script: String, environment: [String: String] = environment) throws -> ProgramLauncher {
        try ProgramLauncher(program: "/bin/sh", arguments: ["-c", script], environment: environment)
    }

    /// Waits for the program on a thread of its own; fails instead of hanging after 60 s.
    static func exit(of launcher: ProgramLauncher) async throws -> ProgramExit {
        let exit = try await onOwnThread { launcher.wait(timeout: 60) }
        guard let exit else {
            _ = launcher.terminate(grace: 0)
            throw HarnessError("\(launcher.program) \(launcher.arguments) did not end within 60 s")
        }
        return exit
    }

    /// Everything the launcher wrote out, as (stdout, stderr).
    static func writtenOutput(of launcher: ProgramLauncher) throws -> (String, String) {
        let directory = TemporaryDirectory("hn-launch")
        let out = directory.url.appendingPathComponent("out").path
        let err = directory.url.appendingPathComponent("err").path
        let outDescriptor = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let errDescriptor = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        defer {
            close(outDescriptor)
            close(errDescriptor)
        }
        #expect(launcher.writeOutput(output: outDescriptor, error: errDescriptor) == nil)
        return (try String(contentsOfFile: out, encoding: .utf8), try String(contentsOfFile: err, encoding: .utf8))
    }

    @Test("stdout and stderr reach the log lines and are written out per stream; the exit status is reaped")
    func outputAndStatus() async throws {
        let launcher = try Self.launch("echo out1; echo err1 >&2; printf 'out2\\nno line end'; exit 3")
        #expect(try await Self.exit(of: launcher) == .exited(3))
        let (out, err) = try Self.writtenOutput(of: launcher)
        #expect(out == "out1\nout2\nno line end")
        #expect(err == "err1\n")
        #expect(Set(launcher.takeLines()) == ["out1", "err1", "out2", "no line end"])
        #expect(launcher.takeLines().isEmpty)
    }

    @Test("output is written out in the order it came, across the two streams")
    func orderAcrossStreams() async throws {
        // Each line waits for the previous one to be read: `cat` from a fifo would be overkill, so
        // the writes are simply far apart in the program's own order and the reader keeps that order
        // for each stream; the merged order is checked on the lines of one stream each.
        let launcher = try Self.launch("for i in 1 2 3 4 5; do echo o$i; echo e$i >&2; done")
        #expect(try await Self.exit(of: launcher) == .exited(0))
        let (out, err) = try Self.writtenOutput(of: launcher)
        #expect(out == "o1\no2\no3\no4\no5\n")
        #expect(err == "e1\ne2\ne3\ne4\ne5\n")
    }

    @Test(
        "the program starts with no blocked or ignored standard signal, in a process group of its own, stdin /dev/null")
    func cleanStart() async throws {
        // Started from a task, where Foundation's Process would hand the child a blocked mask.
        let launcher = try Self.launch(
            "grep -E '^(SigBlk|SigIgn)' /proc/self/status; ps -o pgid= -p $$ | tr -d ' '; cat; echo read-done")
        #expect(try await Self.exit(of: launcher) == .exited(0))
        let (out, _) = try Self.writtenOutput(of: launcher)
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines.contains("SigBlk:\t0000000000000000"), "\(out)")
        // Signals 32 and 33 are glibc's own (thread cancellation, set*id): a program's C library sets
        // them up itself, and posix_spawn cannot name them. Every standard signal is at its default.
        let ignored = lines.first { $0.hasPrefix("SigIgn:") }.flatMap { UInt64($0.dropFirst(8), radix: 16) }
        #expect(ignored.map { $0 & 0x7FFF_FFFF } == 0, "\(out)")
        #expect(lines.contains(String(launcher.pid)), "its own process group: \(out)")
        #expect(lines.last == "read-done", "stdin is at its end at once: \(out)")
    }

    @Test("the environment switches live monitoring on, names the launcher and keeps HYPERNODES_LIVE_DIR")
    func environmentVariables() async throws {
        var base = Self.environment
        base["HYPERNODES_LIVE_DIR"] = "/tmp/hn-dir-test"
        base["HYPERNODES_LIVE"] = "0"
        let environment = ProgramLauncher.environment(base)
        let launcher = try Self.launch(
            "echo \"$HYPERNODES_LIVE $HYPERNODES_LIVE_LAUNCHER $HYPERNODES_LIVE_DIR\"", environment: environment)
        #expect(try await Self.exit(of: launcher) == .exited(0))
        let (out, _) = try Self.writtenOutput(of: launcher)
        #expect(out == "1 \(getpid()) /tmp/hn-dir-test\n")
        // A relative directory is made absolute, so the program serves where the monitor looks.
        base["HYPERNODES_LIVE_DIR"] = "relative-live"
        let current = FileManager.default.currentDirectoryPath
        #expect(
            ProgramLauncher.environment(base)["HYPERNODES_LIVE_DIR"]
                == (current == "/" ? "/relative-live" : current + "/relative-live"))
    }

    @Test("a signal passed on reaches the program's group; nothing is sent once it has ended")
    func forwarding() async throws {
        let launcher = try Self.launch("echo ready; exec sleep 60")
        // The program is running (it has written its first line) before the signal goes.
        _ = try await onOwnThread {
            let deadline = Date(timeIntervalSinceNow: 30)
            while Date() < deadline {
                if launcher.takeLines().contains("ready") { return true }
                usleep(10_000)
            }
            throw HarnessError("the program never wrote 'ready'")
        }
        #expect(getpgid(launcher.pid) == launcher.pid)
        #expect(launcher.forward(SIGINT))
        let exit = try await Self.exit(of: launcher)
        #expect(exit == .signalled(SIGINT))
        #expect(exit.status == 130)
        #expect(!launcher.forward(SIGINT))
    }

    @Test("terminate sends SIGTERM, then SIGKILL to a program that ignores it")
    func terminateEscalates() async throws {
        let launcher = try Self.launch("trap '' TERM; echo ready; while :; do sleep 1; done")
        _ = try await onOwnThread {
            let deadline = Date(timeIntervalSinceNow: 30)
            while Date() < deadline {
                if launcher.takeLines().contains("ready") { return true }
                usleep(10_000)
            }
            throw HarnessError("the program never wrote 'ready'")
        }
        let exit = try await onOwnThread { launcher.terminate(grace: 0.5) }
        #expect(exit == .signalled(SIGKILL))
    }

    @Test("output held open by a process the program left behind is still written out, without waiting for it")
    func leftBehindHolder() async throws {
        let launcher = try Self.launch("echo hi; sleep 60 & echo $!")
        #expect(try await Self.exit(of: launcher) == .exited(0))
        let (out, _) = try await onOwnThread {
            let directory = TemporaryDirectory("hn-launch")
            let path = directory.url.appendingPathComponent("out").path
            let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            defer { close(descriptor) }
            _ = launcher.writeOutput(output: descriptor, error: descriptor, timeout: 0.2)
            return (try String(contentsOfFile: path, encoding: .utf8), "")
        }
        let lines = out.split(separator: "\n")
        #expect(lines.first == "hi", "\(out)")
        if let holder = lines.last.flatMap({ pid_t($0) }) { kill(holder, SIGKILL) }
    }

    @Test("a program that is missing, not executable, a directory, or not on PATH is refused with its name")
    func refusals() throws {
        let directory = TemporaryDirectory("hn-launch")
        let plain = directory.url.appendingPathComponent("plain").path
        #expect(
            FileManager.default.createFile(
                atPath: plain, contents: Data("echo\n".utf8), attributes: [.posixPermissions: 0o644]))
        func message(_ program: String, path: String? = "/usr/bin:/bin") -> String {
            do {
                _ = try ProgramLauncher.resolve(program, searchPath: path)
                return "accepted"
            } catch {
                return error.description
            }
        }
        #expect(message("/no/such/program").contains("cannot run /no/such/program: no such file or directory"))
        #expect(message(plain).contains("cannot run \(plain): it is not executable (mode 644; chmod +x \(plain))"))
        #expect(message(directory.url.path).contains("it is a directory"))
        #expect(message("hn-no-such-command").contains("cannot run hn-no-such-command: command not found"))
        #expect(message("hn-no-such-command").contains("/usr/bin:/bin"))
        #expect(message("plain", path: directory.url.path).contains("\(plain) is not executable"))
        #expect(message("").contains("no program given"))
        #expect(try ProgramLauncher.resolve("sh", searchPath: "/no/such:/bin") == "/bin/sh")
        // Executable but not a program the system can start: the error comes from posix_spawn.
        let noShebang = directory.url.appendingPathComponent("no-shebang").path
        let written = open(noShebang, O_WRONLY | O_CREAT | O_CLOEXEC, 0o755)
        _ = write(written, [UInt8]([0x7F, 0x00, 0x01]), 3)
        close(written)
        // Another test's child may hold the file open for an instant (fork before exec): "text file busy".
        var message = ""
        for _ in 0..<50 {
            do {
                _ = try ProgramLauncher(program: noShebang, arguments: [], environment: [:])
                message = "started"
            } catch {
                message = error.description
            }
            guard message.contains("Text file busy") else { break }
            usleep(20_000)
        }
        #expect(message.contains("cannot start \(noShebang)") && message.contains("format"), "\(message)")
        #expect(throws: LaunchError.self) {
            try ProgramLauncher(program: "hn-no-such-command", arguments: [], environment: ["PATH": "/bin"])
        }
    }

    @Test("output beyond the kept limit is counted and reported, what was kept written out in order")
    func outputLimit() throws {
        let output = try ProgramOutput(limit: 10)
        for (text, stream) in [("hello\n", Int32(1)), ("world!\n", 2), ("more\n", 1)] {
            Array(text.utf8).withUnsafeBytes { output.append($0, stream: stream) }
        }
        let directory = TemporaryDirectory("hn-launch")
        let out = directory.url.appendingPathComponent("out").path
        let err = directory.url.appendingPathComponent("err").path
        let outDescriptor = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let errDescriptor = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let warning = output.write(output: outDescriptor, error: errDescriptor)
        close(outDescriptor)
        close(errDescriptor)
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "hello\n")
        #expect(try String(contentsOfFile: err, encoding: .utf8) == "worl")
        #expect(warning?.contains("the last 8 bytes the program wrote were not kept") == true, "\(warning ?? "")")
    }
}

import Foundation
import HyperNodesTrace
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A program started for the monitor (`hypernodes monitor -- PROGRAM ARGS…`).
///
/// It is started with `posix_spawn`, never Foundation's `Process` (which on Linux hands a child
/// started from a task a blocked signal mask): with an empty signal mask and every signal at its
/// default disposition, in a process group of its own (so the terminal's Ctrl-C reaches the monitor,
/// which forwards it with ``forward(_:)``), with standard input from `/dev/null` and standard output
/// and error into pipes. A thread of its own reads the pipes: every line for the log pane
/// (``takeLines()``), every byte kept to be written out after the monitor ends (``writeOutput(output:error:timeout:)``).
/// Another thread waits for the program and reaps it (``exit``).
///
/// The program learns that a monitor is waiting for it through its environment (see
/// ``environment(_:launcher:)``): `HYPERNODES_LIVE=1` switches its live server on, and
/// `HYPERNODES_LIVE_LAUNCHER` names this process, so the monitor finds the program's server even when
/// `PROGRAM` is a script that starts the real binary.
public final class ProgramLauncher: Sendable {
    /// The program as given.
    public let program: String
    /// The program's file, found on `PATH` when `program` has no slash.
    public let path: String
    /// The arguments after the program.
    public let arguments: [String]
    /// The program's process id (and the id of its process group).
    public let pid: pid_t

    private struct State {
        /// The program has ended (not necessarily reaped yet): no more signals to its group.
        var ending = false
        var exit: ProgramExit?
        /// When the program was reaped, on the monotonic clock (nanoseconds).
        var exitTime: UInt64 = 0
        /// Both pipes have ended: every byte the program wrote has been read.
        var outputEnded = false
    }

    /// How long after the program's end its output may still be read before its exit is reported
    /// without it (a process it left behind may keep the pipes open), in nanoseconds.
    static let outputGrace: UInt64 = 1_000_000_000

    private let state = Mutex(State())
    private let lines = PendingLines(limit: 10_000)
    private let output: ProgramOutput
    private let exited = DispatchSemaphore(value: 0)
    private let drained = DispatchSemaphore(value: 0)

    /// Starts `program` with `arguments` and `environment` (see ``environment(_:launcher:)``).
    ///
    /// - Throws: ``LaunchError`` when the program is not found, is not an executable file, or cannot
    ///   be started; the message names it and says why.
    public init(program: String, arguments: [String], environment: [String: String]) throws(LaunchError) {
        let path = try Self.resolve(program, searchPath: environment["PATH"])
        let output = try ProgramOutput()
        let outputPipe = try Self.makePipe(for: program)
        let errorPipe: [Int32]
        do {
            errorPipe = try Self.makePipe(for: program)
        } catch {
            outputPipe.forEach { close($0) }
            throw error
        }
        let pid: pid_t
        do {
            pid = try Self.spawn(
                path: path, argv: [program] + arguments, environment: environment, output: outputPipe[1],
                error: errorPipe[1])
        } catch {
            (outputPipe + errorPipe).forEach { close($0) }
            throw LaunchError("cannot start \(program) (\(path)): \(error.description)")
        }
        close(outputPipe[1])
        close(errorPipe[1])
        self.program = program
        self.path = path
        self.arguments = arguments
        self.pid = pid
        self.output = output

        let (outputEnd, errorEnd) = (outputPipe[0], errorPipe[0])
        let reader = Thread { [self] in readLoop(output: outputEnd, error: errorEnd) }
        reader.name = "hypernodes.launcher.output"
        reader.start()
        let waiter = Thread { [self] in waitLoop() }
        waiter.name = "hypernodes.launcher.wait"
        waiter.start()
    }

    /// `base` with live monitoring switched on for a program launched by the process `launcher`:
    /// `HYPERNODES_LIVE=1` and `HYPERNODES_LIVE_LAUNCHER=<launcher>` (`HYPERNODES_LIVE_DIR` passes
    /// through, made absolute, so a program that changes directory still serves where the monitor looks).
    public static func environment(_ base: [String: String], launcher: pid_t = getpid()) -> [String: String] {
        var environment = base
        if let directory = base["HYPERNODES_LIVE_DIR"], !directory.isEmpty {
            environment["HYPERNODES_LIVE_DIR"] = LiveDirectory.path(environment: base)
        }
        environment["HYPERNODES_LIVE"] = "1"
        environment["HYPERNODES_LIVE_LAUNCHER"] = String(launcher)
        return environment
    }

    /// The file `program` names: itself when it has a slash, else the first executable file of that
    /// name in a directory of `searchPath` (a `PATH` value; `/usr/local/bin:/usr/bin:/bin` when unset).
    ///
    /// - Throws: ``LaunchError`` naming the program when it does not exist, is a directory, is not
    ///   executable, or is not on the path.
    public static func resolve(_ program: String, searchPath: String?) throws(LaunchError) -> String {
        guard !program.isEmpty else { throw LaunchError("no program given after --", exitStatus: 127) }
        if program.contains("/") {
            if let (problem, status) = problem(with: program) {
                throw LaunchError("cannot run \(program): \(problem)", exitStatus: status)
            }
            return program
        }
        let directories = (searchPath ?? "/usr/local/bin:/usr/bin:/bin").split(
            separator: ":", omittingEmptySubsequences: false
        ).map { $0.isEmpty ? "." : String($0) }
        var notExecutable: String?
        for directory in directories {
            let candidate = directory.hasSuffix("/") ? directory + program : directory + "/" + program
            var info = stat()
            guard stat(candidate, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            if access(candidate, X_OK) == 0 { return candidate }
            notExecutable = notExecutable ?? candidate
        }
        if let notExecutable {
            throw LaunchError("cannot run \(program): \(notExecutable) is not executable (chmod +x \(notExecutable))")
        }
        throw LaunchError(
            "cannot run \(program): command not found (looked in PATH: \(directories.joined(separator: ":")))",
            exitStatus: 127)
    }

    /// Why the file at `path` cannot be run and the status a shell would give, or `nil` when it can.
    private static func problem(with path: String) -> (String, Int32)? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let missing = errno == ENOENT || errno == ENOTDIR
            return (String(cString: strerror(errno)).lowercased(), missing ? 127 : 126)
        }
        if (info.st_mode & S_IFMT) == S_IFDIR { return ("it is a directory", 126) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return ("it is not a regular file", 126) }
        guard access(path, X_OK) == 0 else {
            return ("it is not executable (mode \(String(info.st_mode & 0o7777, radix: 8)); chmod +x \(path))", 126)
        }
        return nil
    }

    /// The error of a failed system call, with its name.
    private struct SpawnFailure: Error, CustomStringConvertible {
        let description: String
    }

    /// A pipe whose two ends are closed on exec (the child gets copies as its descriptors 1 and 2).
    private static func makePipe(for program: String) throws(LaunchError) -> [Int32] {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            throw LaunchError("cannot start \(program): pipe: \(String(cString: strerror(errno)))")
        }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        return ends
    }

    private static func spawn(
        path: String, argv: [String], environment: [String: String], output: Int32, error: Int32
    ) throws(SpawnFailure) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output, 1)
        posix_spawn_file_actions_adddup2(&actions, error, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigfillset(&defaults)
        sigdelset(&defaults, SIGKILL)
        sigdelset(&defaults, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var cEnvironment: [UnsafeMutablePointer<CChar>?] =
            environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in cEnvironment { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, &attributes, &cArguments, &cEnvironment)
        guard result == 0 else { throw SpawnFailure(description: String(cString: strerror(result))) }
        return pid
    }

    // MARK: While it runs

    /// How the program ended, once it has (and has been reaped).
    public var exit: ProgramExit? {
        state.withLock { $0.exit }
    }

    /// How the program ended, once it has and its output has been read to the end (or, when a
    /// process it left behind keeps its pipes open, a second after it ended): when this is set,
    /// ``takeLines()`` has every line that came before the end.
    public var exitAfterOutput: ProgramExit? {
        state.withLock { state in
            guard let exit = state.exit else { return nil }
            if state.outputEnded || MonitorLoop.monotonicClock() &- state.exitTime >= Self.outputGrace {
                return exit
            }
            return nil
        }
    }

    /// The lines the program wrote since the last call (standard output and error as they came),
    /// oldest first; when more than 10,000 came in between, the oldest are left out and a line says
    /// how many.
    public func takeLines() -> [String] {
        lines.take()
    }

    /// Sends `signalNumber` to the program's process group; `false` (and nothing sent) once the
    /// program has ended.
    @discardableResult
    public func forward(_ signalNumber: Int32) -> Bool {
        state.withLock { state in
            guard !state.ending else { return false }
            return kill(-pid, signalNumber) == 0
        }
    }

    /// Waits for the program to end, at most `timeout` seconds (for ever when `nil`); its exit, or `nil`
    /// when it is still running.
    public func wait(timeout: Double? = nil) -> ProgramExit? {
        if let exit { return exit }
        let waited: DispatchTimeoutResult
        if let timeout {
            waited = exited.wait(timeout: .now() + timeout)
        } else {
            exited.wait()
            waited = .success
        }
        guard waited == .success else { return nil }
        exited.signal()  // for the next one waiting
        return exit
    }

    /// Ends the program: SIGTERM to its process group, then SIGKILL if it is still running after
    /// `grace` seconds. Returns how it ended.
    public func terminate(grace: Double = 3) -> ProgramExit {
        forward(SIGTERM)
        if let exit = wait(timeout: grace) { return exit }
        forward(SIGKILL)
        return wait() ?? .signalled(SIGKILL)
    }

    /// Writes everything the program printed to `output` and `error`, in the order it came, once the
    /// monitor has given the terminal back. Waits up to `timeout` seconds for the pipes to end (a
    /// process the program left running may hold them open). Returns a warning when some output was
    /// lost, else `nil`.
    public func writeOutput(output: Int32 = STDOUT_FILENO, error: Int32 = STDERR_FILENO, timeout: Double = 2)
        -> String?
    {
        if drained.wait(timeout: .now() + timeout) == .success { drained.signal() }
        return self.output.write(output: output, error: error)
    }

    // MARK: Threads

    private func readLoop(output outputPipe: Int32, error errorPipe: Int32) {
        var open: [(descriptor: Int32, stream: Int32)] = [(outputPipe, 1), (errorPipe, 2)]
        var assemblers: [Int32: LineAssembler] = [1: LineAssembler(), 2: LineAssembler()]
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while !open.isEmpty {
            var descriptors = open.map { pollfd(fd: $0.descriptor, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&descriptors, nfds_t(descriptors.count), 1000)
            if ready < 0 && errno != EINTR { break }
            guard ready > 0 else { continue }
            var ended: Set<Int32> = []
            for (pipe, polled) in zip(open, descriptors) where polled.revents != 0 {
                let count = buffer.withUnsafeMutableBytes { read(pipe.descriptor, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else {
                    ended.insert(pipe.descriptor)
                    lines.post(assemblers[pipe.stream, default: LineAssembler()].finish())
                    continue
                }
                buffer.withUnsafeBytes { bytes in
                    let chunk = UnsafeRawBufferPointer(rebasing: bytes[0..<count])
                    self.output.append(chunk, stream: pipe.stream)
                    lines.post(assemblers[pipe.stream, default: LineAssembler()].append(chunk))
                }
            }
            for pipe in open where ended.contains(pipe.descriptor) { close(pipe.descriptor) }
            open.removeAll { ended.contains($0.descriptor) }
        }
        for pipe in open { close(pipe.descriptor) }
        state.withLock { $0.outputEnded = true }
        drained.signal()
    }

    private func waitLoop() {
        // Waiting without reaping first: until the program is reaped its pid (and so its process
        // group's id) cannot be reused, so ``forward(_:)`` never signals a stranger.
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR {}
        state.withLock { $0.ending = true }
        var status: Int32 = 0
        var result: pid_t
        repeat {
            result = waitpid(pid, &status, 0)
        } while result < 0 && errno == EINTR
        let exit = result == pid ? (ProgramExit(waitStatus: status) ?? .exited(status)) : .exited(-1)
        state.withLock { state in
            state.exit = exit
            state.exitTime = MonitorLoop.monotonicClock()
        }
        exited.signal()
    }
}

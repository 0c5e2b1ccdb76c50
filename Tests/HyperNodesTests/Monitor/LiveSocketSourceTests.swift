import Foundation
import HyperNodes
import HyperNodesMonitor
import Testing

@testable import HyperNodesTrace

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The monitor's source for another process's live stream, against a live server in this process
/// over a real socket: records into the mailbox, the session told when the stream opens, a clean
/// end as "process ended", a lost connection as "disconnected", and discovery of a launched
/// program's server by the launcher's pid.
@Suite("Live socket source", .serialized)
struct LiveSocketSourceTests {
    /// Waits (on a thread of its own) until `condition` holds; false after `seconds`.
    static func wait(seconds: Double = 20, until condition: @escaping @Sendable () -> Bool) async throws -> Bool {
        try await onOwnThread {
            let deadline = Date(timeIntervalSinceNow: seconds)
            while Date() < deadline {
                if condition() { return true }
                usleep(2_000)
            }
            return condition()
        }
    }

    /// Feeds a session from `source` once its mailbox has ended; the records it delivered.
    @discardableResult
    static func drain(_ source: LiveSocketSource, into session: inout MonitorSession) async throws -> [TraceRecord] {
        #expect(try await wait { source.mailbox.finished != nil }, "the source never ended")
        _ = source.update(&session)
        let batch = source.mailbox.take()
        session.ingest(batch)
        session.tick(wallNanos: 1)
        return batch.records
    }

    static func session(_ source: MonitorSourceKind) -> MonitorSession {
        MonitorSession(source: source, options: MonitorOptions(ascii: false, color: false))
    }

    @Test("attached: the whole run streams into the session, and the server's goodbye reads 'process ended'")
    func attachedRun() async throws {
        let directory = ShortDirectory()
        let server = try LiveServer(options: liveOptions(directory))
        let record = directory.file("seen.jsonl")
        let source = try LiveSocketSource.attach(path: server.socketPath, record: record)
        var session = Self.session(.attached(pid: getpid(), program: "tests"))
        #expect(try await Self.wait { source.isConnected })
        #expect(source.update(&session))
        #expect(session.status.live == .connected)
        #expect(source.status?.pid == getpid())

        var pipeline = try nestedMapPipeline()
        pipeline.callbacks = [server]
        _ = try await pipeline.map(inputs: ["x": [[1, 2], [3, 4, 5]]], over: ["x"])
        server.close()
        let received = try await Self.drain(source, into: &session)

        #expect(source.mailbox.finished == .completed)
        #expect(session.status.live == .ended(nil))
        #expect(session.isFinished)
        #expect(session.model.issues.isEmpty, "\(session.model.issues)")
        let names = Set((0..<session.model.spanCount).map { session.model.span($0).name })
        #expect(names.isSuperset(of: ["outer", "per_value", "inner", "double", "add_one", "total"]), "\(names)")
        let frame = session.frame(width: 120, height: 30).text
        #expect(frame.contains("process ended — press q to quit"), "\(frame)")
        #expect(frame.contains("outer") && frame.contains("2/2"), "\(frame)")
        // What was received is a trace of its own.
        let recorded = try readTrace(record)
        #expect(canonical(recorded) == canonical(received))
        #expect(TraceModel(records: recorded).runs.count == 1)
    }

    @Test("attached late, halfway through a run: the run so far arrives first, and the final tree is complete")
    func attachedLate() async throws {
        let directory = ShortDirectory()
        let server = try LiveServer(options: liveOptions(directory))
        let gate = Gate(at: 5)
        var pipeline = try nestedMapPipeline(gate: gate)
        pipeline.callbacks = [server]
        let values = (0..<4).map { outer in (0..<3).map { outer * 3 + $0 } }
        let run = Task { try await pipeline.map(inputs: ["x": values], over: ["x"]) }
        #expect(try await gate.waitReached())
        let source = try LiveSocketSource.attach(path: server.socketPath)
        #expect(try await Self.wait { source.mailbox.pendingCount > 0 })
        gate.release()
        _ = try await run.value
        server.close()
        var session = Self.session(.attached(pid: getpid(), program: "tests"))
        try await Self.drain(source, into: &session)
        let model = session.model
        #expect(model.issues.isEmpty, "\(model.issues)")
        // The outer map: the first map to start.
        #expect(model.mapSpans.count == 5)
        if let map = model.mapSpans.first {
            let counts = model.mapCounts(of: map, at: .max)
            #expect(counts.total == 4 && counts.done == 4 && counts.inFlight == 0, "\(counts)")
        }
    }

    @Test("a connection that ends without the server's goodbye reads 'disconnected: connection lost …'")
    func lostConnection() async throws {
        let directory = ShortDirectory()
        let path = directory.file("1.sock")
        let listener = try Self.listen(at: path)
        defer { close(listener) }
        let source = try LiveSocketSource.attach(path: path)
        // The peer takes the request and goes away: a process killed mid-stream.
        let accepted = try await onOwnThread { accept(listener, nil, nil) }
        close(accepted)
        var session = Self.session(.attached(pid: 1, program: "gone"))
        try await Self.drain(source, into: &session)
        guard case .failed(let reason)? = source.mailbox.finished else {
            Issue.record("the source did not fail: \(String(describing: source.mailbox.finished))")
            return
        }
        #expect(reason.contains("connection lost"), "\(reason)")
        #expect(session.status.live == .disconnected(reason))
        #expect(session.frame(width: 200, height: 10).text.contains("disconnected: connection lost"))
    }

    @Test("attaching to a missing socket or one whose path is too long fails with the path and the reason")
    func attachFailures() throws {
        let directory = ShortDirectory()
        let missing = directory.file("999999.sock")
        #expect {
            _ = try LiveSocketSource.attach(path: missing)
        } throws: { error in
            "\(error)".contains(missing) && "\(error)".contains("does not exist")
        }
        let long = directory.path + "/" + String(repeating: "d", count: 120) + ".sock"
        #expect {
            _ = try LiveSocketSource.attach(path: long)
        } throws: { error in
            "\(error)".contains(long) && "\(error)".contains("107")
        }
    }

    @Test("discovery finds the server that names the launcher, and streams from it")
    func discoveryFindsLauncher() async throws {
        let directory = ShortDirectory()
        var options = liveOptions(directory)
        options.launcher = 4_000_001
        let source = LiveSocketSource.discover(in: directory.directory, launcher: 4_000_001)
        defer { source.cancel() }
        var session = Self.session(.launched(program: "tests"))
        _ = source.update(&session)
        #expect(session.status.live == .waiting(program: "tests"))
        // The server appears after the monitor started looking.
        let server = try LiveServer(options: options)
        #expect(try await Self.wait { source.isConnected })
        #expect(source.update(&session))
        #expect(session.status.live == .connected)
        #expect(source.status?.launcher == 4_000_001)
        server.close()
        #expect(try await Self.wait { source.mailbox.finished != nil })
        #expect(source.mailbox.finished == .completed)
    }

    @Test("discovery skips servers of other launchers and gives up once the program ended without serving")
    func discoveryGivesUp() async throws {
        let directory = ShortDirectory()
        let other = try LiveServer(options: liveOptions(directory))
        defer { other.close() }
        let source = LiveSocketSource.discover(in: directory.directory, launcher: 4_000_002, program: 4_000_003)
        var session = Self.session(.launched(program: "false"))
        #expect(source.mailbox.finished == nil)
        session.programEnded(.exited(1))
        _ = source.update(&session)
        #expect(try await Self.wait { source.mailbox.finished != nil })
        #expect(source.mailbox.finished == .failed("the program ended without serving its runs"))
        // The last look saw the other launcher's server and left it alone.
        #expect(!source.isConnected)
        #expect(other.clientCount == 0)
        session.ingest(source.mailbox.take())
        #expect(session.isFinished)
        #expect(session.status.live == .ended(.exited(1)))
    }

    @Test("records a server dropped for the client count in the mailbox's drops and the status bar")
    func droppedRecords() {
        let mailbox = RecordMailbox()
        mailbox.recordDropped(5)
        mailbox.recordDropped(0)
        mailbox.recordDropped(2)
        #expect(mailbox.droppedCount == 7)
        let batch = mailbox.take()
        #expect(batch.dropped == 7)
        #expect(mailbox.take().dropped == 0)
        var session = Self.session(.attached(pid: 3, program: "p"))
        session.ingest(batch)
        #expect(LiveStatusTests.statusLine(session).contains("7 dropped"))
    }

    /// A listening Unix socket at `path` (no server behind it).
    static func listen(at path: String) throws -> Int32 {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.utf8.enumerated() { buffer[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0, Glibc.listen(descriptor, 4) == 0 else {
            close(descriptor)
            throw HarnessError("cannot listen at \(path): \(String(cString: strerror(errno)))")
        }
        return descriptor
    }
}

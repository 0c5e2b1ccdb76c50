import Foundation
import HyperNodesTrace
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A `LiveConnection` streaming into memory: every message it receives, and how it closed.
final class LiveClient: Sendable {
    /// What the client has received so far.
    struct State: Sendable {
        var statuses: [LiveStatus] = []
        var records: [TraceRecord] = []
        var dropped = 0
        var problems: [TraceProblem] = []
        var sawEnd = false
        /// `nil` while open; then `""` for a clean end, else the error.
        var closed: String?
    }

    /// The lock-guarded state, shared with the connection's reader thread.
    private final class Box: Sendable {
        let state = Mutex(State())
    }

    let connection: LiveConnection
    private let box = Box()

    /// Connects to `socket` and requests the stream (saving it to `record` if given).
    init(socket: String, record: String? = nil) throws {
        connection = try LiveConnection.connect(path: socket)
        let box = box
        try connection.stream(
            record: record,
            onMessage: { message in
                box.state.withLock { state in
                    switch message {
                    case .status(let status): state.statuses.append(status)
                    case .record(let record): state.records.append(record)
                    case .dropped(let count): state.dropped += count
                    case .problem(let problem): state.problems.append(problem)
                    case .end: state.sawEnd = true
                    }
                }
            },
            onClose: { error in
                box.state.withLock { $0.closed = error.map { "\($0)" } ?? "" }
            })
    }

    /// A copy of what was received so far.
    var snapshot: State { box.state.withLock { $0 } }

    /// The model of the records received so far.
    var model: TraceModel { TraceModel(records: snapshot.records) }

    /// Waits (on a thread of its own) until `condition` holds; throws after `timeout` seconds.
    @discardableResult
    func waitFor(
        _ what: String, timeout: Double, _ condition: @escaping @Sendable (State) -> Bool
    ) async throws -> State {
        try await onOwnThread {
            let deadline = Date(timeIntervalSinceNow: timeout)
            var last = State()
            while Date() < deadline {
                last = self.snapshot
                if condition(last) { return last }
                usleep(10_000)
            }
            throw HarnessError(
                "waited \(timeout) s for \(what); received \(last.records.count) records, "
                    + "end \(last.sawEnd), closed \(last.closed ?? "no")")
        }
    }

    /// Waits until the connection has closed.
    @discardableResult
    func waitUntilClosed(timeout: Double = 30) async throws -> State {
        try await waitFor("the connection to close", timeout: timeout) { $0.closed != nil }
    }
}

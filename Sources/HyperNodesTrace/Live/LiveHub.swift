import Synchronization

/// The state a live server's two threads share, behind one lock: the
/// recent lines every streaming client takes from, each client's position
/// and drop count, and what late joiners receive.
///
/// The drain thread (which encodes events) appends lines; the socket
/// thread registers clients and copies lines into their send buffers.
/// Taking a snapshot and registering a client happen under the same lock
/// as appending, so a late joiner's snapshot and its live lines meet
/// exactly: nothing is missing and nothing comes twice.
final class LiveHub: Sendable {
    /// One streaming client's place in the shared lines.
    struct Cursor {
        /// The sequence number of the next line the client takes.
        var seq: Int
        /// Records dropped for the client and not yet reported to it.
        var dropped = 0
    }

    struct State {
        var log = LiveRecordLog()
        var retention: LiveRetention
        var cursors: [Int: Cursor] = [:]
        /// The most lines a client may have waiting before its oldest are dropped.
        let clientBuffer: Int
    }

    private let state: Mutex<State>
    /// The process as the status reports it.
    let process: TraceProcess
    let started: UInt64
    let launcher: Int32?
    private let clientTotal = Atomic<Int>(0)

    init(limits: LiveRetention.Limits, clientBuffer: Int, process: TraceProcess, started: UInt64, launcher: Int32?) {
        state = Mutex(State(retention: LiveRetention(limits: limits), clientBuffer: max(1, clientBuffer)))
        self.process = process
        self.started = started
        self.launcher = launcher
    }

    /// The number of streaming clients.
    var clientCount: Int { clientTotal.load(ordering: .relaxed) }

    func withState<Result>(_ body: (inout State) -> Result) -> Result {
        state.withLock { body(&$0) }
    }

    /// The status line as of now.
    func status(in state: State) -> LiveStatus {
        LiveStatus(
            pid: Int32(truncatingIfNeeded: process.pid), program: process.executable, arguments: process.arguments,
            started: started, clients: state.cursors.count, launcher: launcher, runs: state.retention.statusRuns)
    }

    /// The status line for a `status` request.
    func statusLine() -> [UInt8] {
        state.withLock { LiveControlLine.line(.status(status(in: $0))) }
    }

    /// Registers a streaming client and returns what it receives first:
    /// the status line and the state so far.
    func join(_ client: Int) -> [UInt8] {
        let output = state.withLock { state -> [UInt8] in
            state.cursors[client] = Cursor(seq: state.log.endSeq)
            var output = LiveControlLine.line(.status(status(in: state)))
            state.retention.snapshot(into: &output)
            return output
        }
        clientTotal.add(1, ordering: .relaxed)
        return output
    }

    /// Forgets a client.
    func leave(_ client: Int) {
        let removed = state.withLock { state -> Bool in
            guard state.cursors.removeValue(forKey: client) != nil else { return false }
            state.log.discard(before: state.cursors.values.map(\.seq).min() ?? state.log.endSeq)
            return true
        }
        if removed { clientTotal.subtract(1, ordering: .relaxed) }
    }

    /// Appends to `output` what the client takes next: a `live_dropped`
    /// line when records were dropped for it, then lines up to about
    /// `maxBytes`. Returns whether the client has taken everything.
    func take(_ client: Int, maxBytes: Int, into output: inout [UInt8]) -> Bool {
        state.withLock { state in
            guard var cursor = state.cursors[client] else { return true }
            if cursor.dropped > 0 {
                output.append(contentsOf: LiveControlLine.line(.dropped(cursor.dropped)))
                cursor.dropped = 0
            }
            let before = cursor.seq
            cursor.seq = state.log.copy(from: cursor.seq, maxBytes: maxBytes, into: &output)
            state.cursors[client] = cursor
            if before < state.log.startSeq || cursor.seq > before {
                state.log.discard(before: state.cursors.values.map(\.seq).min() ?? state.log.endSeq)
            }
            return cursor.seq >= state.log.endSeq
        }
    }
}

extension LiveHub.State {
    /// After lines were appended: clients that fell more than their buffer
    /// behind lose their oldest lines (counted), and lines every client has
    /// taken are let go. `queueDrops` events the server's own queue dropped
    /// are reported to every client.
    mutating func settle(queueDrops: Int) {
        let oldestAllowed = log.endSeq - clientBuffer
        for (client, var cursor) in cursors {
            if cursor.seq < oldestAllowed {
                cursor.dropped += oldestAllowed - cursor.seq
                cursor.seq = oldestAllowed
            }
            cursor.dropped += queueDrops
            cursors[client] = cursor
        }
        log.discard(before: cursors.values.map(\.seq).min() ?? log.endSeq)
    }
}

import Foundation
import HyperNodesTrace
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The live stream of another process's ``LiveServer``, delivered into a ``RecordMailbox``: its
/// records and unreadable lines as they come, the records the server dropped for this client as the
/// mailbox's drop count, and its end: ``SourceEnd/completed`` when the server said goodbye
/// (`live_end`, the process is ending), ``SourceEnd/failed(_:)`` with the reason when the connection
/// was lost (the process was killed, the socket went away).
///
/// ``attach(path:record:)`` connects at once (`hypernodes attach`); ``discover(in:launcher:program:record:)``
/// first looks on a thread of its own for the server of a program the monitor launched
/// (`hypernodes monitor -- PROGRAM`), by the launcher's pid its status reports. As a
/// ``MonitorFeed`` it tells the session when the stream is open and, for a launched program that
/// ended without ever serving its runs, stops looking and ends the source.
public final class LiveSocketSource: MonitorFeed, Sendable {
    /// Where the records go.
    public let mailbox: RecordMailbox

    private struct State {
        var connection: LiveConnection?
        /// The first status the server sent on the stream.
        var status: LiveStatus?
        var connected = false
        /// The launched program ended: look once more, then give up.
        var lastLook = false
        var cancelled = false
    }

    private let state = Mutex(State())
    private let record: String?
    /// How often discovery looks at the directory, in microseconds.
    static let lookInterval: useconds_t = 50_000

    private init(record: String?) {
        self.record = record
        mailbox = RecordMailbox()
    }

    /// Connects to the server at `path` and starts streaming.
    ///
    /// - Throws: ``LiveConnectionError`` naming the socket when there is no server there, nobody
    ///   listens, the path is too long for a socket, or `record` cannot be created.
    public static func attach(path: String, record: String? = nil) throws(LiveConnectionError) -> LiveSocketSource {
        let source = LiveSocketSource(record: record)
        let connection = try LiveConnection.connect(path: path)
        try source.stream(connection)
        return source
    }

    /// Looks in `directory`, on a thread of its own, for the server of the process that `launcher`
    /// started (its status names `launcher`, or its pid is `program`'s) and streams from it once found.
    public static func discover(
        in directory: LiveDirectory, launcher: Int32, program: Int32? = nil, record: String? = nil
    ) -> LiveSocketSource {
        let source = LiveSocketSource(record: record)
        let thread = Thread {
            source.look(in: directory) { status in status.launcher == launcher || status.pid == program }
        }
        thread.name = "hypernodes.live.discover"
        thread.start()
        return source
    }

    /// The status the server sent first on the stream, once it has.
    public var status: LiveStatus? {
        state.withLock { $0.status }
    }

    /// Whether the stream is open (or was, before it ended).
    public var isConnected: Bool {
        state.withLock { $0.connected }
    }

    /// Stops looking and streaming; the mailbox ends as completed if it has not ended yet.
    public func cancel() {
        let connection = state.withLock { state -> LiveConnection? in
            state.cancelled = true
            return state.connection
        }
        connection?.cancel()
        mailbox.finish(.completed)
    }

    /// Tells the session when the stream is open; stops looking for the server of a launched program
    /// that has ended.
    public func update(_ session: inout MonitorSession) -> Bool {
        let connected = state.withLock { state -> Bool in
            if session.programExit != nil && !state.connected { state.lastLook = true }
            return state.connected
        }
        if connected && !session.connected {
            session.connectionOpened()
            return true
        }
        return false
    }

    // MARK: Streaming

    private func stream(_ connection: LiveConnection) throws(LiveConnectionError) {
        let proceed = state.withLock { state -> Bool in
            guard !state.cancelled else { return false }
            state.connection = connection
            return true
        }
        guard proceed else { return }
        let mailbox = mailbox
        try connection.stream(
            record: record,
            onMessage: { [self] message in
                switch message {
                case .status(let status):
                    state.withLock { state in
                        if state.status == nil { state.status = status }
                        state.connected = true
                    }
                case .record(let record): mailbox.post(record)
                case .dropped(let count): mailbox.recordDropped(count)
                case .problem(let problem): mailbox.post(problem: problem)
                case .end: mailbox.finish(.completed)
                }
            },
            onClose: { error in
                if let error {
                    mailbox.finish(.failed(error.reason))
                } else {
                    mailbox.finish(.completed)
                }
            })
    }

    /// Looks for a server whose status `matches` until one streams, the source is cancelled, or the
    /// launched program has ended and one more look found nothing.
    private func look(in directory: LiveDirectory, matches: (LiveStatus) -> Bool) {
        var foreign: Set<String> = []
        while true {
            let (cancelled, lastLook) = state.withLock { ($0.cancelled, $0.lastLook) }
            if cancelled { return }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            for name in names.sorted() where name.hasSuffix(".sock") && !foreign.contains(name) {
                let path = directory.path + "/" + name
                guard let status = try? LiveConnection.connect(path: path).status(timeout: .milliseconds(500)) else {
                    continue  // not listening yet, or gone: looked at again next time
                }
                guard matches(status) else {
                    foreign.insert(name)
                    continue
                }
                do {
                    try stream(LiveConnection.connect(path: path))
                } catch {
                    // The program's server was found but cannot be streamed from (it went away, or the
                    // record file cannot be written): the source ends with the reason.
                    mailbox.finish(.failed(error.description))
                }
                return
            }
            if lastLook {
                mailbox.finish(.failed("the program ended without serving its runs"))
                return
            }
            usleep(Self.lookInterval)
        }
    }
}

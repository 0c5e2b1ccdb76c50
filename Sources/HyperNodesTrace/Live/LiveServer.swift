import Foundation
import HyperNodes
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Streams the events of the pipelines it is attached to over a Unix
/// socket, so `hypernodes attach` (or any ``LiveConnection``) can watch a
/// running process, late or not.
///
/// ```swift
/// let live = try LiveServer()                  // listening at <dir>/<pid>.sock
/// let pipeline = try Pipeline(nodes: [clean, count], callbacks: [live])
/// ```
/// or, without changing the program, `HYPERNODES_LIVE=1` and
/// ``fromEnvironment(_:)``. The protocol is described in
/// `docs/trace-format.md`, section "The live stream".
///
/// - **Never in the pipeline's way.** ``handle(_:context:)`` only appends
///   the event to a bounded queue; when the queue is full the event is
///   dropped and counted (clients are told), the pipeline never waits.
/// - **Encoded once.** The queue's thread turns events into trace lines
///   (exactly as ``TraceRecorder`` writes them) once for all clients, and
///   keeps what late joiners need (see ``Options``).
/// - **Slow clients only hurt themselves.** A socket thread writes to the
///   clients with non-blocking sockets; each client may fall at most
///   ``Options/clientBuffer`` records behind, beyond which its oldest
///   records are dropped and it receives a `live_dropped` line with the count.
/// - **Private.** The socket lives in a directory only the user can enter
///   (``LiveDirectory``), has mode 0600, and the server refuses a peer of
///   another user (`SO_PEERCRED`).
/// - **Cleaned up.** ``close()``, a normal exit, SIGINT and SIGTERM remove
///   the socket; clients receive what is queued and a `live_end` line.
public final class LiveServer: PipelineCallback, Sendable {
    /// What the server keeps and how.
    public struct Options: Sendable {
        /// The socket's directory; `nil`: ``LiveDirectory/resolve(environment:)``.
        public var directory: LiveDirectory? = nil
        /// The most records a client may have waiting; beyond it, its oldest
        /// undelivered records are dropped (and counted). Default 65,536.
        public var clientBuffer = 65_536
        /// The most closed spans outside map items kept for late joiners,
        /// over all runs together (oldest closed dropped first). Default 100,000.
        public var retainedSpans = 100_000
        /// The most closed map items (with everything inside them) kept for
        /// late joiners, over all runs together (oldest closed dropped first).
        /// Default 10,000.
        public var retainedItems = 10_000
        /// The most finished runs kept for late joiners. Default 8.
        public var retainedRuns = 8
        /// Whether the spans of individual map items are streamed (see
        /// ``TraceRecorder/Options/itemSpans``). Default `true`.
        public var itemSpans = true
        /// The least run time between two progress ticks of one map. Default 100 ms.
        public var progressInterval: Duration = .milliseconds(100)
        /// The most events waiting to be encoded, split evenly between the
        /// queue's 16 worker-lane shards (see `EventQueue`); when a shard is
        /// full its oldest event is dropped and counted. Default 262,144
        /// (96 bytes each: 24 MiB at most, of which a run with two workers
        /// can use an eighth).
        public var queueCapacity = 262_144
        /// Whether SIGINT and SIGTERM remove the socket (and end the stream)
        /// before ending the process, as ``TraceRecorder`` flushes. Default `true`.
        public var removeOnTerminationSignals = true
        /// The pid reported as the launcher in the status (`hypernodes monitor`
        /// sets `HYPERNODES_LIVE_LAUNCHER`, which ``LiveServer/fromEnvironment(_:)`` reads).
        public var launcher: Int32? = nil

        /// The default options.
        public init() {}
    }

    /// The socket's path.
    public let socketPath: String
    /// The options the server was created with.
    public let options: Options
    private let queue: EventQueue
    private let hub: LiveHub
    private let wake: LiveWakeSignal
    private let file: LiveSocketFile
    private let closed = Mutex(false)
    private let stopped = DispatchSemaphore(value: 0)

    /// Creates the socket and starts serving; the server is listening when this returns.
    ///
    /// - Throws: ``LiveServerError`` naming the directory or socket when the
    ///   directory is unsafe or cannot be created, the socket path is too
    ///   long, or the socket cannot be created.
    public init(options: Options = Options()) throws(LiveServerError) {
        let directory: LiveDirectory
        if let given = options.directory {
            directory = given
            try directory.prepare()
        } else {
            directory = try LiveDirectory.resolve()
        }
        let pid = getpid()
        let path = directory.socketPath(pid: pid)
        if let problem = LiveSocketAddress.problem(with: path) { throw LiveServerError(path: path, reason: problem) }
        guard let wake = LiveWakeSignal() else {
            throw LiveServerError(path: path, reason: "cannot create a pipe: \(errnoText())")
        }
        self.socketPath = path
        self.options = options
        self.wake = wake
        let file = LiveSocketFile(path: path)
        self.file = file
        hub = LiveHub(
            limits: LiveRetention.Limits(
                spans: options.retainedSpans, items: options.retainedItems, runs: options.retainedRuns),
            clientBuffer: options.clientBuffer, process: .current,
            started: UInt64(Date().timeIntervalSince1970 * 1e9), launcher: options.launcher)

        var writerOptions = TraceLineWriter.Options()
        writerOptions.itemSpans = options.itemSpans
        let interval = options.progressInterval.components
        writerOptions.progressInterval =
            UInt64(max(0, interval.seconds)) * 1_000_000_000
            + UInt64(max(0, interval.attoseconds / 1_000_000_000))
        let encoder = DrainThreadOwned(LiveBatchEncoder(writer: TraceLineWriter(options: writerOptions)))
        let queueBox = LockedValue<EventQueue?>(nil)
        let hub = self.hub
        queue = EventQueue(label: "hn.live", capacity: options.queueCapacity, overflow: .dropOldest) { batch in
            let drops = queueBox.value?.droppedCount ?? 0
            encoder.withValue { $0.deliver(batch, to: hub, queueDrops: drops) }
            wake.wake()
        }
        queueBox.value = queue

        guard LiveServerRegistry.claim(path, for: self) else {
            queue.close()
            throw LiveServerError(path: path, reason: "another live server of this process already listens here")
        }
        let listener: Int32
        do {
            listener = try Self.makeListener(at: path)
        } catch {
            LiveServerRegistry.release(path)
            queue.close()
            throw error
        }
        let stopped = self.stopped
        let thread = Thread {
            let loop = LiveServerLoop(listener: listener, hub: hub, wake: wake)
            loop.run(
                isClosing: { file.isClosing },
                onStopListening: {
                    posixClose(listener)
                    file.remove()
                })
            stopped.signal()
        }
        thread.name = "hn.live.io"
        thread.start()
        if options.removeOnTerminationSignals { TerminationFlush.register(self) }
    }

    deinit {
        close()
    }

    /// The shared server of this process when `HYPERNODES_LIVE` is set (to
    /// anything but empty or `0`), created on first use in the directory the
    /// environment names; `nil` otherwise. Its status reports
    /// `HYPERNODES_LIVE_LAUNCHER` as the launcher.
    ///
    /// - Throws: ``LiveServerError`` when the server cannot start (see ``init(options:)``).
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(LiveServerError) -> LiveServer? {
        guard let flag = environment["HYPERNODES_LIVE"], !flag.isEmpty, flag != "0" else { return nil }
        return try LiveServerRegistry.shared.withLock { (shared) throws(LiveServerError) -> LiveServer in
            if let server = shared { return server }
            var options = Options()
            options.directory = try LiveDirectory.resolve(environment: environment)
            options.launcher = environment["HYPERNODES_LIVE_LAUNCHER"].flatMap { Int32($0) }
            let server = try LiveServer(options: options)
            shared = server
            return server
        }
    }

    /// The number of clients streaming from the server.
    public var clientCount: Int { hub.clientCount }

    /// The number of events the server itself dropped because its queue was
    /// full (its thread could not keep up with the pipeline); every client
    /// is told of them with `live_dropped`.
    public var droppedEventCount: Int { queue.droppedCount }

    /// The records held for clients that have not taken them yet (bounded by
    /// ``Options/clientBuffer`` plus one chunk of lines), and their bytes.
    var heldRecords: (count: Int, bytes: Int) {
        hub.withState { ($0.log.endSeq - $0.log.startSeq, $0.log.byteCount) }
    }

    /// The lines and bytes kept for late joiners.
    var retainedSize: (lines: Int, bytes: Int) {
        hub.withState { $0.retention.size }
    }

    /// Queues the event for the clients; never waits.
    public func handle(_ event: PipelineEvent, context: CallbackContext) {
        queue.enqueue(event, context: context)
    }

    /// Stops the server: removes the socket, sends every client what is
    /// queued for it and a `live_end` line (waiting at most a second for
    /// clients that do not read), closes the connections. Later events are
    /// not streamed. Calling it again does nothing.
    public func close() {
        let first = closed.withLock { closed -> Bool in
            defer { closed = true }
            return !closed
        }
        guard first else { return }
        TerminationFlush.unregister(self)
        file.remove()
        queue.close()
        file.startClosing()
        wake.wake()
        stopped.wait()
        LiveServerRegistry.release(socketPath)
    }

    /// A listening socket at `path`, replacing a stale socket file left by an
    /// earlier process with the same pid.
    ///
    /// The socket is bound and listening under a temporary name (`<pid>.new`, which
    /// `LiveCatalog` does not list) before it is renamed to `path`: a client or
    /// `hypernodes ps` that sees the socket can connect at once, and never meets a
    /// bound socket that does not listen yet (refused, and taken for a stale one).
    private static func makeListener(at path: String) throws(LiveServerError) -> Int32 {
        let temporary = (path.hasSuffix(".sock") ? String(path.dropLast(".sock".count)) : path) + ".new"
        guard let address = LiveSocketAddress(path: temporary), LiveSocketAddress(path: path) != nil else {
            throw LiveServerError(path: path, reason: LiveSocketAddress.problem(with: path) ?? "invalid socket path")
        }
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else {
            throw LiveServerError(path: path, reason: "cannot create a socket: \(errnoText())")
        }
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        var existing = stat()
        if lstat(path, &existing) == 0 {
            guard existing.st_mode & S_IFMT == S_IFSOCK else {
                posixClose(descriptor)
                throw LiveServerError(path: path, reason: "exists and is not a socket; remove it")
            }
            // This pid is ours, so the socket is a dead process's.
            _ = unlink(path)
        }
        _ = unlink(temporary)  // left by a process with this pid that died while starting
        let bound = address.withSocketAddress { bind(descriptor, $0, $1) }
        guard bound == 0 else {
            let reason = errnoText()
            posixClose(descriptor)
            throw LiveServerError(path: path, reason: "cannot create the socket: \(reason)")
        }
        _ = chmod(temporary, 0o600)
        guard listen(descriptor, 64) == 0 else {
            let reason = errnoText()
            posixClose(descriptor)
            _ = unlink(temporary)
            throw LiveServerError(path: path, reason: "cannot listen on the socket: \(reason)")
        }
        guard rename(temporary, path) == 0 else {
            let reason = errnoText()
            posixClose(descriptor)
            _ = unlink(temporary)
            throw LiveServerError(path: path, reason: "cannot move the socket into place: \(reason)")
        }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        return descriptor
    }
}

extension LiveServer: TerminationParticipant {
    func prepareForTermination() {
        file.remove()
        close()
    }
}

import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A client of a ``LiveServer``: asks a running process for its status, or
/// receives its live stream (the state so far, then records as they
/// happen), as `hypernodes ps` and `hypernodes attach` do.
///
/// ```swift
/// let connection = try LiveConnection.connect(path: "/run/user/1000/hypernodes/4242.sock")
/// try connection.stream(record: "seen.jsonl", onMessage: { message in … }, onClose: { error in … })
/// …
/// connection.cancel()
/// ```
///
/// A connection serves one request: ``status(timeout:)`` or
/// ``stream(record:onMessage:onClose:)``.
public final class LiveConnection: Sendable {
    private enum Phase {
        case idle
        case used
        case streaming
        case done
    }

    /// The server's socket.
    public let socketPath: String
    private let descriptor: Int32
    private let phase = Mutex(Phase.idle)
    private let cancelled = Atomic<Bool>(false)

    /// A connection over `descriptor`, a socket connected to `socketPath`, which it then owns.
    init(socketPath: String, descriptor: Int32) {
        self.socketPath = socketPath
        self.descriptor = descriptor
    }

    deinit {
        // A streaming connection is kept alive by its reader, which closes the socket itself.
        posixClose(descriptor)
    }

    /// Connects to the live server listening at `path`.
    ///
    /// - Throws: ``LiveConnectionError`` naming the socket: a path too long
    ///   for a Unix socket, no socket there, nobody listening (the process
    ///   has ended), no permission.
    public static func connect(path: String) throws(LiveConnectionError) -> LiveConnection {
        switch open(path) {
        case .success(let descriptor): return LiveConnection(socketPath: path, descriptor: descriptor)
        case .failure(let failure): throw failure.error
        }
    }

    /// Why connecting failed: the error, and the system's error number when there is one.
    struct ConnectFailure: Error {
        let error: LiveConnectionError
        let code: Int32
    }

    /// A connected socket to `path`, or why there is none.
    static func open(_ path: String) -> Result<Int32, ConnectFailure> {
        if let problem = LiveSocketAddress.problem(with: path) {
            return .failure(ConnectFailure(error: LiveConnectionError(socketPath: path, reason: problem), code: 0))
        }
        let address = LiveSocketAddress(path: path)!
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else {
            let code = errno
            return .failure(
                ConnectFailure(
                    error: LiveConnectionError(socketPath: path, reason: "cannot create a socket: \(errnoText(code))"),
                    code: code))
        }
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        // A server whose queue of pending connections is full (stopped, or hung) would
        // keep connect waiting for ever: wait at most two seconds, then say so.
        var limit = timeval(tv_sec: 2, tv_usec: 0)
        _ = setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var result: Int32
        repeat {
            result = address.withSocketAddress { Glibc.connect(descriptor, $0, $1) }
        } while result != 0 && errno == EINTR
        guard result == 0 else {
            let code = errno
            posixClose(descriptor)
            let reason: String
            switch code {
            case ENOENT: reason = "no live server here: the socket does not exist"
            case ECONNREFUSED:
                reason = "nobody is listening on the socket: its process has ended (hypernodes ps removes such sockets)"
            case EACCES, EPERM: reason = "permission denied (the socket or its directory belongs to another user?)"
            case ENOTSOCK: reason = "this is not a socket"
            case EAGAIN, EWOULDBLOCK, ETIMEDOUT:
                reason = "the server does not accept connections (its process is stopped or too busy)"
            default: reason = "cannot connect: \(errnoText(code))"
            }
            return .failure(ConnectFailure(error: LiveConnectionError(socketPath: path, reason: reason), code: code))
        }
        return .success(descriptor)
    }

    private func claim() throws(LiveConnectionError) {
        let free = phase.withLock { phase -> Bool in
            guard case .idle = phase else { return false }
            phase = .used
            return true
        }
        guard free else {
            throw LiveConnectionError(socketPath: socketPath, reason: "this connection was already used for a request")
        }
    }

    private func send(_ request: LiveControlLine.Request) throws(LiveConnectionError) {
        let line = request.line
        var sent = 0
        while sent < line.count {
            let count = line.withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress! + sent, line.count - sent, Int32(MSG_NOSIGNAL))
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw LiveConnectionError(socketPath: socketPath, reason: "cannot send the request: \(errnoText())")
            }
            sent += count
        }
    }

    /// Asks the server for its status and waits for it, at most `timeout`.
    ///
    /// - Throws: ``LiveConnectionError`` when the server does not answer in
    ///   time, closes the connection (it refuses other users), or answers
    ///   something that is not a status.
    public func status(timeout: Duration = .seconds(2)) throws(LiveConnectionError) -> LiveStatus {
        try claim()
        let parts = timeout.components
        var limit = timeval(
            tv_sec: Int(max(0, parts.seconds)), tv_usec: Int(max(0, parts.attoseconds / 1_000_000_000_000)))
        if limit.tv_sec == 0 && limit.tv_usec == 0 { limit.tv_usec = 1000 }
        _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        try send(.status)
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while received.firstIndex(of: UInt8(ascii: "\n")) == nil {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress!, 4096, 0) }
            if count < 0 {
                if errno == EINTR { continue }
                let reason =
                    errno == EAGAIN || errno == EWOULDBLOCK
                    ? "the server did not answer within \(timeout)" : "cannot read the answer: \(errnoText())"
                throw LiveConnectionError(socketPath: socketPath, reason: reason)
            }
            if count == 0 {
                throw LiveConnectionError(
                    socketPath: socketPath,
                    reason: "the server closed the connection without answering (it serves only its own user)")
            }
            received.append(contentsOf: chunk[0..<count])
            if received.count > 1 << 20 {
                throw LiveConnectionError(socketPath: socketPath, reason: "the status line is too long")
            }
        }
        let line = Array(received[..<received.firstIndex(of: UInt8(ascii: "\n"))!])
        let control: LiveControlLine?
        do {
            control = try line.withUnsafeBufferPointer { (bytes) throws(LiveControlLine.Failure) in
                try LiveControlLine.decode(bytes)
            }
        } catch {
            throw LiveConnectionError(socketPath: socketPath, reason: "the status line is not valid: \(error.reason)")
        }
        guard case .status(let status)? = control else {
            throw LiveConnectionError(
                socketPath: socketPath, reason: "the server answered something else than a status")
        }
        return status
    }

    /// Requests the stream and returns at once; a reader thread of the
    /// connection's own then calls `onMessage` for every message, in order,
    /// and `onClose` once when the connection ends: with `nil` after
    /// ``LiveMessage/end`` (the server closed cleanly) or ``cancel()``, else
    /// with the error (the connection was lost: the process was killed, or
    /// the socket dropped).
    ///
    /// - Parameter record: A file where every trace line received (header,
    ///   events, progress, run end; not the `live_` lines) is written as it
    ///   arrives, verbatim: a trace `hypernodes replay`, `summary` and
    ///   `export` read. Replaced if it exists.
    /// - Throws: ``LiveConnectionError`` when the request cannot be sent or
    ///   the record file cannot be created.
    public func stream(
        record: String? = nil, onMessage: @escaping @Sendable (LiveMessage) -> Void,
        onClose: @escaping @Sendable (LiveConnectionError?) -> Void
    ) throws(LiveConnectionError) {
        try claim()
        var recordFile: Int32 = -1
        if let record {
            recordFile = Glibc.open(record, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard recordFile >= 0 else {
                throw LiveConnectionError(
                    socketPath: socketPath, reason: "cannot create the record file \(record): \(errnoText())")
            }
        }
        do {
            try send(.stream)
        } catch {
            if recordFile >= 0 { posixClose(recordFile) }
            throw error
        }
        let file = recordFile
        phase.withLock { $0 = .streaming }
        let reader = LiveStreamReader(
            socketPath: socketPath, descriptor: descriptor, recordFile: file, recordPath: record,
            onMessage: onMessage)
        let thread = Thread { [self] in
            let error = reader.run(isCancelled: { self.cancelled.load(ordering: .sequentiallyConsistent) })
            if file >= 0 { posixClose(file) }
            self.phase.withLock { $0 = .done }
            onClose(error)
        }
        thread.name = "hn.live.reader"
        thread.start()
    }

    /// Ends the stream (or a pending status request): the reader thread
    /// stops and `onClose` is called with `nil`.
    public func cancel() {
        cancelled.store(true, ordering: .sequentiallyConsistent)
        _ = shutdown(descriptor, Int32(SHUT_RDWR))
    }
}

import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The file a recorder writes: whole lines only, so that the file is a
/// valid trace prefix at every moment, even after a crash or `kill -9`.
///
/// Owned by the recorder's drain thread; ``error`` is read from others.
final class TraceFile: @unchecked Sendable {
    let path: String
    private var descriptor: Int32
    /// Bytes written so far: every one of them belongs to a complete line.
    private var offset: Int64 = 0
    private let logger: Logger
    private let failure = LockedValue<TraceRecorderError?>(nil)

    init(path: String, logger: Logger) throws {
        self.path = path
        self.logger = logger
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw TraceRecorderError.cannotCreate(path: path, reason: reason)
        }
    }

    deinit {
        close()
    }

    /// The write error, if one happened.
    var error: TraceRecorderError? { failure.value }

    /// Writes whole lines. After a failure the file is cut back to its last
    /// complete line and nothing more is written; the failure is logged once.
    func write(_ raw: UnsafeRawBufferPointer) {
        guard descriptor >= 0, !raw.isEmpty, failure.value == nil else { return }
        var written = 0
        var failedWith: Int32 = 0
        do {
            while written < raw.count {
                let result = posixWrite(descriptor, raw.baseAddress! + written, raw.count - written)
                if result > 0 {
                    written += result
                } else if result < 0 && errno == EINTR {
                    continue
                } else {
                    failedWith = result < 0 ? errno : ENOSPC
                    break
                }
            }
        }
        if failedWith == 0 {
            offset += Int64(written)
            return
        }
        // Drop the partial line so the file stays a valid trace.
        _ = ftruncate(descriptor, off_t(offset))
        let error = TraceRecorderError.writeFailed(
            path: path, reason: String(cString: strerror(failedWith)), eventsDiscarded: true)
        failure.value = error
        logger.error("\(error.description)")
    }

    func close() {
        if descriptor >= 0 {
            posixClose(descriptor)
            descriptor = -1
        }
    }
}

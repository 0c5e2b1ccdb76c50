import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Everything a launched program wrote on its standard output and error, kept in a spool file (removed
/// from the directory at once, so it goes away with the process) in the order it arrived, to be written
/// out on the terminal once the monitor has given it back.
///
/// At most ``limit`` bytes are kept, so a program that writes without end cannot fill the disk: what
/// comes after is counted (it still reaches the log pane) and reported when the rest is written out.
final class ProgramOutput: Sendable {
    /// A run of bytes from one stream.
    private struct Chunk {
        var stream: Int32
        var length: Int
    }

    private struct State {
        var chunks: [Chunk] = []
        var size: off_t = 0
        var failed: String?
        /// Bytes not kept beyond ``limit``.
        var skipped = 0
    }

    private let spool: Int32
    private let state = Mutex(State())
    /// The most bytes kept.
    let limit: Int

    /// Creates the spool file, to keep at most `limit` bytes (256 MiB by default).
    init(limit: Int = 256 << 20) throws(LaunchError) {
        self.limit = max(0, limit)
        var template = Array("/tmp/hypernodes-program-XXXXXX".utf8CString)
        let spool = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard spool >= 0 else {
            let reason = String(cString: strerror(errno))
            throw LaunchError("cannot create a spool file in /tmp for the program's output: \(reason)")
        }
        _ = fcntl(spool, F_SETFD, FD_CLOEXEC)
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        self.spool = spool
    }

    deinit {
        close(spool)
    }

    /// Keeps `bytes`, written by the program on `stream` (1 or 2).
    func append(_ bytes: UnsafeRawBufferPointer, stream: Int32) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        state.withLock { state in
            let room = max(0, limit - Int(state.size))
            let count = min(room, bytes.count)
            state.skipped += bytes.count - count
            var offset = 0
            while offset < count {
                let written = pwrite(spool, base + offset, count - offset, state.size + off_t(offset))
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    if state.failed == nil { state.failed = String(cString: strerror(errno)) }
                    break
                }
            }
            guard offset > 0 else { return }
            state.size += off_t(offset)
            if let last = state.chunks.indices.last, state.chunks[last].stream == stream {
                state.chunks[last].length += offset
            } else {
                state.chunks.append(Chunk(stream: stream, length: offset))
            }
        }
    }

    /// Writes everything kept so far, in the order it arrived: what came on standard output to
    /// `output`, what came on standard error to `error`. Returns a warning when part of it could not
    /// be kept (a full disk, or more than ``limit`` bytes), else `nil`.
    func write(output: Int32, error: Int32) -> String? {
        let (chunks, failed, skipped) = state.withLock { ($0.chunks, $0.failed, $0.skipped) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var offset: off_t = 0
        for chunk in chunks {
            var left = chunk.length
            let target = chunk.stream == 2 ? error : output
            while left > 0 {
                let count = buffer.withUnsafeMutableBytes {
                    pread(spool, $0.baseAddress, min(left, $0.count), offset)
                }
                guard count > 0 else { return "the program's output could not be read back" }
                buffer.withUnsafeBytes { Descriptor.writeAll(target, $0.baseAddress!, count) }
                offset += off_t(count)
                left -= count
            }
        }
        if let failed { return "part of the program's output could not be kept: \(failed)" }
        if skipped > 0 {
            return "the last \(skipped) bytes the program wrote were not kept (only the first \(limit) bytes are); "
                + "the log pane showed them"
        }
        return nil
    }
}

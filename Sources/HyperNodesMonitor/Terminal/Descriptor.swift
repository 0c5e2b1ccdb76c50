#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Plain writes to file descriptors, for the terminal code's own buffers.
enum Descriptor {
    /// Writes `count` bytes from `bytes` to `descriptor`, retrying short
    /// writes and `EINTR`; stops silently on any other error. Only calls
    /// `write`, so a signal handler may use it.
    static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) {
        var offset = 0
        while offset < count {
            let written = write(descriptor, bytes + offset, count - offset)
            if written > 0 {
                offset += written
            } else if written < 0 && errno == EINTR {
                continue
            } else {
                return
            }
        }
    }
}

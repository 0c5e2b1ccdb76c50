#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file descriptor that progress is written to: whether it is a
/// terminal, its size, and whole writes.
struct TerminalDevice: Sendable {
    let descriptor: Int32

    /// Whether the descriptor is a terminal (`isatty`).
    var isTerminal: Bool { isatty(descriptor) == 1 }

    /// The terminal's size, or `nil` when the descriptor is not a terminal
    /// or reports no size.
    func size() -> TerminalSize? {
        var size = winsize()
        #if canImport(Glibc)
            let result = ioctl(descriptor, UInt(TIOCGWINSZ), &size)
        #else
            let result = ioctl(descriptor, TIOCGWINSZ, &size)
        #endif
        guard result == 0, size.ws_col > 0, size.ws_row > 0 else { return nil }
        return TerminalSize(columns: Int(size.ws_col), rows: Int(size.ws_row))
    }

    /// Writes all of `text`, retrying after interruptions and partial
    /// writes. Errors (a closed pipe, a full disk) end the write silently:
    /// progress output must never fail the pipeline.
    func write(_ text: String) {
        guard !text.isEmpty else { return }
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                #if canImport(Glibc)
                    let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                #else
                    let written = Darwin.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                #endif
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
}

/// Cuts a stream of bytes into lines for the log pane: complete lines as
/// they arrive, a long run of bytes without a line end in pieces of
/// ``longestLine`` bytes, and what is left when the stream ends.
struct LineAssembler: Sendable {
    /// The longest line kept whole, in bytes.
    static let longestLine = 64 << 10

    private var partial: [UInt8] = []

    /// Adds `bytes` and returns the lines they complete (a line break ends a line and is not part of
    /// it; a carriage return before it is dropped).
    mutating func append(_ bytes: UnsafeRawBufferPointer) -> [String] {
        partial.append(contentsOf: bytes)
        return take(final: false)
    }

    /// The last, unfinished line, once the stream has ended (none when the stream ended with a line end).
    mutating func finish() -> [String] {
        take(final: true)
    }

    private mutating func take(final: Bool) -> [String] {
        var lines: [String] = []
        var start = 0
        for index in partial.indices where partial[index] == UInt8(ascii: "\n") {
            lines.append(Self.line(partial[start..<index]))
            start = index + 1
        }
        if (final || partial.count - start > Self.longestLine) && start < partial.count {
            lines.append(Self.line(partial[start...]))
            start = partial.count
        }
        partial.removeFirst(start)
        return lines
    }

    private static func line(_ bytes: ArraySlice<UInt8>) -> String {
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasSuffix("\r") { text.removeLast() }
        return text
    }
}

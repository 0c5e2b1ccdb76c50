/// One line of the input file, before it is cleaned: its line number (the header is line 1)
/// and its text.
struct RawRow: Codable, Hashable, Sendable {
    /// The line number in the file, from 1.
    var line: Int
    /// The line's text, without its line break.
    var text: String
}

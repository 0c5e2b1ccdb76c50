/// Why a row cannot be cleaned. The message names the line and the field.
enum RowError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The row does not have one field per column.
    case fieldCount(line: Int, expected: Int, actual: Int)
    /// A required field is empty.
    case missing(line: Int, field: String)
    /// A field's text is not what the column holds.
    case unparsable(line: Int, field: String, text: String, expected: String)
    /// A parsed value breaks a rule of the data.
    case invalid(line: Int, field: String, reason: String)

    /// The line the error is about.
    var line: Int {
        switch self {
        case .fieldCount(let line, _, _), .missing(let line, _), .unparsable(let line, _, _, _),
            .invalid(let line, _, _):
            line
        }
    }

    var description: String {
        switch self {
        case .fieldCount(let line, let expected, let actual):
            "line \(line): \(actual) fields, expected \(expected)"
        case .missing(let line, let field):
            "line \(line): \(field) is empty"
        case .unparsable(let line, let field, let text, let expected):
            "line \(line): \(field) '\(text)' is not \(expected)"
        case .invalid(let line, let field, let reason):
            "line \(line): \(field) \(reason)"
        }
    }
}

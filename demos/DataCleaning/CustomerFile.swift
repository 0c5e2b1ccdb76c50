import Foundation

/// The layout of the customer file: a header line, then one comma-separated row per customer.
enum CustomerFile {
    /// The columns, in file order.
    enum Column: Int, CaseIterable, Sendable {
        case id, name, email, signupDate, country, amount

        /// The column's name in the header.
        var name: String {
            switch self {
            case .id: "id"
            case .name: "name"
            case .email: "email"
            case .signupDate: "signup_date"
            case .country: "country"
            case .amount: "amount"
            }
        }
    }

    /// The header line.
    static let header = Column.allCases.map(\.name).joined(separator: ",")

    /// The file's rows after the header, with their line numbers.
    ///
    /// - Throws: ``FileError`` when the file is empty or its header is not ``header``.
    static func rows(of text: String) throws(FileError) -> [RawRow] {
        // "\r\n" is one Character in Swift, and a newline like "\n".
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        if lines.last == "" { lines.removeLast() }
        guard let first = lines.first else { throw FileError.empty }
        guard first.trimmingCharacters(in: .whitespaces) == header else {
            throw FileError.header(found: String(first.prefix(80)), expected: header)
        }
        return lines.enumerated().dropFirst().compactMap { index, text in
            text.trimmingCharacters(in: .whitespaces).isEmpty ? nil : RawRow(line: index + 1, text: text)
        }
    }

    /// A file that cannot be read as customer rows at all.
    enum FileError: Error, Equatable, CustomStringConvertible {
        case empty
        case header(found: String, expected: String)

        var description: String {
            switch self {
            case .empty: "the customer file is empty (expected the header '\(CustomerFile.header)')"
            case .header(let found, let expected): "line 1 is '\(found)', expected the header '\(expected)'"
            }
        }
    }
}

/// A row split into its fields, trimmed, in the order of ``CustomerFile/columns``.
struct RowFields: Codable, Hashable, Sendable {
    /// The row's line number in the file.
    var line: Int
    /// The fields, one per column.
    var values: [String]

    /// The field of `column`.
    subscript(column: CustomerFile.Column) -> String { values[column.rawValue] }
}

import HyperNodes

/// A row that could not be cleaned: which map item, which line, and the error the map collected.
struct FailedRow: Codable, Hashable, Sendable {
    /// The item's index in the map.
    var item: Int
    /// The row's line number in the file.
    var line: Int
    /// The node that rejected the row (`split_fields`, `parse_record` or `validate`).
    var node: String
    /// The error with its path, `clean_row[17] > parse_record: line 19: …`.
    var error: String

    /// The failure of map item `failure.index`, whose row is `row`.
    init(_ failure: MapItemFailure, row: RawRow) {
        item = failure.index
        line = row.line
        node = (failure.error as? NodeError)?.node ?? ""
        error = String(describing: failure.error)
    }
}

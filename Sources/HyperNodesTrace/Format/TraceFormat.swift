/// The identity of the trace format: the schema name and version written in
/// every header line, and the rules readers apply to them.
///
/// See `docs/trace-format.md` for the full schema.
public enum TraceFormat {
    /// The schema name in every header line.
    public static let schema = "hypernodes.trace"
    /// The major version this library writes. A reader refuses a file whose
    /// major version is higher, and ignores unknown fields and record types
    /// within a major version it knows.
    public static let majorVersion = 1
    /// The minor version this library writes: additions that older readers of
    /// the same major version can ignore.
    public static let minorVersion = 0
    /// The version as written in headers (`"1.0"`).
    public static var version: String { "\(majorVersion).\(minorVersion)" }
}

/// Why a trace cannot be read at all. Problems confined to single lines are
/// reported as ``TraceProblem``s instead, and reading carries on.
public enum TraceReadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file could not be opened.
    case cannotOpen(path: String, reason: String)
    /// Reading failed part-way.
    case readFailed(path: String, reason: String)
    /// The file is not a HyperNodes trace (no header line, binary data, …).
    case notATrace(path: String, reason: String)
    /// The file was written by a newer, incompatible version of the format.
    case unsupportedVersion(path: String, found: String, supported: String)

    /// A message naming the file and what is wrong.
    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "cannot open trace '\(path)': \(reason)"
        case .readFailed(let path, let reason): "cannot read trace '\(path)': \(reason)"
        case .notATrace(let path, let reason): "'\(path)' is not a HyperNodes trace: \(reason)"
        case .unsupportedVersion(let path, let found, let supported):
            "'\(path)' uses trace format version \(found), but this build reads version \(supported) "
                + "(and earlier \(supported.prefix { $0 != "." }).x files); use a newer hypernodes to read it"
        }
    }
}

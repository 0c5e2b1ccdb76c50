/// Why a live server could not start: its directory, its socket path or a
/// system call, each named with the path concerned and what to do about it.
public struct LiveServerError: Error, CustomStringConvertible, Sendable, Hashable {
    /// The file or directory concerned.
    public var path: String
    /// What is wrong and, where there is one, the fix.
    public var reason: String

    /// Creates an error about `path`.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// One line: the path and the reason.
    public var description: String { "live monitoring: \(path): \(reason)" }
}

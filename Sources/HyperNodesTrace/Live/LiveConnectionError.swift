/// Why a connection to a live server failed or ended: the socket concerned
/// and what happened.
public struct LiveConnectionError: Error, CustomStringConvertible, Sendable, Hashable {
    /// The socket's path.
    public var socketPath: String
    /// What happened.
    public var reason: String

    /// Creates an error about the server at `socketPath`.
    public init(socketPath: String, reason: String) {
        self.socketPath = socketPath
        self.reason = reason
    }

    /// One line: the socket and the reason.
    public var description: String { "\(socketPath): \(reason)" }
}

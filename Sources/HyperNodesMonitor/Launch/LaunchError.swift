/// Why a program could not be launched; the message names the program and the reason.
public struct LaunchError: Error, CustomStringConvertible, Sendable, Hashable {
    /// The message.
    public let description: String

    /// An error with `description` as its message.
    public init(_ description: String) {
        self.description = description
    }
}

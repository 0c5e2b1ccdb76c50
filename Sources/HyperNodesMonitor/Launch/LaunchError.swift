/// Why a program could not be launched; the message names the program and the reason.
public struct LaunchError: Error, CustomStringConvertible, Sendable, Hashable {
    /// The message.
    public let description: String
    /// The exit status a shell gives for the same failure: 127 when the program was not found, 126
    /// when it was found but cannot be run.
    public let exitStatus: Int32

    /// An error with `description` as its message.
    public init(_ description: String, exitStatus: Int32 = 126) {
        self.description = description
        self.exitStatus = exitStatus
    }
}

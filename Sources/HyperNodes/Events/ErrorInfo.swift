/// A failure as reported in an event: the error's type and message.
public struct ErrorInfo: Sendable, Hashable {
    /// The fully qualified type name of the error, such as `MyModule.ParseError`.
    public let type: String
    /// The error's description.
    public let message: String

    /// Creates error information.
    public init(type: String, message: String) {
        self.type = type
        self.message = message
    }

    /// Describes `error`, unwrapping a ``NodeError`` to the error the node threw.
    public init(_ error: any Error) {
        let root = (error as? NodeError)?.underlying ?? error
        self.type = String(reflecting: Swift.type(of: root))
        self.message = String(describing: root)
    }
}

/// A named, typed input or output of a node.
public struct Port: Sendable, Hashable, CustomStringConvertible {
    /// The value's name, shared by the producer's output and the consumers' inputs.
    public let name: String
    /// The value's type.
    public let type: ValueType

    /// Creates a port.
    public init(name: String, type: ValueType) {
        self.name = name
        self.type = type
    }

    /// `name: Type`.
    public var description: String { "\(name): \(type.name)" }
}

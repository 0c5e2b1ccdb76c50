/// The name of a node input, typed by the parameter it feeds.
///
/// Written as a string literal in node declarations; the type comes from the
/// body's parameter:
///
/// ```swift
/// let add = Node("add", inputs: "a", "b", output: "sum") { (a: Int, b: Int) in a + b }
/// ```
public struct Input<Value: Sendable>: Sendable, Hashable, ExpressibleByStringLiteral {
    /// The input's name.
    public let name: String

    /// Creates an input name.
    public init(_ name: String) { self.name = name }

    /// Creates an input name from a string literal.
    public init(stringLiteral name: String) { self.name = name }
}

/// The name of a node output, typed by the value the body returns.
///
/// Also a typed key for reading results:
///
/// ```swift
/// let sum = Output<Int>("sum")
/// let result = try await pipeline.run(inputs: ["a": 1, "b": 2])
/// let value = result[sum]  // Int?
/// ```
public struct Output<Value: Sendable>: Sendable, Hashable, ExpressibleByStringLiteral {
    /// The output's name.
    public let name: String

    /// Creates an output name.
    public init(_ name: String) { self.name = name }

    /// Creates an output name from a string literal.
    public init(stringLiteral name: String) { self.name = name }
}

/// A pipeline that cannot be built, or a run that cannot start, with a message
/// naming what was wrong and where.
public enum PipelineError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A node is malformed (empty name, an input or output declared twice, …).
    case invalidNode(node: String, reason: String)
    /// Two nodes have the same name.
    case duplicateNodeName(String)
    /// Two nodes produce the same value.
    case duplicateOutput(value: String, producers: [String])
    /// The nodes' dependencies form a cycle; the path starts and ends with the same node.
    case cycle(path: [String])
    /// A consumer's input type differs from its producer's output type.
    case typeMismatch(
        value: String, producer: String, producerType: String, consumer: String, consumerType: String)
    /// Two nodes consume the same root input with different types.
    case inputTypeConflict(value: String, first: String, firstType: String, second: String, secondType: String)
    /// A run lacks inputs it needs.
    case missingInputs(missing: [String], required: [String])
    /// A run asked for outputs the pipeline does not produce.
    case unknownOutputs(unknown: [String], available: [String])
    /// A name given to `bind`, a mapping or `map(over:)` is not an input of the pipeline.
    case unknownInputs(unknown: [String], available: [String], context: String)
    /// An input value has the wrong type.
    case inputType(name: String, expected: String, actual: String)
    /// A mapped input is not an array of the input's type.
    case mapInputNotArray(name: String, expectedElement: String, actual: String)
    /// Zip mode needs lists of equal length.
    case zipLengthMismatch(lengths: [String: Int])
    /// A nested pipeline's mapping is inconsistent.
    case invalidMapping(String)

    /// The message.
    public var description: String {
        switch self {
        case .invalidNode(let node, let reason):
            return "node '\(node)' is invalid: \(reason)"
        case .duplicateNodeName(let name):
            return "two nodes are named '\(name)'; node names must be unique in a pipeline"
        case .duplicateOutput(let value, let producers):
            return "output '\(value)' is produced by more than one node: "
                + producers.map { "'\($0)'" }.joined(separator: " and ")
        case .cycle(let path):
            return "the pipeline has a cycle: " + path.joined(separator: " -> ")
        case .typeMismatch(let value, let producer, let producerType, let consumer, let consumerType):
            return "type mismatch for '\(value)': node '\(producer)' produces \(producerType) "
                + "but node '\(consumer)' expects \(consumerType)"
        case .inputTypeConflict(let value, let first, let firstType, let second, let secondType):
            return "input '\(value)' is read as \(firstType) by node '\(first)' "
                + "but as \(secondType) by node '\(second)'"
        case .missingInputs(let missing, let required):
            return "missing inputs: \(list(missing)) (the run needs: \(list(required)))"
        case .unknownOutputs(let unknown, let available):
            return "unknown outputs: \(list(unknown)) (available: \(list(available)))"
        case .unknownInputs(let unknown, let available, let context):
            return "\(context): not inputs of the pipeline: \(list(unknown)) (inputs: \(list(available)))"
        case .inputType(let name, let expected, let actual):
            return "input '\(name)' must be \(expected), got \(actual)"
        case .mapInputNotArray(let name, let expectedElement, let actual):
            return "mapped input '\(name)' must be an array of \(expectedElement), got \(actual)"
        case .zipLengthMismatch(let lengths):
            let parts = lengths.sorted { $0.key < $1.key }.map { "'\($0.key)' has \($0.value)" }
            return "zip mode needs lists of equal length: " + parts.joined(separator: ", ")
        case .invalidMapping(let message):
            return message
        }
    }
}

private func list(_ names: [String]) -> String {
    names.isEmpty ? "none" : names.joined(separator: ", ")
}

/// An error thrown by a node's body, with the path of the node that threw it.
///
/// The path runs from the outermost pipeline to the failing node, with map
/// items in brackets: `rag > embed[3] > encode`.
public struct NodeError: Error, Sendable, CustomStringConvertible {
    /// Pipeline, nested node and node names from the outside in.
    public let path: [String]
    /// The error the node threw.
    public let underlying: any Error

    /// Creates a node error.
    public init(path: [String], underlying: any Error) {
        self.path = path
        self.underlying = underlying
    }

    /// The name of the node that threw.
    public var node: String { path.last ?? "" }

    /// `outer > inner > node: message`.
    public var description: String {
        path.joined(separator: " > ") + ": " + String(describing: underlying)
    }

    /// The same error under `component`.
    func prefixed(_ component: String) -> NodeError {
        NodeError(path: [component] + path, underlying: underlying)
    }
}

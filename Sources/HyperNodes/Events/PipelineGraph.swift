/// The static shape of a pipeline and the pipelines nested in it.
///
/// Carried by the first event of every run so that a viewer can draw work
/// that has not started yet.
public struct PipelineGraph: Sendable, Hashable, Codable {
    /// The pipelines: the run's pipeline first, then every nested pipeline, each once.
    public var pipelines: [PipelineDescription]

    /// Creates a graph.
    public init(pipelines: [PipelineDescription]) { self.pipelines = pipelines }

    /// The run's pipeline.
    public var root: PipelineDescription { pipelines[0] }
}

/// One pipeline in a ``PipelineGraph``.
public struct PipelineDescription: Sendable, Hashable, Codable {
    /// The pipeline's name.
    public var name: String
    /// The root inputs: values no node of the pipeline produces.
    public var inputs: [PortDescription]
    /// The nodes, in execution order.
    public var nodes: [NodeDescription]
    /// The data dependencies between nodes.
    public var edges: [EdgeDescription]

    /// Creates a pipeline description.
    public init(
        name: String, inputs: [PortDescription], nodes: [NodeDescription], edges: [EdgeDescription]
    ) {
        self.name = name
        self.inputs = inputs
        self.nodes = nodes
        self.edges = edges
    }
}

/// A node in a ``PipelineDescription``.
public struct NodeDescription: Sendable, Hashable, Codable {
    /// The node's name.
    public var name: String
    /// The node's inputs.
    public var inputs: [PortDescription]
    /// The node's outputs.
    public var outputs: [PortDescription]
    /// Whether the node's results may be cached.
    public var cache: Bool
    /// For a node that wraps a pipeline: the index of that pipeline in ``PipelineGraph/pipelines``.
    public var pipeline: Int?
    /// For a node that maps a nested pipeline: the inputs it maps over.
    public var mapOver: [String]
    /// For a node that maps a nested pipeline: `zip` or `product`.
    public var mapMode: String?

    /// Creates a node description.
    public init(
        name: String, inputs: [PortDescription], outputs: [PortDescription], cache: Bool,
        pipeline: Int? = nil, mapOver: [String] = [], mapMode: String? = nil
    ) {
        self.name = name
        self.inputs = inputs
        self.outputs = outputs
        self.cache = cache
        self.pipeline = pipeline
        self.mapOver = mapOver
        self.mapMode = mapMode
    }
}

/// A named, typed value in a ``NodeDescription``.
public struct PortDescription: Sendable, Hashable, Codable {
    /// The value's name.
    public var name: String
    /// The value's type name.
    public var type: String

    /// Creates a port description.
    public init(name: String, type: String) {
        self.name = name
        self.type = type
    }
}

/// A data dependency: node `to` consumes value `value` produced by node `from`.
public struct EdgeDescription: Sendable, Hashable, Codable {
    /// The producing node.
    public var from: String
    /// The consuming node.
    public var to: String
    /// The value that flows.
    public var value: String

    /// Creates an edge.
    public init(from: String, to: String, value: String) {
        self.from = from
        self.to = to
        self.value = value
    }
}

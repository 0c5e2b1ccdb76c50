/// A named step of a pipeline: typed inputs, typed outputs and a body.
///
/// Input names are written as string literals whose types come from the
/// body's parameters, so the number of names and parameters is checked by
/// the compiler:
///
/// ```swift
/// let double = Node("double", inputs: "x", output: "doubled") { (x: Int) in x * 2 }
/// let stats = Node("stats", inputs: "values", outputs: "mean", "count") { (values: [Double]) in
///     (values.reduce(0, +) / Double(values.count), values.count)
/// }
/// let fetch = Node("fetch", inputs: "url", output: "page") { (url: String) async throws in
///     try await download(url)
/// }
/// ```
///
/// A node's outputs are cached when the pipeline has a cache, ``cache`` is
/// `true` and every input and output type is `Codable`. Results cached by a
/// previous build of the program are not reused unless ``codeVersion`` pins
/// the node's identity (see ``CodeIdentity``). Nodes declared with the
/// `@Node` macro are identified by their function's source instead
/// (``sourceDigest``).
public struct Node: Sendable {
    /// The node's name, unique within a pipeline.
    public let name: String
    /// The inputs, in the order of the body's parameters.
    public let inputs: [Port]
    /// The outputs, in the order of the body's results.
    public let outputs: [Port]
    /// Whether results may be served from and stored in the cache.
    public let cache: Bool
    /// A version string that replaces the build identity in cache keys, or `nil`.
    public let codeVersion: String?
    /// A digest of the source text of the function the node calls, set by the
    /// `@Node` macro, or `nil`. Unless ``codeVersion`` is set, it replaces the
    /// build identity in cache keys.
    public let sourceDigest: String?
    let body: NodeBody

    init(
        name: String, inputs: [Port], outputs: [Port], cache: Bool, codeVersion: String?,
        sourceDigest: String? = nil, body: NodeBody
    ) {
        self.name = name
        self.inputs = inputs
        self.outputs = outputs
        self.cache = cache
        self.codeVersion = codeVersion
        self.sourceDigest = sourceDigest
        self.body = body
    }

    /// Whether the body is `async`.
    public var isAsync: Bool {
        if case .sync = body { return false }
        return true
    }

    /// Whether this node runs a nested pipeline.
    public var isPipeline: Bool {
        if case .pipeline = body { return true }
        return false
    }

    /// Returns a copy of the node with another name.
    public func named(_ name: String) -> Node {
        Node(
            name: name, inputs: inputs, outputs: outputs, cache: cache, codeVersion: codeVersion,
            sourceDigest: sourceDigest, body: body)
    }

    /// Returns a copy of the node with caching switched on or off.
    public func cached(_ enabled: Bool) -> Node {
        Node(
            name: name, inputs: inputs, outputs: outputs, cache: enabled, codeVersion: codeVersion,
            sourceDigest: sourceDigest, body: body)
    }

    /// Returns a copy of the node identified in cache keys by `digest`, a
    /// digest of the source of the code it runs (unless ``codeVersion`` is set).
    ///
    /// The `@Node` macro calls this with the digest of the function's tokens,
    /// computed at compile time. A node built from a closure may pass a digest
    /// of its own making; the same digest must mean the same computation.
    public func identifiedBySource(_ digest: String) -> Node {
        Node(
            name: name, inputs: inputs, outputs: outputs, cache: cache, codeVersion: codeVersion,
            sourceDigest: digest, body: body)
    }
}

/// How the engine invokes a node.
enum NodeBody: Sendable {
    case sync(@Sendable (Arguments, Results) throws -> Void)
    case async(@Sendable (Arguments, Results) async throws -> Void)
    case pipeline(NestedPipeline)
}

func inputPorts<each I: Sendable>(_ names: repeat Input<each I>) -> [Port] {
    func port<T: Sendable>(_ name: Input<T>) -> Port { Port(name: name.name, type: .of(T.self)) }
    var ports: [Port] = []
    for name in repeat each names { ports.append(port(name)) }
    return ports
}

func outputPorts<each O: Sendable>(_ names: repeat Output<each O>) -> [Port] {
    func port<T: Sendable>(_ name: Output<T>) -> Port { Port(name: name.name, type: .of(T.self)) }
    var ports: [Port] = []
    for name in repeat each names { ports.append(port(name)) }
    return ports
}

extension Node {
    /// Creates a node with one output and a synchronous body.
    ///
    /// - Parameters:
    ///   - name: The node's name.
    ///   - inputs: One name per body parameter, in order.
    ///   - output: The output's name.
    ///   - cache: Whether results may be cached (default `true`).
    ///   - codeVersion: Pins the node's cache identity across builds.
    ///   - body: The computation.
    public init<each I: Sendable, O: Sendable>(
        _ name: String,
        inputs: repeat Input<each I>,
        output: Output<O>,
        cache: Bool = true,
        codeVersion: String? = nil,
        _ body: @escaping @Sendable (repeat each I) throws -> O
    ) {
        self.init(
            name: name, inputs: inputPorts(repeat each inputs), outputs: outputPorts(output),
            cache: cache, codeVersion: codeVersion,
            body: .sync { args, results in
                let values = args.unpack(repeat (each I).self)
                results.set(0, try body(repeat each values))
            })
    }

    /// Creates a node with one output and an `async` body.
    ///
    /// - Parameters:
    ///   - name: The node's name.
    ///   - inputs: One name per body parameter, in order.
    ///   - output: The output's name.
    ///   - cache: Whether results may be cached (default `true`).
    ///   - codeVersion: Pins the node's cache identity across builds.
    ///   - body: The computation.
    public init<each I: Sendable, O: Sendable>(
        _ name: String,
        inputs: repeat Input<each I>,
        output: Output<O>,
        cache: Bool = true,
        codeVersion: String? = nil,
        _ body: @escaping @Sendable (repeat each I) async throws -> O
    ) {
        self.init(
            name: name, inputs: inputPorts(repeat each inputs), outputs: outputPorts(output),
            cache: cache, codeVersion: codeVersion,
            body: .async { args, results in
                let values = args.unpack(repeat (each I).self)
                results.set(0, try await body(repeat each values))
            })
    }

    /// Creates a node with one output named through `outputs:` and a synchronous body;
    /// the same as `output:`, so that a list of output names may have one element.
    public init<each I: Sendable, O: Sendable>(
        _ name: String,
        inputs: repeat Input<each I>,
        outputs: Output<O>,
        cache: Bool = true,
        codeVersion: String? = nil,
        _ body: @escaping @Sendable (repeat each I) throws -> O
    ) {
        self.init(name, inputs: repeat each inputs, output: outputs, cache: cache, codeVersion: codeVersion, body)
    }

    /// Creates a node with one output named through `outputs:` and an `async` body;
    /// the same as `output:`, so that a list of output names may have one element.
    public init<each I: Sendable, O: Sendable>(
        _ name: String,
        inputs: repeat Input<each I>,
        outputs: Output<O>,
        cache: Bool = true,
        codeVersion: String? = nil,
        _ body: @escaping @Sendable (repeat each I) async throws -> O
    ) {
        self.init(name, inputs: repeat each inputs, output: outputs, cache: cache, codeVersion: codeVersion, body)
    }

    /// Creates a node with several outputs, returned as a tuple, and a synchronous body.
    ///
    /// - Parameters:
    ///   - name: The node's name.
    ///   - inputs: One name per body parameter, in order.
    ///   - outputs: One name per element of the returned tuple, in order.
    ///   - cache: Whether results may be cached (default `true`).
    ///   - codeVersion: Pins the node's cache identity across builds.
    ///   - body: The computation.
    public init<each I: Sendable, each O: Sendable>(
        _ name: String,
        inputs: repeat Input<each I>,
        outputs: repeat Output<each O>,
        cache: Bool = true,
        codeVersion: String? = nil,
        _ body: @escaping @Sendable (repeat each I) throws -> (repeat each O)
    ) {
        self.init(
            name: name, inputs: inputPorts(repeat each inputs),
            outputs: outputPorts(repeat each outputs),
            cache: cache, codeVersion: codeVersion,
            body: .sync { args, results in
                let values = args.unpack(repeat (each I).self)
                let outputs = try body(repeat each values)
                results.store(repeat each outputs)
            })
    }

    /// Creates a node with several outputs, returned as a tuple, and an `async` body.
    ///
    /// - Parameters:
    ///   - name: The node's name.
    ///   - inputs: One name per body parameter, in order.
    ///   - outputs: One name per element of the returned tuple, in order.
    ///   - cache: Whether results may be cached (default `true`).
    ///   - codeVersion: Pins the node's cache identity across builds.
    ///   - body: The computation.
    public init<each I: Sendable, each O: Sendable>(
        _ name: String,
        inputs: repeat Input<each I>,
        outputs: repeat Output<each O>,
        cache: Bool = true,
        codeVersion: String? = nil,
        _ body: @escaping @Sendable (repeat each I) async throws -> (repeat each O)
    ) {
        self.init(
            name: name, inputs: inputPorts(repeat each inputs),
            outputs: outputPorts(repeat each outputs),
            cache: cache, codeVersion: codeVersion,
            body: .async { args, results in
                let values = args.unpack(repeat (each I).self)
                let outputs = try await body(repeat each values)
                results.store(repeat each outputs)
            })
    }
}

import Foundation
import Logging

/// A DAG of nodes that can `run` once, `map` over many items, and be nested
/// in another pipeline as a node.
///
/// The graph is built and checked eagerly: duplicate outputs, cycles and
/// type mismatches between producers and consumers are reported by the
/// initializer, naming the nodes involved.
///
/// ```swift
/// let double = Node("double", inputs: "x", output: "doubled") { (x: Int) in x * 2 }
/// let addOne = Node("add_one", inputs: "doubled", output: "result") { (d: Int) in d + 1 }
/// let pipeline = try Pipeline(nodes: [double, addOne], name: "arith")
///
/// let result = try await pipeline.run(inputs: ["x": 5])
/// result["result", as: Int.self]  // 11
///
/// let many = try await pipeline.map(inputs: ["x": [1, 2, 3]], over: ["x"])
/// many["result", as: Int.self]  // [3, 5, 7]
/// ```
public struct Pipeline: Sendable {
    let graph: CompiledGraph

    /// The pipeline's name, used in events, error paths and the monitor.
    public var name: String { graph.name }
    /// The nodes in execution order: topological, ties broken by name.
    public var nodes: [Node] { graph.nodes }
    /// The root inputs: values that no node produces, sorted by name.
    public var inputNames: [String] { graph.rootInputs }
    /// Every output of every node, in execution order.
    public var outputNames: [String] { graph.outputNames }

    /// Where node results are cached, or `nil` for no caching (and no hashing at all).
    public var cache: (any CacheStore)?
    /// The callbacks that observe runs, in delivery order.
    public var callbacks: [any PipelineCallback] {
        didSet { bus = callbacks.isEmpty ? nil : EventBus(callbacks: callbacks) }
    }
    /// The most nodes or map items executed at once. Defaults to the number of cores.
    public var maxConcurrency: Int
    /// Concurrent (default) or sequential scheduling.
    public var executionMode: ExecutionMode
    /// Receives warnings about unreadable cache entries and failed cache writes.
    public var logger: Logger
    /// Which values are hidden from events because they look like secrets:
    /// previews of inputs and outputs whose name (or a key inside them)
    /// matches a pattern, and such keys in error messages. The outermost
    /// pipeline's setting applies to the whole run, nested pipelines included.
    /// Defaults to ``SecretScrubbing/default``; ``SecretScrubbing/disabled`` turns it off.
    public var secretScrubbing: SecretScrubbing = .default
    /// Default input values set with ``bind(_:)``. Inputs given to `run` or `map` win.
    public private(set) var boundInputs: [String: any Sendable] = [:]

    var bus: EventBus?

    /// Builds a pipeline.
    ///
    /// - Parameters:
    ///   - nodes: The nodes, in any order.
    ///   - name: The pipeline's name.
    ///   - cache: Where results are cached; `nil` disables caching.
    ///   - callbacks: Observers of every run, in delivery order.
    ///   - maxConcurrency: The most nodes or map items executed at once.
    ///   - executionMode: Concurrent (default) or sequential scheduling.
    /// - Throws: ``PipelineError`` if a node is malformed, two nodes share a
    ///   name or an output, the graph has a cycle, or types do not match.
    public init(
        nodes: [Node],
        name: String = "pipeline",
        cache: (any CacheStore)? = nil,
        callbacks: [any PipelineCallback] = [],
        maxConcurrency: Int = ProcessInfo.processInfo.activeProcessorCount,
        executionMode: ExecutionMode = .concurrent
    ) throws {
        self.graph = try CompiledGraph(name: name, nodes: nodes)
        self.cache = cache
        self.callbacks = callbacks
        self.bus = callbacks.isEmpty ? nil : EventBus(callbacks: callbacks)
        self.maxConcurrency = max(1, maxConcurrency)
        self.executionMode = executionMode
        self.logger = Logger(label: "hypernodes")
    }

    /// The type of each root input.
    public var inputTypes: [String: ValueType] {
        Dictionary(uniqueKeysWithValues: graph.rootInputs.map { ($0, graph.slotTypes[graph.slotOf[$0]!]) })
    }

    /// The static shape of the pipeline and of every pipeline nested in it.
    public var graphDescription: PipelineGraph { graph.description }

    // MARK: Bound inputs

    /// Sets default values for inputs. Values passed to `run` or `map` win over bound ones.
    ///
    /// - Throws: ``PipelineError/unknownInputs(unknown:available:context:)`` for a
    ///   name that is not a root input, ``PipelineError/inputType(name:expected:actual:)``
    ///   for a value of the wrong type.
    public mutating func bind(_ values: [String: any Sendable]) throws {
        let unknown = values.keys.filter { graph.slotOf[$0].map { graph.producer[$0] >= 0 } ?? true }
        if !unknown.isEmpty {
            throw PipelineError.unknownInputs(
                unknown: unknown.sorted(), available: graph.rootInputs, context: "bind")
        }
        for (name, value) in values {
            try checkType(name, value)
        }
        boundInputs.merge(values) { _, new in new }
    }

    /// Returns a copy with `values` bound; see ``bind(_:)``.
    public func binding(_ values: [String: any Sendable]) throws -> Pipeline {
        var copy = self
        try copy.bind(values)
        return copy
    }

    /// Removes bound values; with no names, removes them all.
    public mutating func unbind(_ names: String...) {
        unbind(names)
    }

    /// Removes the bound values of `names`; an empty list removes them all.
    public mutating func unbind(_ names: [String]) {
        if names.isEmpty {
            boundInputs.removeAll()
        } else {
            for name in names { boundInputs[name] = nil }
        }
    }

    /// The root inputs a run of `outputs` needs that are not bound.
    public func unfulfilledInputs(for outputs: [String]? = nil) throws -> [String] {
        let plan = try graph.plan(for: outputs)
        return plan.requiredInputs.map { graph.slotNames[$0] }.filter { boundInputs[$0] == nil }
    }

    func checkType(_ name: String, _ value: any Sendable) throws {
        guard let slot = graph.slotOf[name] else { return }
        let type = graph.slotTypes[slot]
        if !type.witness.accepts(value) {
            throw PipelineError.inputType(
                name: name, expected: type.name, actual: String(describing: Swift.type(of: value)))
        }
    }

    // MARK: Running

    /// Runs the pipeline once.
    ///
    /// - Parameters:
    ///   - inputs: Values for the root inputs. Extra values are ignored.
    ///   - outputs: The outputs to compute; only their dependencies run. `nil`
    ///     runs every node and returns every output.
    /// - Returns: The outputs of the executed nodes (not the inputs).
    /// - Throws: ``PipelineError`` for missing, mistyped or unknown names;
    ///   ``NodeError`` when a node fails, with the path of the failing node;
    ///   `CancellationError` when the calling task is cancelled.
    public func run(
        inputs: [String: any Sendable] = [:], outputs: [String]? = nil
    ) async throws -> PipelineResult {
        let plan = try graph.plan(for: outputs)
        let frame = try prepareFrame(plan: plan, inputs: inputs, withKeys: cache != nil)
        let run = makeRun()
        defer { run.finish() }
        let scope = Scope(
            runID: run.id, origin: run.origin, wallClockOrigin: run.wallClockOrigin, metadata: graph.metadata,
            parent: nil)
        do {
            try await run.executePipeline(
                graph, plan: plan, frame: frame, scope: scope, parent: nil, lane: 0, item: nil,
                announceGraph: true)
        } catch let error as NodeError {
            throw error.prefixed(name)
        }
        return PipelineResult(graph: graph, slots: plan.resultSlots, frame: frame)
    }

    /// Runs the pipeline once per item.
    ///
    /// - Parameters:
    ///   - inputs: Values for the root inputs; each name in `over` must hold an
    ///     array of its input's type. Other inputs are given to every item.
    ///   - over: The inputs to map over.
    ///   - mode: ``MapMode/zip`` (element *i* of each list) or
    ///     ``MapMode/product`` (every combination, in the order of `over`).
    ///   - outputs: The outputs to compute, or `nil` for all.
    ///   - onItemFailure: What a failing item does: ``MapFailurePolicy/stop``
    ///     (the default) stops the map and throws; ``MapFailurePolicy/collect``
    ///     lets the other items go on and lists the failures in the result.
    /// - Returns: One result per item, in item order; under `.collect`, failed
    ///   items are in ``MapResult/failures`` and hold no outputs.
    /// - Throws: As ``run(inputs:outputs:)``; zip lists of different lengths
    ///   and mapped inputs that are not arrays are ``PipelineError``s. Under
    ///   `.stop`, a failing item stops the map: the error's path names the item
    ///   (`pipeline[3] > node`). Cancellation stops the map under both policies.
    public func map(
        inputs: [String: any Sendable], over: [String], mode: MapMode = .zip,
        outputs: [String]? = nil, onItemFailure: MapFailurePolicy = .stop
    ) async throws -> MapResult {
        let plan = try graph.plan(for: outputs)
        if over.isEmpty {
            throw PipelineError.invalidMapping("map needs at least one input to map over (over: [])")
        }
        if Set(over).count != over.count {
            let repeated = Set(over.filter { name in over.filter { $0 == name }.count > 1 }).sorted()
            throw PipelineError.invalidMapping(
                "map over names an input more than once: \(repeated.joined(separator: ", "))")
        }
        let unknown = over.filter { graph.slotOf[$0].map { graph.producer[$0] >= 0 } ?? true }
        if !unknown.isEmpty {
            throw PipelineError.unknownInputs(
                unknown: unknown, available: graph.rootInputs, context: "map over")
        }
        var broadcast = inputs
        var lists: [(slot: Int, elements: [any Sendable])] = []
        for name in over {
            let slot = graph.slotOf[name]!
            guard let value = inputs[name] ?? boundInputs[name] else {
                throw PipelineError.missingInputs(
                    missing: [name], required: plan.requiredInputs.map { graph.slotNames[$0] })
            }
            guard let elements = graph.slotTypes[slot].witness.elements(of: value) else {
                throw PipelineError.mapInputNotArray(
                    name: name, expectedElement: graph.slotTypes[slot].name,
                    actual: String(describing: type(of: value)))
            }
            lists.append((slot, elements))
            broadcast[name] = nil
        }
        let items = try MapItems(lists: lists, names: over, mode: mode)
        let frame = try prepareFrame(
            plan: plan, inputs: broadcast, withKeys: cache != nil, mapped: Set(over))
        let run = makeRun()
        defer { run.finish() }
        let scope = Scope(
            runID: run.id, origin: run.origin, wallClockOrigin: run.wallClockOrigin, metadata: graph.metadata,
            parent: nil)
        let failures = onItemFailure == .collect ? MapFailureLog() : nil
        let frames = try await run.executeMap(
            graph, plan: plan, base: frame, items: items, scope: scope, parent: nil, lane: 0,
            name: name, announceGraph: true, failures: failures)
        return MapResult(graph: graph, slots: plan.resultSlots, frames: frames, failures: failures?.sorted ?? [])
    }

    func makeRun() -> Run {
        Run(
            bus: bus, cache: cache, maxConcurrency: maxConcurrency,
            sequential: executionMode == .sequential, logger: logger,
            graph: bus == nil ? nil : graph.description, scrubbing: secretScrubbing)
    }

    /// A frame holding bound and given root inputs, checked for presence and type.
    func prepareFrame(
        plan: Plan, inputs: [String: any Sendable], withKeys: Bool, mapped: Set<String> = []
    ) throws -> Frame {
        let frame = Frame.make(count: graph.slotNames.count, withKeys: withKeys)
        var missing: [String] = []
        for slot in plan.requiredInputs {
            let name = graph.slotNames[slot]
            if mapped.contains(name) { continue }
            guard let value = inputs[name] ?? boundInputs[name] else {
                missing.append(name)
                continue
            }
            try checkType(name, value)
            frame[slot] = value
        }
        if !missing.isEmpty {
            throw PipelineError.missingInputs(
                missing: missing, required: plan.requiredInputs.map { graph.slotNames[$0] })
        }
        return frame
    }
}

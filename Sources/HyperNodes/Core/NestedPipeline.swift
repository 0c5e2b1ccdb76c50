/// How a node that wraps a pipeline maps its ports onto the inner pipeline.
struct NestedPipeline: Sendable {
    let pipeline: Pipeline
    /// For each node input, the inner root input slot it feeds.
    let inputTargets: [Int]
    /// For each node input, whether it is mapped over (the port holds `[T]`).
    let mapped: [Bool]
    /// The mapped node inputs' indices, in the order of `mapOver` (product mode iterates in this order).
    let mapOrder: [Int]
    /// For each node output, the inner output name it exposes.
    let outputSources: [String]
    let mode: MapMode
    var isMap: Bool { mapped.contains(true) }
}

extension Pipeline {
    /// Wraps this pipeline as a node of another pipeline.
    ///
    /// The node's inputs are the inner root inputs that are not bound, plus
    /// bound ones named in `inputMapping`; its outputs are the inner outputs,
    /// or only those named in `outputMapping` when it is not empty. When it
    /// runs, the inner pipeline computes only the outputs the outer pipeline
    /// reads, and shares the outer run's callbacks, cache and context.
    ///
    /// With `mapOver`, the node runs the inner pipeline once per item: each
    /// mapped input takes `[T]` where the inner input takes `T`, and every
    /// output becomes the list of per-item values, in item order. Such a map
    /// always fails fast (``MapFailurePolicy/stop``): a failing item stops it
    /// and fails the node, since the output lists cannot have holes.
    ///
    /// - Parameters:
    ///   - name: The node's name; defaults to the pipeline's name.
    ///   - inputMapping: Outer name → inner input name.
    ///   - outputMapping: Inner output name → outer name.
    ///   - mapOver: Outer input names to map over.
    ///   - mode: How mapped lists combine into items.
    /// - Throws: ``PipelineError`` naming a mapped name that does not exist.
    public func asNode(
        name: String? = nil,
        inputMapping: [String: String] = [:],
        outputMapping: [String: String] = [:],
        mapOver: [String] = [],
        mode: MapMode = .zip
    ) throws -> Node {
        let nodeName = name ?? self.name
        let context = "input mapping of node '\(nodeName)'"

        let unknownInner = inputMapping.values.filter { !graph.rootInputs.contains($0) }
        if !unknownInner.isEmpty {
            throw PipelineError.unknownInputs(
                unknown: unknownInner.sorted(), available: graph.rootInputs, context: context)
        }
        var outerFor: [String: String] = [:]
        for (outer, inner) in inputMapping.sorted(by: { $0.key < $1.key }) {
            if let other = outerFor[inner] {
                throw PipelineError.invalidMapping(
                    "\(context): '\(other)' and '\(outer)' both map to inner input '\(inner)'")
            }
            outerFor[inner] = outer
        }

        let exposedInner = graph.rootInputs.filter { boundInputs[$0] == nil || outerFor[$0] != nil }
        let outerNames = exposedInner.map { outerFor[$0] ?? $0 }
        var innerFor: [String: String] = [:]
        for (inner, outer) in zip(exposedInner, outerNames) {
            if let other = innerFor[outer] {
                throw PipelineError.invalidMapping(
                    "\(context): inner inputs '\(other)' and '\(inner)' would both be the outer input '\(outer)'")
            }
            innerFor[outer] = inner
        }
        let unknownMapped = mapOver.filter { !outerNames.contains($0) }
        if !unknownMapped.isEmpty {
            throw PipelineError.unknownInputs(
                unknown: unknownMapped, available: outerNames, context: "mapOver of node '\(nodeName)'")
        }
        let mappedSet = Set(mapOver)

        var inputs: [Port] = []
        var targets: [Int] = []
        var mapped: [Bool] = []
        for (inner, outer) in zip(exposedInner, outerNames) {
            let slot = graph.slotOf[inner]!
            let type = graph.slotTypes[slot]
            let isMapped = mappedSet.contains(outer)
            inputs.append(Port(name: outer, type: isMapped ? type.witness.arrayType : type))
            targets.append(slot)
            mapped.append(isMapped)
        }

        let unknownOutputs = outputMapping.keys.filter { !graph.outputNames.contains($0) }
        if !unknownOutputs.isEmpty {
            throw PipelineError.invalidMapping(
                "output mapping of node '\(nodeName)': not outputs of pipeline '\(self.name)': "
                    + unknownOutputs.sorted().joined(separator: ", ")
                    + " (outputs: \(graph.outputNames.joined(separator: ", ")))")
        }
        let exposedOutputs =
            outputMapping.isEmpty ? graph.outputNames : graph.outputNames.filter { outputMapping[$0] != nil }
        var outputs: [Port] = []
        for inner in exposedOutputs {
            let type = graph.slotTypes[graph.slotOf[inner]!]
            let outer = outputMapping[inner] ?? inner
            outputs.append(Port(name: outer, type: mapOver.isEmpty ? type : type.witness.arrayType))
        }

        let mapOrder = mapOver.map { name in inputs.firstIndex { $0.name == name }! }
        let nested = NestedPipeline(
            pipeline: self, inputTargets: targets, mapped: mapped, mapOrder: mapOrder,
            outputSources: exposedOutputs, mode: mode)
        return Node(
            name: nodeName, inputs: inputs, outputs: outputs, cache: false, codeVersion: nil,
            body: .pipeline(nested))
    }
}

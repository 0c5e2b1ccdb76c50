/// Turns compiled graphs into ``PipelineGraph`` values.
enum GraphDescriber {
    static func describe(_ root: CompiledGraph) -> PipelineGraph {
        var pipelines: [PipelineDescription] = []
        var index: [ObjectIdentifier: Int] = [:]

        func visit(_ graph: CompiledGraph) -> Int {
            if let known = index[ObjectIdentifier(graph)] { return known }
            let position = pipelines.count
            index[ObjectIdentifier(graph)] = position
            pipelines.append(PipelineDescription(name: graph.name, inputs: [], nodes: [], edges: []))

            var nodes: [NodeDescription] = []
            var edges: [EdgeDescription] = []
            for (i, node) in graph.nodes.enumerated() {
                var description = NodeDescription(
                    name: node.name,
                    inputs: node.inputs.map { PortDescription(name: $0.name, type: $0.type.name) },
                    outputs: node.outputs.map { PortDescription(name: $0.name, type: $0.type.name) },
                    cache: node.cache)
                if case .pipeline(let nested) = node.body {
                    description.pipeline = visit(nested.pipeline.graph)
                    description.mapOver = nested.mapOrder.map { node.inputs[$0].name }
                    description.mapMode = nested.isMap ? nested.mode.rawValue : nil
                }
                nodes.append(description)
                for slot in graph.compiled[i].inputSlots where graph.producer[slot] >= 0 {
                    edges.append(
                        EdgeDescription(
                            from: graph.nodes[graph.producer[slot]].name, to: node.name,
                            value: graph.slotNames[slot]))
                }
            }
            pipelines[position].inputs = graph.rootInputs.map {
                PortDescription(name: $0, type: graph.slotTypes[graph.slotOf[$0]!].name)
            }
            pipelines[position].nodes = nodes
            pipelines[position].edges = edges
            return position
        }

        _ = visit(root)
        return PipelineGraph(pipelines: pipelines)
    }
}

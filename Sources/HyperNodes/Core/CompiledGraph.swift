import Synchronization

/// A pipeline's DAG, checked and resolved once when the pipeline is built:
/// execution order, integer slots for every value, and per-node slot lists,
/// so that a run never looks a name up.
final class CompiledGraph: Sendable {
    let name: String
    /// Nodes in execution order: topological, ties broken by name.
    let nodes: [Node]
    /// Slot of every value name: root inputs first (sorted), then outputs in node order.
    let slotOf: [String: Int]
    let slotNames: [String]
    let slotTypes: [ValueType]
    /// Root input names, sorted.
    let rootInputs: [String]
    /// Output names, in node order.
    let outputNames: [String]
    /// Producing node index of each slot, or -1 for root inputs.
    let producer: [Int]
    /// The nodes as the engine executes them, one reference each.
    let compiled: [CompiledNode]
    let metadata: PipelineMetadata
    let fullPlan: Plan
    private let plans = Mutex<[[String]: Plan]>([:])
    private let describedGraph = Mutex<PipelineGraph?>(nil)

    /// The graph's description, computed once.
    var description: PipelineGraph {
        if let known = describedGraph.withLock({ $0 }) { return known }
        let made = GraphDescriber.describe(self)
        describedGraph.withLock { $0 = made }
        return made
    }

    init(name: String, nodes unordered: [Node]) throws {
        self.name = name
        try Self.validate(unordered)

        var producerOf: [String: Int] = [:]
        for (index, node) in unordered.enumerated() {
            for port in node.outputs {
                if let other = producerOf[port.name] {
                    throw PipelineError.duplicateOutput(
                        value: port.name,
                        producers: [unordered[other].name, node.name].sorted())
                }
                producerOf[port.name] = index
            }
        }

        // Types: every consumer against its producer, and root inputs against each other.
        var rootReader: [String: (node: String, type: ValueType)] = [:]
        // In name order, so the error reported does not depend on declaration order.
        for node in unordered.sorted(by: { $0.name < $1.name }) {
            for port in node.inputs {
                if let p = producerOf[port.name] {
                    let produced = unordered[p].outputs.first { $0.name == port.name }!
                    if produced.type != port.type {
                        let (producerType, consumerType) = ValueType.distinctNames(produced.type, port.type)
                        throw PipelineError.typeMismatch(
                            value: port.name, producer: unordered[p].name,
                            producerType: producerType, consumer: node.name, consumerType: consumerType)
                    }
                } else if let first = rootReader[port.name] {
                    if first.type != port.type {
                        let (firstType, secondType) = ValueType.distinctNames(first.type, port.type)
                        throw PipelineError.inputTypeConflict(
                            value: port.name, first: first.node, firstType: firstType,
                            second: node.name, secondType: secondType)
                    }
                } else {
                    rootReader[port.name] = (node.name, port.type)
                }
            }
        }

        let order = try Self.topologicalOrder(unordered, producerOf: producerOf)
        let nodes = order.map { unordered[$0] }
        self.nodes = nodes

        var slotOf: [String: Int] = [:]
        var slotNames: [String] = []
        var slotTypes: [ValueType] = []
        var producer: [Int] = []
        let rootInputs = rootReader.keys.sorted()
        for name in rootInputs {
            slotOf[name] = slotNames.count
            slotNames.append(name)
            slotTypes.append(rootReader[name]!.type)
            producer.append(-1)
        }
        var outputNames: [String] = []
        for (index, node) in nodes.enumerated() {
            for port in node.outputs {
                slotOf[port.name] = slotNames.count
                slotNames.append(port.name)
                slotTypes.append(port.type)
                producer.append(index)
                outputNames.append(port.name)
            }
        }
        self.slotOf = slotOf
        self.slotNames = slotNames
        self.slotTypes = slotTypes
        self.producer = producer
        self.rootInputs = rootInputs
        self.outputNames = outputNames
        let compiled = nodes.map { node in
            CompiledNode(
                node: node, inputSlots: node.inputs.map { slotOf[$0.name]! },
                outputSlots: node.outputs.map { slotOf[$0.name]! })
        }
        self.compiled = compiled
        self.metadata = PipelineMetadata(name: name, nodeIDs: nodes.map(\.name))
        self.fullPlan = Plan(
            nodes: Array(nodes.indices), resultSlots: outputNames.map { slotOf[$0]! },
            compiled: compiled, producer: producer)
    }

    /// The plan computing `outputs`, or every output when `nil`.
    func plan(for outputs: [String]?) throws -> Plan {
        guard let outputs else { return fullPlan }
        let key = outputs
        if let cached = plans.withLock({ $0[key] }) { return cached }

        let unknown = outputs.filter { name in slotOf[name].map { producer[$0] < 0 } ?? true }
        if !unknown.isEmpty {
            throw PipelineError.unknownOutputs(unknown: unknown, available: outputNames)
        }
        var needed = Set<Int>()
        var stack = outputs.map { producer[slotOf[$0]!] }
        while let node = stack.popLast() {
            guard needed.insert(node).inserted else { continue }
            for slot in compiled[node].inputSlots where producer[slot] >= 0 {
                stack.append(producer[slot])
            }
        }
        var seen = Set<Int>()
        let resultSlots = outputs.map { slotOf[$0]! }.filter { seen.insert($0).inserted }
        let plan = Plan(
            nodes: needed.sorted(), resultSlots: resultSlots,
            compiled: compiled, producer: producer)
        plans.withLock { $0[key] = plan }
        return plan
    }

    private static func validate(_ nodes: [Node]) throws {
        var names = Set<String>()
        for node in nodes {
            if node.name.isEmpty {
                throw PipelineError.invalidNode(node: node.name, reason: "the name is empty")
            }
            if !names.insert(node.name).inserted {
                throw PipelineError.duplicateNodeName(node.name)
            }
            if node.outputs.isEmpty {
                throw PipelineError.invalidNode(node: node.name, reason: "it has no outputs")
            }
            try validatePorts(node.inputs, of: node, kind: "input")
            try validatePorts(node.outputs, of: node, kind: "output")
        }
    }

    /// Port names of one kind are non-empty and distinct.
    private static func validatePorts(_ ports: [Port], of node: Node, kind: String) throws {
        var seen = Set<String>()
        for port in ports {
            if port.name.isEmpty {
                throw PipelineError.invalidNode(node: node.name, reason: "an \(kind) name is empty")
            }
            if !seen.insert(port.name).inserted {
                throw PipelineError.invalidNode(node: node.name, reason: "\(kind) '\(port.name)' is declared twice")
            }
        }
    }

    /// Kahn's algorithm, always taking the ready node with the smallest name.
    private static func topologicalOrder(_ nodes: [Node], producerOf: [String: Int]) throws -> [Int] {
        var dependents = Array(repeating: [Int](), count: nodes.count)
        var inDegree = Array(repeating: 0, count: nodes.count)
        for (index, node) in nodes.enumerated() {
            let deps = Set(node.inputs.compactMap { producerOf[$0.name] })
            inDegree[index] = deps.count
            for dep in deps { dependents[dep].append(index) }
        }
        var ready = nodes.indices.filter { inDegree[$0] == 0 }
        var order: [Int] = []
        while !ready.isEmpty {
            let pick = ready.indices.min { nodes[ready[$0]].name < nodes[ready[$1]].name }!
            let node = ready.remove(at: pick)
            order.append(node)
            for next in dependents[node] {
                inDegree[next] -= 1
                if inDegree[next] == 0 { ready.append(next) }
            }
        }
        if order.count < nodes.count {
            throw PipelineError.cycle(path: findCycle(nodes, producerOf: producerOf, among: inDegree))
        }
        return order
    }

    /// A cycle among the nodes Kahn's algorithm could not order, as names, closed.
    private static func findCycle(_ nodes: [Node], producerOf: [String: Int], among inDegree: [Int]) -> [String] {
        // Walk backwards along dependencies from a blocked node until a node repeats.
        let blocked = Set(nodes.indices.filter { inDegree[$0] > 0 })
        let start = blocked.min { nodes[$0].name < nodes[$1].name }!
        var path = [start]
        var position: [Int: Int] = [start: 0]
        var current = start
        while true {
            let deps = nodes[current].inputs.compactMap { producerOf[$0.name] }.filter(blocked.contains)
            let next = deps.min { nodes[$0].name < nodes[$1].name }!
            if let at = position[next] {
                let cycle = Array(path[at...]).reversed().map { nodes[$0].name }
                return cycle + [cycle[0]]
            }
            position[next] = path.count
            path.append(next)
            current = next
        }
    }
}

/// A node as the engine executes it: its slots and flags resolved once, so
/// the hot path reads one reference instead of copying the node's fields.
final class CompiledNode: Sendable {
    let node: Node
    let name: String
    let body: NodeBody
    /// The synchronous body, when the node has one.
    let syncBody: (@Sendable (Arguments, Results) throws -> Void)?
    let inputSlots: [Int]
    let outputSlots: [Int]
    /// Whether results may be cached: the node allows it and every output is `Codable`.
    let cacheable: Bool

    init(node: Node, inputSlots: [Int], outputSlots: [Int]) {
        self.node = node
        self.name = node.name
        self.body = node.body
        if case .sync(let body) = node.body { syncBody = body } else { syncBody = nil }
        self.inputSlots = inputSlots
        self.outputSlots = outputSlots
        self.cacheable = node.cache && node.outputs.allSatisfy(\.type.isCodable)
    }
}

/// The nodes one run executes and how they depend on each other.
final class Plan: Sendable {
    /// Node indices in execution order.
    let nodes: [Int]
    /// Root input slots the plan reads.
    let requiredInputs: [Int]
    /// Slots returned to the caller.
    let resultSlots: [Int]
    /// For each plan position, the positions that depend on it.
    let dependents: [[Int]]
    /// For each plan position, how many plan positions it depends on.
    let inDegree: [Int]
    /// Positions with no dependencies, in order.
    let initialReady: [Int]
    /// `true` when at most one node is ever ready at a time: no task group is needed.
    let isChain: Bool
    /// For each plan position, which of the node's outputs are read by later
    /// nodes or returned (nested pipelines compute only those).
    let neededOutputs: [[Bool]]

    init(nodes: [Int], resultSlots: [Int], compiled: [CompiledNode], producer: [Int]) {
        self.nodes = nodes
        self.resultSlots = resultSlots
        var positionOf: [Int: Int] = [:]
        for (position, node) in nodes.enumerated() { positionOf[node] = position }

        var dependents = Array(repeating: [Int](), count: nodes.count)
        var inDegree = Array(repeating: 0, count: nodes.count)
        var required = Set<Int>()
        var read = Set(resultSlots)
        for (position, node) in nodes.enumerated() {
            var deps = Set<Int>()
            for slot in compiled[node].inputSlots {
                read.insert(slot)
                if producer[slot] < 0 {
                    required.insert(slot)
                } else if let dep = positionOf[producer[slot]] {
                    deps.insert(dep)
                }
            }
            inDegree[position] = deps.count
            for dep in deps.sorted() { dependents[dep].append(position) }
        }
        self.dependents = dependents
        self.inDegree = inDegree
        self.requiredInputs = required.sorted()
        self.initialReady = nodes.indices.filter { inDegree[$0] == 0 }
        self.neededOutputs = nodes.map { node in compiled[node].outputSlots.map { read.contains($0) } }

        // Simulate inline execution: a chain never has two ready nodes.
        var remaining = inDegree
        var ready = initialReady
        var chain = true
        while let position = ready.first {
            if ready.count > 1 {
                chain = false
                break
            }
            ready.removeFirst()
            for next in dependents[position] {
                remaining[next] -= 1
                if remaining[next] == 0 { ready.append(next) }
            }
        }
        self.isChain = chain
    }
}

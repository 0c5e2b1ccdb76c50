import Foundation
import Logging
import Synchronization

/// Cache keys and cache entries: content keys of root inputs, node keys
/// from code identity and input keys, loading and storing outputs.
extension Run {
    func computeRootKeys(_ graph: CompiledGraph, plan: Plan, frame: Frame) {
        for slot in plan.requiredInputs where frame.key(slot) == nil {
            if let value = frame[slot] {
                frame.setKey(Self.contentKey(value, type: graph.slotTypes[slot]), slot)
            }
        }
    }

    static func contentKey(_ value: any Sendable, type: ValueType) -> CacheKey? {
        guard type.isCodable, let data = try? type.witness.encode(value) else { return nil }
        var hasher = StableHasher()
        hasher.combine("hypernodes.value.v1")
        hasher.combine(type.qualifiedName)
        hasher.combine(data)
        return hasher.finalize()
    }

    static func outputKey(_ nodeKey: CacheKey, _ output: String) -> CacheKey {
        var hasher = StableHasher()
        hasher.combine("hypernodes.output.v1")
        hasher.combine(nodeKey)
        hasher.combine(output)
        return hasher.finalize()
    }

    func nodeKey(_ node: Node, inputSlots: [Int], frame: Frame) -> CacheKey? {
        var hasher = StableHasher()
        hasher.combine("hypernodes.node.v1")
        hasher.combine(CodeIdentity.of(node))
        hasher.combine(node.name)
        hasher.combine(UInt64(node.inputs.count))
        for (port, slot) in zip(node.inputs, inputSlots) {
            // Outputs of nodes that are not cached carry no key: hash their
            // contents here, only when a cached consumer needs them.
            guard let key = frame.key(slot) ?? frame[slot].flatMap({ Self.contentKey($0, type: port.type) })
            else { return nil }
            hasher.combine(port.name)
            hasher.combine(key)
        }
        for port in node.outputs {
            hasher.combine(port.name)
            hasher.combine(port.type.qualifiedName)
        }
        return hasher.finalize()
    }

    /// Downstream provenance of a cached node's outputs: derived from its key.
    /// Other nodes' outputs get no key; a cached consumer hashes their
    /// contents (a node that opted out of caching may not be deterministic).
    func recordOutputKeys(_ node: Node, key: CacheKey, outputSlots: [Int], frame: Frame) {
        for (port, slot) in zip(node.outputs, outputSlots) {
            frame.setKey(Self.outputKey(key, port.name), slot)
        }
    }

    func load(_ cache: any CacheStore, key: CacheKey, node: Node) -> [any Sendable]? {
        let data: Data
        do {
            guard let stored = try cache.load(key) else { return nil }
            data = stored
        } catch {
            warn(
                "unreadable cache entries",
                "cache entry for node '\(node.name)' is unreadable, running the node instead: \(error)")
            return nil
        }
        do {
            let parts = try CacheEntryCodec.unpack(data, expectedCount: node.outputs.count)
            return try zip(node.outputs, parts).map { port, part in try port.type.witness.decode(part) }
        } catch {
            warn(
                "undecodable cache entries",
                "cache entry \(key.hex) for node '\(node.name)' cannot be decoded, running the node instead: \(error)")
            return nil
        }
    }

    func store(_ cache: any CacheStore, key: CacheKey, node: Node, outputSlots: [Int], frame: Frame) {
        do {
            let parts = try zip(node.outputs, outputSlots).map { port, slot in
                try port.type.witness.encode(frame[slot]!)
            }
            try cache.store(CacheEntryCodec.pack(parts), for: key)
        } catch {
            warn("failed cache writes", "could not cache the outputs of node '\(node.name)': \(error)")
        }
    }
}

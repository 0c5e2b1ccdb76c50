import Foundation
import Logging
import Synchronization

/// Executing one node: cache lookup, start and end events, the body, and
/// nested pipelines.
extension Run {
    /// A node between its start and its end: what the end needs to know.
    struct NodeCall {
        let key: CacheKey?
        let span: SpanID
        let start: UInt64
    }

    /// Executes one node; synchronous bodies take ``executeSyncNode`` and never suspend.
    @discardableResult
    func executeNode(
        _ graph: CompiledGraph, plan: Plan, position: Int, frame: Frame, scope: Scope, parent: SpanID,
        lane: Int, item: ItemRef?, at instant: UInt64? = nil
    ) async throws -> UInt64 {
        let node = graph.compiled[plan.nodes[position]]
        if node.syncBody != nil {
            return try executeSyncNode(
                graph, plan: plan, position: position, frame: frame, scope: scope, parent: parent, lane: lane,
                item: item, at: instant)
        }
        let call: NodeCall
        switch beginNode(node, frame: frame, scope: scope, parent: parent, lane: lane, item: item, at: instant) {
        case .cached(let last): return last
        case .started(let started): call = started
        }
        do {
            switch node.body {
            case .sync(let body):
                try body(
                    Arguments(frame: frame, slots: node.inputSlots), Results(frame: frame, slots: node.outputSlots))
            case .async(let body):
                try await body(
                    Arguments(frame: frame, slots: node.inputSlots), Results(frame: frame, slots: node.outputSlots))
            case .pipeline(let nested):
                try await executeNested(
                    nested, node: node.node, frame: frame, inputSlots: node.inputSlots,
                    outputSlots: node.outputSlots, needed: plan.neededOutputs[position], scope: scope,
                    span: call.span, lane: lane)
            }
        } catch {
            throw failNode(node, call: call, error: error, scope: scope, parent: parent, lane: lane)
        }
        return endNode(node, call: call, frame: frame, scope: scope, parent: parent, lane: lane)
    }

    /// Executes a node whose body is synchronous, without any suspension point.
    ///
    /// - Returns: the timestamp of the node's last event.
    func executeSyncNode(
        _ graph: CompiledGraph, plan: Plan, position: Int, frame: Frame, scope: Scope, parent: SpanID,
        lane: Int, item: ItemRef?, at instant: UInt64?
    ) throws -> UInt64 {
        let node = graph.compiled[plan.nodes[position]]
        guard let body = node.syncBody else { return 0 }
        let call: NodeCall
        switch beginNode(node, frame: frame, scope: scope, parent: parent, lane: lane, item: item, at: instant) {
        case .cached(let last): return last
        case .started(let started): call = started
        }
        do {
            try body(Arguments(frame: frame, slots: node.inputSlots), Results(frame: frame, slots: node.outputSlots))
        } catch {
            throw failNode(node, call: call, error: error, scope: scope, parent: parent, lane: lane)
        }
        return endNode(node, call: call, frame: frame, scope: scope, parent: parent, lane: lane)
    }

    /// How a node began: served from the cache, or started.
    enum NodeBeginning {
        /// Served from the cache; the timestamp of the last event emitted.
        case cached(UInt64)
        /// Its span is open and its body must run.
        case started(NodeCall)
    }

    /// Serves the node from the cache or opens its span.
    ///
    /// - Parameter instant: the timestamp of the event emitted just before,
    ///   reused for the start event unless the cache was consulted.
    @inline(__always)
    func beginNode(
        _ node: CompiledNode, frame: Frame, scope: Scope, parent: SpanID, lane: Int, item: ItemRef?,
        at instant: UInt64?
    ) -> NodeBeginning {
        var key: CacheKey?
        var instant = instant
        if let cache, frame.hasKeys, node.cacheable {
            instant = nil
            key = nodeKey(node.node, inputSlots: node.inputSlots, frame: frame)
            if let key, let values = load(cache, key: key, node: node.node) {
                let outputs = node.node.outputs
                for (k, slot) in node.outputSlots.enumerated() {
                    frame[slot] = values[k]
                    frame.setKey(Self.outputKey(key, outputs[k].name), slot)
                }
                guard bus != nil else { return .cached(0) }
                var attributes = ["cache.key": key.hex]
                if previews {
                    attributes.merge(previews(outputs, node.outputSlots, frame, prefix: "output.")) { a, _ in a }
                }
                var last = emit(
                    .nodeCached, .cached, span: newSpan(lane: lane), parent: parent, name: node.name,
                    scope: scope, lane: lane, details: Self.details(attributes: attributes))
                if let item {
                    last = emit(
                        .mapItemCached, .cached, span: item.span, parent: item.mapSpan, name: node.name,
                        scope: scope, lane: lane, item: item.index,
                        details: Self.details(attributes: ["cache.key": key.hex]), at: last)
                }
                return .cached(last)
            }
        }
        guard bus != nil else { return .started(NodeCall(key: key, span: SpanID(rawValue: 0), start: 0)) }
        let span = newSpan(lane: lane)
        let start = emit(
            .nodeStart, .running, span: span, parent: parent, name: node.name, scope: scope, lane: lane,
            details: previews
                ? Self.details(attributes: previews(node.node.inputs, node.inputSlots, frame, prefix: "input."))
                : nil,
            at: instant)
        return .started(NodeCall(key: key, span: span, start: start))
    }

    /// Closes a node's span after its body returned: records keys, stores the cache entry.
    ///
    /// - Returns: the timestamp of the end event.
    @inline(__always)
    func endNode(
        _ node: CompiledNode, call: NodeCall, frame: Frame, scope: Scope, parent: SpanID, lane: Int
    ) -> UInt64 {
        if frame.hasKeys, let key = call.key {
            recordOutputKeys(node.node, key: key, outputSlots: node.outputSlots, frame: frame)
            if let cache { store(cache, key: key, node: node.node, outputSlots: node.outputSlots, frame: frame) }
        }
        guard bus != nil else { return 0 }
        return emit(
            .nodeEnd, .ok, span: call.span, parent: parent, name: node.name, scope: scope, lane: lane,
            startedAt: call.start,
            details: previews
                ? Self.details(attributes: previews(node.node.outputs, node.outputSlots, frame, prefix: "output."))
                : nil)
    }

    /// Closes a node's span after its body threw, and returns the error to propagate.
    func failNode(
        _ node: CompiledNode, call: NodeCall, error: any Error, scope: Scope, parent: SpanID, lane: Int
    ) -> any Error {
        let cancelled = Self.isCancellation(error)
        let info = cancelled ? nil : errorInfo(error)
        if bus != nil {
            if let info {
                emit(
                    .error, .error, span: call.span, parent: parent, name: node.name, scope: scope, lane: lane,
                    details: Self.details(error: info))
            }
            emit(
                .nodeEnd, cancelled ? .cancelled : .error, span: call.span, parent: parent, name: node.name,
                scope: scope, lane: lane, startedAt: call.start, details: Self.details(error: info))
        }
        if cancelled { return CancellationError() }
        if let nodeError = error as? NodeError { return nodeError }
        return NodeError(path: [node.name], underlying: error)
    }

    func executeNested(
        _ nested: NestedPipeline, node: Node, frame: Frame, inputSlots: [Int], outputSlots: [Int],
        needed: [Bool], scope: Scope, span: SpanID, lane: Int
    ) async throws {
        let inner = nested.pipeline.graph
        let childScope = Scope(
            runID: id, origin: origin, wallClockOrigin: wallClockOrigin, metadata: inner.metadata, parent: scope)
        var nestedSpan = SpanID(rawValue: 0)
        var start: UInt64 = 0
        let attributes = bus == nil ? [:] : ["parent.pipeline": scope.metadata.name, "child.pipeline": inner.name]
        if bus != nil {
            nestedSpan = newSpan(lane: lane)
            start = emit(
                .nestedPipelineStart, .running, span: nestedSpan, parent: span, name: inner.name, scope: scope,
                lane: lane, details: Self.details(attributes: attributes))
        }
        do {
            let wanted = zip(nested.outputSources, needed).filter(\.1).map(\.0)
            let plan = try inner.plan(for: wanted)
            let base = Frame.make(count: inner.slotNames.count, withKeys: frame.hasKeys)
            for (name, value) in nested.pipeline.boundInputs {
                if let slot = inner.slotOf[name] { base[slot] = value }
            }
            for (k, target) in nested.inputTargets.enumerated() where !nested.mapped[k] {
                base[target] = frame[inputSlots[k]]
                base.setKey(frame.key(inputSlots[k]), target)
            }
            if !nested.isMap {
                do {
                    try await executePipeline(
                        inner, plan: plan, frame: base, scope: childScope, parent: nestedSpan, lane: lane,
                        item: nil, announceGraph: false)
                } catch let error as NodeError {
                    throw error.prefixed(node.name)
                }
                for (k, slot) in outputSlots.enumerated() where needed[k] {
                    frame[slot] = base[inner.slotOf[nested.outputSources[k]]!]
                }
            } else {
                var lists: [(slot: Int, elements: [any Sendable])] = []
                var names: [String] = []
                for k in nested.mapOrder {
                    let target = nested.inputTargets[k]
                    let value = frame[inputSlots[k]]!
                    // The port's type is [T], checked when the outer pipeline was built.
                    lists.append((target, inner.slotTypes[target].witness.elements(of: value) ?? []))
                    names.append(node.inputs[k].name)
                }
                let items = try MapItems(lists: lists, names: names, mode: nested.mode)
                let frames = try await executeMap(
                    inner, plan: plan, base: base, items: items, scope: childScope, parent: nestedSpan,
                    lane: lane, name: node.name, announceGraph: false)
                for (k, slot) in outputSlots.enumerated() where needed[k] {
                    let innerSlot = inner.slotOf[nested.outputSources[k]]!
                    frame[slot] = inner.slotTypes[innerSlot].witness.makeArray(frames.map { $0[innerSlot]! })
                }
            }
        } catch {
            if bus != nil {
                let status = Self.status(of: error)
                emit(
                    .nestedPipelineEnd, status, span: nestedSpan, parent: span, name: inner.name, scope: scope,
                    lane: lane, startedAt: start,
                    details: Self.details(attributes: attributes, error: status == .error ? errorInfo(error) : nil))
            }
            throw error
        }
        if bus != nil {
            emit(
                .nestedPipelineEnd, .ok, span: nestedSpan, parent: span, name: inner.name, scope: scope,
                lane: lane, startedAt: start, details: Self.details(attributes: attributes))
        }
    }
}

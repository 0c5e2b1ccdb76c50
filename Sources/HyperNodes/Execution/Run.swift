import Foundation
import Logging
import Synchronization

/// A map item being executed: its span, its map's span and its index.
struct ItemRef: Sendable {
    let span: SpanID
    let mapSpan: SpanID
    let index: Int
}

/// One top-level `run` or `map`: the state shared by everything it executes,
/// nested pipelines included.
final class Run: Sendable {
    let id: UInt64
    let origin: UInt64
    let bus: EventBus?
    let previews: Bool
    let cache: (any CacheStore)?
    let maxConcurrency: Int
    let sequential: Bool
    let logger: Logger
    let graph: PipelineGraph?
    let lanes = LaneAllocator()
    private let spans = SpanAllocator()
    private let warningCounts = Mutex<[String: Int]>([:])

    init(
        bus: EventBus?, cache: (any CacheStore)?, maxConcurrency: Int, sequential: Bool,
        logger: Logger, graph: PipelineGraph?
    ) {
        self.id = RunID.next()
        self.bus = bus
        self.previews = bus?.wantsValuePreviews ?? false
        self.cache = cache
        self.maxConcurrency = maxConcurrency
        self.sequential = sequential
        self.logger = logger
        self.graph = graph
        self.origin = bus == nil ? 0 : MonotonicClock.now()
    }

    // MARK: Warnings

    /// Logs the first warning of each kind in this run; later ones are counted
    /// and summarised by ``finish()``, so a broken cache directory does not
    /// print one line per node and item.
    private func warn(_ kind: String, _ message: @autoclosure () -> Logger.Message) {
        let first = warningCounts.withLock { counts in
            counts[kind, default: 0] += 1
            return counts[kind] == 1
        }
        if first { logger.warning(message()) }
    }

    /// Reports the warnings that were held back.
    func finish() {
        let counts = warningCounts.withLock { $0 }
        for (kind, count) in counts.sorted(by: { $0.key < $1.key }) where count > 1 {
            logger.warning("\(count - 1) more \(kind) in this run")
        }
    }

    // MARK: Events

    @inline(__always)
    func newSpan(lane: Int) -> SpanID {
        spans.next(lane: lane)
    }

    /// Builds an event stamped with the time since the run started (and, for
    /// an end event, its duration since `startedAt`) and delivers it.
    ///
    /// `instant` reuses the timestamp of an event emitted just before, with
    /// no node code, cache access or suspension in between (a node's end and
    /// the next node's start): one clock reading serves both.
    ///
    /// - Returns: the event's timestamp.
    @discardableResult
    @inline(__always)
    func emit(
        _ kind: EventKind, _ status: SpanStatus, span: SpanID, parent: SpanID?, name: String,
        scope: Scope, lane: Int, startedAt: UInt64? = nil, item: Int? = nil, count: Int? = nil,
        details: EventDetails? = nil, at instant: UInt64? = nil
    ) -> UInt64 {
        guard let bus else { return 0 }
        let timestamp = instant ?? (MonotonicClock.now() &- origin)
        let event = PipelineEvent(
            kind: kind, status: status, runID: id, spanID: span, parentSpanID: parent, name: name,
            timestamp: timestamp, duration: startedAt.map { timestamp &- $0 }, depth: scope.depth, lane: lane,
            itemIndex: item, itemCount: count, details: details)
        bus.deliver(event, context: CallbackContext(scope: scope))
        return timestamp
    }

    static func details(
        attributes: [String: String] = [:], error: ErrorInfo? = nil, graph: PipelineGraph? = nil
    ) -> EventDetails? {
        EventDetails.make(attributes: attributes, error: error, graph: graph)
    }

    static func status(of error: any Error) -> SpanStatus {
        isCancellation(error) ? .cancelled : .error
    }

    static func isCancellation(_ error: any Error) -> Bool {
        if error is CancellationError { return true }
        if let nodeError = error as? NodeError { return nodeError.underlying is CancellationError }
        return false
    }

    private func previews(_ ports: [Port], _ slots: [Int], _ frame: Frame, prefix: String) -> [String: String] {
        var attributes: [String: String] = [:]
        for (port, slot) in zip(ports, slots) {
            if let value = frame[slot] { attributes[prefix + port.name] = Preview.of(value) }
        }
        return attributes
    }

    // MARK: Pipelines

    /// Runs a pipeline's plan over a frame, inside a pipeline span.
    ///
    /// - Returns: the timestamp of the pipeline's end event.
    @discardableResult
    func executePipeline(
        _ graph: CompiledGraph, plan: Plan, frame: Frame, scope: Scope, parent: SpanID?, lane: Int,
        item: ItemRef?, announceGraph: Bool, at instant: UInt64? = nil
    ) async throws -> UInt64 {
        var span = SpanID(rawValue: 0)
        var start: UInt64 = 0
        if bus != nil {
            span = newSpan(lane: lane)
            start = emit(
                .pipelineStart, .running, span: span, parent: parent, name: graph.name, scope: scope,
                lane: lane, details: Self.details(graph: announceGraph ? self.graph : nil), at: instant)
        }
        var last: UInt64? = start
        if cache != nil {
            computeRootKeys(graph, plan: plan, frame: frame)
            last = nil
        }
        do {
            last = try await executeNodes(
                graph, plan: plan, frame: frame, scope: scope, span: span, lane: lane, item: item, at: last)
        } catch {
            if bus != nil {
                let status = Self.status(of: error)
                emit(
                    .pipelineEnd, status, span: span, parent: parent, name: graph.name, scope: scope,
                    lane: lane, startedAt: start,
                    details: Self.details(error: status == .error ? ErrorInfo(error) : nil))
            }
            throw error
        }
        guard bus != nil else { return 0 }
        return emit(
            .pipelineEnd, .ok, span: span, parent: parent, name: graph.name, scope: scope, lane: lane,
            startedAt: start, at: last)
    }

    /// Runs the plan's nodes: inline one after the other for a chain or in
    /// sequential mode, in a task group otherwise.
    ///
    /// - Parameter instant: the timestamp of the event emitted just before.
    /// - Returns: the timestamp of the last event emitted, when it can serve
    ///   the next event (inline execution), or `nil`.
    private func executeNodes(
        _ graph: CompiledGraph, plan: Plan, frame: Frame, scope: Scope, span: SpanID, lane: Int,
        item: ItemRef?, at instant: UInt64?
    ) async throws -> UInt64? {
        if plan.isChain || sequential {
            var last = instant
            for position in plan.nodes.indices {
                try Task.checkCancellation()
                if graph.compiled[plan.nodes[position]].syncBody != nil {
                    last = try executeSyncNode(
                        graph, plan: plan, position: position, frame: frame, scope: scope, parent: span,
                        lane: lane, item: item, at: last)
                } else {
                    last = try await executeNode(
                        graph, plan: plan, position: position, frame: frame, scope: scope, parent: span,
                        lane: lane, item: item, at: last)
                }
            }
            return last
        }
        try await withThrowingTaskGroup(of: Int.self) { group in
            var remaining = plan.inDegree
            var ready = plan.initialReady
            var running = 0
            var failure: (any Error)?

            func complete(_ position: Int) {
                for next in plan.dependents[position] {
                    remaining[next] -= 1
                    if remaining[next] == 0 { ready.append(next) }
                }
                ready.sort()
            }

            while true {
                while failure == nil, !ready.isEmpty {
                    if ready.count == 1 && running == 0 {
                        // Nothing else can run: execute inline, no child task.
                        let position = ready.removeFirst()
                        do {
                            try Task.checkCancellation()
                            try await executeNode(
                                graph, plan: plan, position: position, frame: frame, scope: scope,
                                parent: span, lane: lane, item: item)
                            complete(position)
                        } catch {
                            failure = error
                        }
                        continue
                    }
                    for position in ready {
                        running += 1
                        // Frames are shared by design: concurrent nodes write disjoint slots.
                        nonisolated(unsafe) let frame = frame
                        group.addTask {
                            let observed = self.bus != nil
                            let childLane = observed ? self.lanes.acquire() : lane
                            defer { if observed { self.lanes.release(childLane) } }
                            try Task.checkCancellation()
                            try await self.executeNode(
                                graph, plan: plan, position: position, frame: frame,
                                scope: observed ? scope.copy() : scope, parent: span, lane: childLane, item: item)
                            return position
                        }
                    }
                    ready.removeAll()
                }
                if running == 0 { break }
                do {
                    if let position = try await group.next() {
                        running -= 1
                        if failure == nil { complete(position) }
                    }
                } catch {
                    running -= 1
                    if failure == nil || (Self.isCancellation(failure!) && !Self.isCancellation(error)) {
                        failure = error
                    }
                    group.cancelAll()
                }
            }
            if let failure { throw failure }
        }
        return nil
    }

    // MARK: Nodes

    /// A node between its start and its end: what the end needs to know.
    private struct NodeCall {
        let key: CacheKey?
        let span: SpanID
        let start: UInt64
    }

    /// Executes one node; synchronous bodies take ``executeSyncNode`` and never suspend.
    @discardableResult
    private func executeNode(
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
    private func executeSyncNode(
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
    private enum NodeBeginning {
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
    private func beginNode(
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
    private func endNode(
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
    private func failNode(
        _ node: CompiledNode, call: NodeCall, error: any Error, scope: Scope, parent: SpanID, lane: Int
    ) -> any Error {
        let cancelled = Self.isCancellation(error)
        let info = cancelled ? nil : ErrorInfo(error)
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

    private func executeNested(
        _ nested: NestedPipeline, node: Node, frame: Frame, inputSlots: [Int], outputSlots: [Int],
        needed: [Bool], scope: Scope, span: SpanID, lane: Int
    ) async throws {
        let inner = nested.pipeline.graph
        let childScope = Scope(runID: id, origin: origin, metadata: inner.metadata, parent: scope)
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
                    details: Self.details(attributes: attributes, error: status == .error ? ErrorInfo(error) : nil))
            }
            throw error
        }
        if bus != nil {
            emit(
                .nestedPipelineEnd, .ok, span: nestedSpan, parent: span, name: inner.name, scope: scope,
                lane: lane, startedAt: start, details: Self.details(attributes: attributes))
        }
    }

    // MARK: Maps

    func executeMap(
        _ graph: CompiledGraph, plan: Plan, base: Frame, items: MapItems, scope: Scope, parent: SpanID?,
        lane: Int, name: String, announceGraph: Bool
    ) async throws -> [Frame] {
        let count = items.count
        var mapSpan = SpanID(rawValue: 0)
        var start: UInt64 = 0
        if bus != nil {
            mapSpan = newSpan(lane: lane)
            start = emit(
                .mapStart, .running, span: mapSpan, parent: parent, name: graph.name, scope: scope, lane: lane,
                count: count, details: Self.details(graph: announceGraph ? self.graph : nil))
        }
        if cache != nil { computeRootKeys(graph, plan: plan, frame: base) }
        let results = FrameList(count: count)
        do {
            let workers = sequential ? 1 : min(maxConcurrency, count)
            if workers <= 1 {
                for index in 0..<count {
                    try Task.checkCancellation()
                    results[index] = try await executeItem(
                        graph, plan: plan, base: base, items: items, index: index, scope: scope,
                        mapSpan: mapSpan, lane: lane, name: name)
                }
            } else {
                let cursor = MapCursor()
                let mapSpan = mapSpan
                // Workers only read the base frame.
                nonisolated(unsafe) let base = base
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for worker in 0..<workers {
                        group.addTask {
                            let observed = self.bus != nil
                            let workerLane = observed && worker > 0 ? self.lanes.acquire() : lane
                            defer { if observed && worker > 0 { self.lanes.release(workerLane) } }
                            // Each worker's events hold its own copy of the scope, so the
                            // workers never contend for one reference count.
                            let scope = observed ? scope.copy() : scope
                            while !cursor.stopped {
                                let index = cursor.next()
                                if index >= count { break }
                                try Task.checkCancellation()
                                do {
                                    results[index] = try await self.executeItem(
                                        graph, plan: plan, base: base, items: items, index: index, scope: scope,
                                        mapSpan: mapSpan, lane: workerLane, name: name)
                                } catch {
                                    cursor.stop()
                                    throw error
                                }
                            }
                        }
                    }
                    var failure: (any Error)?
                    while !group.isEmpty {
                        do {
                            try await group.next()
                        } catch {
                            if failure == nil || (Self.isCancellation(failure!) && !Self.isCancellation(error)) {
                                failure = error
                            }
                            group.cancelAll()
                        }
                    }
                    if let failure { throw failure }
                }
            }
        } catch {
            if bus != nil {
                let status = Self.status(of: error)
                emit(
                    .mapEnd, status, span: mapSpan, parent: parent, name: graph.name, scope: scope, lane: lane,
                    startedAt: start, count: count,
                    details: Self.details(error: status == .error ? ErrorInfo(error) : nil))
            }
            throw error
        }
        if bus != nil {
            emit(
                .mapEnd, .ok, span: mapSpan, parent: parent, name: graph.name, scope: scope, lane: lane,
                startedAt: start, count: count)
        }
        return results.frames
    }

    private func executeItem(
        _ graph: CompiledGraph, plan: Plan, base: Frame, items: MapItems, index: Int, scope: Scope,
        mapSpan: SpanID, lane: Int, name: String
    ) async throws -> Frame {
        let frame = Frame.make(count: graph.slotNames.count, withKeys: base.hasKeys)
        for slot in plan.requiredInputs {
            frame[slot] = base[slot]
            frame.setKey(base.key(slot), slot)
        }
        items.fill(frame, item: index)
        var itemSpan = SpanID(rawValue: 0)
        var start: UInt64 = 0
        if bus != nil {
            itemSpan = newSpan(lane: lane)
            start = emit(
                .mapItemStart, .running, span: itemSpan, parent: mapSpan, name: graph.name, scope: scope,
                lane: lane, item: index)
        }
        let end: UInt64
        do {
            end = try await executePipeline(
                graph, plan: plan, frame: frame, scope: scope, parent: itemSpan, lane: lane,
                item: ItemRef(span: itemSpan, mapSpan: mapSpan, index: index), announceGraph: false, at: start)
        } catch {
            if bus != nil {
                let status = Self.status(of: error)
                emit(
                    .mapItemEnd, status, span: itemSpan, parent: mapSpan, name: graph.name, scope: scope,
                    lane: lane, startedAt: start, item: index,
                    details: Self.details(error: status == .error ? ErrorInfo(error) : nil))
            }
            if let nodeError = error as? NodeError { throw nodeError.prefixed("\(name)[\(index)]") }
            throw error
        }
        if bus != nil {
            emit(
                .mapItemEnd, .ok, span: itemSpan, parent: mapSpan, name: graph.name, scope: scope, lane: lane,
                startedAt: start, item: index, at: end)
        }
        return frame
    }

    // MARK: Cache

    private func computeRootKeys(_ graph: CompiledGraph, plan: Plan, frame: Frame) {
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

    private func nodeKey(_ node: Node, inputSlots: [Int], frame: Frame) -> CacheKey? {
        var hasher = StableHasher()
        hasher.combine("hypernodes.node.v1")
        hasher.combine(node.codeVersion.map { "version:" + $0 } ?? "build:" + CodeIdentity.build)
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
    private func recordOutputKeys(_ node: Node, key: CacheKey, outputSlots: [Int], frame: Frame) {
        for (port, slot) in zip(node.outputs, outputSlots) {
            frame.setKey(Self.outputKey(key, port.name), slot)
        }
    }

    private func load(_ cache: any CacheStore, key: CacheKey, node: Node) -> [any Sendable]? {
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

    private func store(_ cache: any CacheStore, key: CacheKey, node: Node, outputSlots: [Int], frame: Frame) {
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

/// Per-item result frames of a map, written by concurrent workers at distinct indices.
final class FrameList: @unchecked Sendable {
    private let storage: UnsafeMutablePointer<Frame?>
    private let count: Int

    init(count: Int) {
        self.count = count
        storage = .allocate(capacity: max(count, 1))
        storage.initialize(repeating: nil, count: count)
    }

    deinit {
        storage.deinitialize(count: count)
        storage.deallocate()
    }

    subscript(index: Int) -> Frame? {
        get { storage[index] }
        set { storage[index] = newValue }
    }

    /// The frames, once every index has been written.
    var frames: [Frame] { (0..<count).map { storage[$0]! } }
}

/// Hands out map item indices to workers and tells them when to stop.
final class MapCursor: Sendable {
    private let position = Atomic<Int>(0)
    private let halted = Atomic<Bool>(false)

    func next() -> Int { position.add(1, ordering: .relaxed).oldValue }
    var stopped: Bool { halted.load(ordering: .relaxed) }
    func stop() { halted.store(true, ordering: .relaxed) }
}

/// Run ids: unique within the process, unpredictable across processes.
enum RunID {
    private static let seed = UInt64.random(in: 1...UInt64.max)
    private static let counter = Atomic<UInt64>(0)

    static func next() -> UInt64 {
        let n = counter.add(1, ordering: .relaxed).newValue
        let id = seed &+ n &* 0x9E37_79B9_7F4A_7C15
        return id == 0 ? 1 : id
    }
}

import Foundation
import Logging
import Synchronization

/// Executing a map: workers take items from a shared cursor, each item runs
/// the pipeline in a frame of its own.
extension Run {
    /// Runs every item and returns their frames in item order.
    ///
    /// Without a failure log a failing item stops the map and its error is
    /// thrown (``MapFailurePolicy/stop``). With one, a failing item's error is
    /// appended to the log and the others go on (``MapFailurePolicy/collect``);
    /// a failed item's frame is an empty one. Cancellation stops the map either way.
    func executeMap(
        _ graph: CompiledGraph, plan: Plan, base: Frame, items: MapItems, scope: Scope, parent: SpanID?,
        lane: Int, name: String, announceGraph: Bool, failures: MapFailureLog? = nil
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
                    do {
                        results[index] = try await executeItem(
                            graph, plan: plan, base: base, items: items, index: index, scope: scope,
                            mapSpan: mapSpan, lane: lane, name: name)
                    } catch {
                        guard let failures, Self.isCollectable(error) else { throw error }
                        failures.append(index, error)
                    }
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
                                    if let failures, Self.isCollectable(error) {
                                        failures.append(index, error)
                                        continue
                                    }
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
                    details: Self.details(error: status == .error ? errorInfo(error) : nil))
            }
            throw error
        }
        if bus != nil {
            emit(
                .mapEnd, .ok, span: mapSpan, parent: parent, name: graph.name, scope: scope, lane: lane,
                startedAt: start, count: count)
        }
        if let failures, !failures.isEmpty {
            return results.frames(filling: Frame.make(count: graph.slotNames.count, withKeys: false))
        }
        return results.frames
    }

    /// Whether a failed item may be collected: not when the failure is, or
    /// happened during, a cancellation, which stops the map under every policy.
    static func isCollectable(_ error: any Error) -> Bool {
        !isCancellation(error) && !Task.isCancelled
    }

    func executeItem(
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
                    details: Self.details(error: status == .error ? errorInfo(error) : nil))
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
}

import Foundation
import Logging
import Synchronization

/// Executing a pipeline's plan: inline for chains and sequential mode, as a
/// task group of ready nodes otherwise.
extension Run {
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
                    details: Self.details(error: status == .error ? errorInfo(error) : nil))
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
    func executeNodes(
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
}

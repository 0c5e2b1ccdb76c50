import HyperNodes
import HyperNodesTrace
import Synchronization

/// A pipeline callback that turns a run's events into trace records for the monitor, as a trace
/// file would hold them: a header before each run's first event (run id, the run's wall-clock
/// start, this process, the first event's name and graph), every event, and a run end when the
/// run's outermost span closes (status, duration, totals).
///
/// It never makes the pipeline wait beyond a short lock: its mailbox holds at most `capacity`
/// records and drops the oldest beyond that, counting them in ``MailboxBatch/dropped``.
///
/// ```swift
/// let source = InProcessSource()
/// var pipeline = try Pipeline(nodes: nodes, callbacks: [source])
/// ```
public final class InProcessSource: PipelineCallback, Sendable {
    /// Where the records go.
    public let mailbox: RecordMailbox

    private struct RunCount {
        var totals = RunEnd.Totals()
    }

    private let runs = Mutex<[UInt64: RunCount]>([:])

    /// Creates a source whose mailbox holds at most `capacity` records.
    public init(capacity: Int = 1 << 20) {
        mailbox = RecordMailbox(capacity: capacity)
    }

    /// Projects `event` to records and posts them.
    public func handle(_ event: PipelineEvent, context: CallbackContext) {
        runs.withLock { runs in
            let runID = event.runID
            if runs[runID] == nil {
                runs[runID] = RunCount()
                mailbox.post(
                    .header(
                        TraceHeader(
                            runID: runID, startTime: context.runStartTime, process: .current, pipeline: event.name,
                            graph: event.graph)))
            }
            let kind = event.kind
            var totals = runs[runID]!.totals
            totals.events += 1
            if kind.opensSpan { totals.spans += 1 }
            switch kind {
            case .nodeStart: totals.nodes += 1
            case .nodeCached: totals.cached += 1
            case .mapItemEnd: totals.mapItems += 1
            default: break
            }
            if kind == .nodeEnd && event.status == .error { totals.failed += 1 }
            mailbox.post(.event(event))
            if event.parentSpanID == nil && kind.closesSpan {
                mailbox.post(
                    .runEnd(
                        RunEnd(
                            runID: runID, timestamp: event.timestamp, status: event.status,
                            duration: event.duration ?? event.timestamp, totals: totals)))
                runs[runID] = nil
            } else {
                runs[runID]!.totals = totals
            }
        }
    }
}

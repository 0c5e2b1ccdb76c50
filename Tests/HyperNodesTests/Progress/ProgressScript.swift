import Foundation
import HyperNodes
import HyperNodesTelemetry

/// The events of real runs with deterministic times, for rendering
/// progress frames that do not depend on the machine.
///
/// Pipelines run in sequential mode (so the order is fixed) with an
/// ``EventRecorder``; then event *i* is given the timestamp `i × step` and
/// every end event the duration since its span's start.
struct ProgressScript {
    /// When every scripted run started: 2023-11-14 22:13:20 UTC.
    static let origin: UInt64 = 1_700_000_000_000_000_000

    var steps: [(event: PipelineEvent, context: ProgressEventContext)] = []

    /// Scripts the events `body` causes; `step` is the time between two events.
    static func record(
        step: UInt64 = 10_000_000, _ body: (EventRecorder) async throws -> Void
    ) async rethrows -> ProgressScript {
        let recorder = EventRecorder()
        try await body(recorder)
        var script = ProgressScript()
        var starts: [String: UInt64] = [:]
        for (index, record) in recorder.records.enumerated() {
            var event = record.event
            event.timestamp = UInt64(index + 1) * step
            let key = "\(event.runID)/\(event.spanID)"
            if event.kind.opensSpan { starts[key] = event.timestamp }
            if event.kind.closesSpan { event.duration = event.timestamp - (starts[key] ?? 0) }
            let context = ProgressEventContext(runStartTime: origin, totalNodes: record.context.pipeline.totalNodes)
            script.steps.append((event, context))
        }
        return script
    }

    /// Same as ``record(step:_:)`` but `body` may fail (the failure is the point).
    static func recordFailing(
        step: UInt64 = 10_000_000, _ body: (EventRecorder) async throws -> Void
    ) async -> ProgressScript {
        await record(step: step) { recorder in
            do { try await body(recorder) } catch {}
        }
    }

    /// The model after the first `count` events (all by default).
    func model(after count: Int? = nil) -> ProgressModel {
        var model = ProgressModel()
        for step in steps.prefix(count ?? steps.count) { model.apply(step.event, context: step.context) }
        return model
    }

    /// The wall-clock time of event `index` (1-based count of applied events).
    func time(after count: Int) -> UInt64 {
        Self.origin + (count == 0 ? 0 : steps[count - 1].event.timestamp)
    }

    /// The number of events up to and including the first that matches.
    func count(through predicate: (PipelineEvent) -> Bool) -> Int {
        (steps.firstIndex { predicate($0.event) } ?? (steps.count - 1)) + 1
    }

    /// The plain lines a ``PlainProgressPrinter`` prints for the whole script.
    func plainLines(interval: Double, ascii: Bool = false) -> [String] {
        var model = ProgressModel()
        var printer = PlainProgressPrinter(interval: interval, ascii: ascii)
        var lines: [String] = []
        for step in steps {
            let change = model.apply(step.event, context: step.context)
            lines += printer.lines(for: change, in: model, now: step.context.runStartTime + step.event.timestamp)
        }
        return lines
    }
}

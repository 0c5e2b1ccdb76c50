import HyperNodesTelemetry
import InMemoryTracing
import Testing

@testable import HyperNodes

/// Events a callback may see without their context: attached to a pipeline
/// nested in a run it did not see start, or replayed out of a partial stream.
@Suite("TelemetryCallback with stray events")
struct TelemetryCallbackStrayEventTests {
    static let context = Scope(
        runID: 7, origin: 0, wallClockOrigin: 1_000_000_000,
        metadata: PipelineMetadata(name: "p", nodeIDs: ["a"]), parent: nil
    ).context

    static func event(_ kind: EventKind, span: UInt64, parent: UInt64?, status: HyperNodes.SpanStatus = .running)
        -> PipelineEvent
    {
        PipelineEvent(
            kind: kind, status: status, runID: 7, spanID: SpanID(rawValue: span),
            parentSpanID: parent.map { SpanID(rawValue: $0) }, name: "a", timestamp: 10,
            error: kind == .error ? ErrorInfo(type: "E", message: "m") : nil)
    }

    @Test func endsErrorsAndCacheEventsOfUnknownSpansAreIgnored() {
        let tracer = InMemoryTracer()
        let callback = TelemetryCallback(tracer: tracer)
        callback.handle(Self.event(.nodeEnd, span: 5, parent: 4, status: .ok), context: Self.context)
        callback.handle(Self.event(.error, span: 5, parent: 4, status: .error), context: Self.context)
        callback.handle(Self.event(.mapItemCached, span: 5, parent: 4, status: .cached), context: Self.context)
        callback.handle(Self.event(.pipelineEnd, span: 4, parent: nil, status: .error), context: Self.context)
        #expect(tracer.finishedSpans.isEmpty)
        #expect(tracer.activeSpans.isEmpty)
        #expect(callback.openSpanCount == 0)
    }

    @Test func aSpanWhoseParentWasNeverSeenStartsATraceOfItsOwn() throws {
        let tracer = InMemoryTracer()
        let callback = TelemetryCallback(tracer: tracer)
        callback.handle(Self.event(.nodeStart, span: 5, parent: 4), context: Self.context)
        #expect(callback.openSpanCount == 1)
        callback.handle(Self.event(.nodeEnd, span: 5, parent: 4, status: .ok), context: Self.context)
        let span = try #require(tracer.finishedSpans.first)
        #expect(span.operationName == "node a")
        #expect(span.parentSpanID == nil)
        #expect(span.startInstant.nanosecondsSinceEpoch == 1_000_000_010)
        #expect(callback.openSpanCount == 0)
    }

    @Test func theSameSpanIDInAnotherRunIsAnotherSpan() {
        let tracer = InMemoryTracer()
        let callback = TelemetryCallback(tracer: tracer)
        var other = Self.event(.pipelineStart, span: 1, parent: nil)
        other.runID = 8
        callback.handle(Self.event(.pipelineStart, span: 1, parent: nil), context: Self.context)
        callback.handle(other, context: Self.context)
        #expect(callback.openSpanCount == 2)
        callback.handle(Self.event(.pipelineEnd, span: 1, parent: nil, status: .ok), context: Self.context)
        #expect(callback.openSpanCount == 1)
        #expect(tracer.finishedSpans.count == 1)
    }
}

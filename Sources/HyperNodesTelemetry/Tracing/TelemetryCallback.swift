import HyperNodes
import Synchronization
import Tracing

/// Turns the events of runs into spans of the tracer the program bootstrapped
/// with swift-distributed-tracing (`InstrumentationSystem.bootstrap`), for
/// instance swift-otel exporting OTLP to Jaeger, an OpenTelemetry collector
/// or Logfire. The library never configures a tracer itself.
///
/// Spans are opened for pipelines (`pipeline rag`), nodes (`node embed`),
/// nested pipelines (`nested retrieval`), maps (`map rag`) and, unless
/// ``traceMapItems`` is off, map items (`item rag[3]`); a node served from
/// the cache gets a span of its own (`node embed (cached)`) with
/// `hypernodes.cache.hit = true` and the cache key. Attributes follow the
/// `hypernodes.*` scheme of ``TelemetryAttribute``. Span times are the
/// engine's own event times, so they are right even when the callback runs
/// behind an ``AsyncCallback``.
///
/// Every span's parent is the span of the event's ``PipelineEvent/parentSpanID``,
/// so parallel nodes and map items each get the right parent whichever
/// thread reports them. A run's outermost span is a child of the
/// `ServiceContext` current where that run's first event is delivered (the
/// context of the task calling `run`), or starts a new trace.
///
/// ```swift
/// InstrumentationSystem.bootstrap(tracer)  // once, by the program
/// let pipeline = try Pipeline(nodes: nodes, name: "rag", callbacks: [TelemetryCallback()])
/// ```
public final class TelemetryCallback: PipelineCallback, Sendable {
    /// Whether map items get spans of their own. When off, the spans inside an
    /// item are children of the map's span.
    public let traceMapItems: Bool
    /// Whether spans carry previews of node inputs and outputs
    /// (`hypernodes.input.<name>`, `hypernodes.output.<name>`: at most 500
    /// characters, scrubbed of secrets by the engine).
    public let recordsPreviews: Bool
    /// The tracer given to ``init(tracer:traceMapItems:previews:)``, or `nil`
    /// to use `InstrumentationSystem.tracer`.
    private let fixedTracer: (any Tracer)?
    /// Open spans by run and span id, in shards so that concurrent workers
    /// rarely wait for one another.
    private let shards: [SpanShard]
    private static let shardCount = 16

    /// Asks the engine for previews when ``recordsPreviews`` is on.
    public var wantsValuePreviews: Bool { recordsPreviews }

    /// Creates a callback.
    ///
    /// - Parameters:
    ///   - tracer: The tracer to use; `nil` (the default) uses the tracer
    ///     bootstrapped in `InstrumentationSystem` when each run starts.
    ///   - traceMapItems: Whether map items get spans of their own.
    ///   - previews: Whether spans carry previews of inputs and outputs.
    public init(tracer: (any Tracer)? = nil, traceMapItems: Bool = true, previews: Bool = true) {
        self.fixedTracer = tracer
        self.traceMapItems = traceMapItems
        self.recordsPreviews = previews
        self.shards = (0..<Self.shardCount).map { _ in SpanShard() }
    }

    /// The number of spans opened and not yet closed, across all runs.
    public var openSpanCount: Int {
        shards.reduce(0) { count, shard in
            count + shard.spans.withLock { $0.values.filter { $0.span != nil }.count }
        }
    }

    // MARK: Events

    /// Opens, closes or annotates the span of `event`.
    public func handle(_ event: PipelineEvent, context: CallbackContext) {
        switch event.kind {
        case .pipelineStart, .nodeStart, .nestedPipelineStart, .mapStart:
            open(event, context: context)
        case .mapItemStart:
            if traceMapItems {
                open(event, context: context)
            } else {
                // The item's children hang under the map's span.
                let parent = parentSpan(of: event)
                insert(
                    OpenSpan(
                        span: nil, context: parent.context, tracer: parent.tracer, path: parent.path,
                        startAttributes: [:]),
                    for: key(event))
            }
        case .pipelineEnd, .nodeEnd, .nestedPipelineEnd, .mapEnd, .mapItemEnd:
            close(event, context: context)
        case .nodeCached:
            cacheHit(event, context: context)
        case .mapItemCached:
            guard let item = lookup(key(event)), let span = item.span else { return }
            var attributes = SpanAttributes()
            attributes[TelemetryAttribute.nodeName] = event.name
            if let key = event.attributes["cache.key"] { attributes[TelemetryAttribute.cacheKey] = key }
            span.addEvent(
                SpanEvent(name: "cache hit \(event.name)", at: instant(event, context), attributes: attributes))
        case .error:
            guard let entry = lookup(key(event)), let span = entry.span, let error = event.error else { return }
            span.addEvent(
                SpanEvent(
                    name: "exception", at: instant(event, context),
                    attributes: ["exception.type": .string(error.type), "exception.message": .string(error.message)]))
        }
    }

    // MARK: Spans

    private func open(_ event: PipelineEvent, context: CallbackContext) {
        let parent = parentSpan(of: event)
        let span = parent.tracer.startSpan(
            Self.spanName(event), context: parent.context, ofKind: .internal, at: instant(event, context),
            function: "handle(_:context:)", file: #fileID, line: #line)
        // A pipeline's or map's path is computed once; the spans inside it inherit it.
        let path =
            event.kind == .pipelineStart || event.kind == .mapStart || parent.path == nil
            ? Self.path(context) : parent.path
        insert(
            OpenSpan(
                span: span, context: span.context, tracer: parent.tracer, path: path,
                startAttributes: event.attributes),
            for: key(event))
    }

    /// Ends the span, setting all its attributes at once (one dictionary per
    /// span, built only when the tracer records it).
    private func close(_ event: PipelineEvent, context: CallbackContext) {
        guard let entry = remove(key(event)), let span = entry.span else { return }
        if span.isRecording {
            var attributes = Self.attributes(
                event, context: context, path: entry.path ?? Self.path(context),
                extra: entry.startAttributes.count + event.attributes.count + (event.error == nil ? 1 : 3))
            for (name, value) in entry.startAttributes {
                attributes[TelemetryAttribute.prefix + name] = .string(value)
            }
            for (name, value) in event.attributes {
                attributes[TelemetryAttribute.prefix + name] = .string(value)
            }
            if let duration = event.duration {
                attributes[TelemetryAttribute.durationNanoseconds] = .int64(Int64(clamping: duration))
            }
            if let error = event.error {
                attributes[TelemetryAttribute.errorType] = .string(error.type)
                attributes[TelemetryAttribute.errorMessage] = .string(error.message)
            }
            span.attributes = SpanAttributes(attributes)
        }
        if event.status == .error {
            span.setStatus(Tracing.SpanStatus(code: .error, message: event.error?.message))
        }
        span.end(at: instant(event, context))
    }

    private func cacheHit(_ event: PipelineEvent, context: CallbackContext) {
        let parent = parentSpan(of: event)
        let at = instant(event, context)
        let span = parent.tracer.startSpan(
            Self.spanName(event), context: parent.context, ofKind: .internal, at: at,
            function: "handle(_:context:)", file: #fileID, line: #line)
        if span.isRecording {
            var attributes = Self.attributes(
                event, context: context, path: parent.path ?? Self.path(context), extra: 1 + event.attributes.count)
            attributes[TelemetryAttribute.cacheHit] = .bool(true)
            for (name, value) in event.attributes {
                attributes[TelemetryAttribute.prefix + name] = .string(value)
            }
            span.attributes = SpanAttributes(attributes)
        }
        span.end(at: at)
    }

    /// The attributes every span has, for the span that `event` opens, closes
    /// or is, in a dictionary with room for `extra` more.
    private static func attributes(
        _ event: PipelineEvent, context: CallbackContext, path: String, extra: Int
    ) -> [String: SpanAttribute] {
        var attributes = [String: SpanAttribute](minimumCapacity: 7 + extra)
        attributes[TelemetryAttribute.spanKind] = .string(spanKind(event.kind))
        attributes[TelemetryAttribute.pipelineName] = .string(context.currentPipelineID)
        attributes[TelemetryAttribute.depth] = .int64(Int64(event.depth))
        attributes[TelemetryAttribute.path] = .string(path)
        attributes[TelemetryAttribute.runID] = .int64(Int64(bitPattern: event.runID))
        attributes[TelemetryAttribute.status] = .string(event.status.description)
        switch event.kind {
        case .nodeStart, .nodeEnd, .nodeCached:
            attributes[TelemetryAttribute.nodeName] = .string(event.name)
        case .mapItemStart, .mapItemEnd:
            if let index = event.itemIndex { attributes[TelemetryAttribute.itemIndex] = .int64(Int64(index)) }
        case .mapStart, .mapEnd:
            if let count = event.itemCount { attributes[TelemetryAttribute.mapTotal] = .int64(Int64(count)) }
        default: break
        }
        return attributes
    }

    /// Pipeline names from the outermost, joined by ` > `.
    private static func path(_ context: CallbackContext) -> String {
        context.depth == 0 ? context.currentPipelineID : context.hierarchyPath.joined(separator: " > ")
    }

    /// A readable span name: `pipeline rag`, `node embed`, `map rag`, `item rag[3]`, …
    static func spanName(_ event: PipelineEvent) -> String {
        switch event.kind {
        case .pipelineStart: "pipeline \(event.name)"
        case .nodeStart: "node \(event.name)"
        case .nodeCached: "node \(event.name) (cached)"
        case .nestedPipelineStart: "nested \(event.name)"
        case .mapStart: "map \(event.name)"
        case .mapItemStart: "item \(event.name)[\(event.itemIndex ?? 0)]"
        default: event.name
        }
    }

    /// The value of `hypernodes.span.kind` for the span an event opens.
    static func spanKind(_ kind: EventKind) -> String {
        switch kind {
        case .pipelineStart, .pipelineEnd: "pipeline"
        case .nodeStart, .nodeEnd: "node"
        case .nodeCached: "cache_hit"
        case .nestedPipelineStart, .nestedPipelineEnd: "nested_pipeline"
        case .mapStart, .mapEnd: "map"
        case .mapItemStart, .mapItemEnd: "map_item"
        default: kind.description
        }
    }

    /// The event's wall-clock time.
    private func instant(_ event: PipelineEvent, _ context: CallbackContext) -> DefaultTracerClock.Timestamp {
        DefaultTracerClock.Timestamp(nanosecondsSinceEpoch: context.runStartTime &+ event.timestamp)
    }

    // MARK: Open spans

    /// The open span of the event's parent id, or, for a run's outermost span
    /// (or a parent this callback never saw open), the current service context.
    private func parentSpan(of event: PipelineEvent) -> OpenSpan {
        if let parent = event.parentSpanID, let entry = lookup(SpanKey(run: event.runID, span: parent.rawValue)) {
            return entry
        }
        return OpenSpan(
            span: nil, context: ServiceContext.current ?? .topLevel,
            tracer: fixedTracer ?? InstrumentationSystem.tracer, path: nil, startAttributes: [:])
    }

    private func key(_ event: PipelineEvent) -> SpanKey {
        SpanKey(run: event.runID, span: event.spanID.rawValue)
    }

    private func shard(_ key: SpanKey) -> SpanShard {
        // Ids are handed out in blocks per lane, so their low bits spread spans over the shards.
        shards[Int(truncatingIfNeeded: (key.span ^ (key.run &* 0x9E37_79B9)) % UInt64(Self.shardCount))]
    }

    private func lookup(_ key: SpanKey) -> OpenSpan? {
        shard(key).spans.withLock { $0[key] }
    }

    private func insert(_ span: OpenSpan, for key: SpanKey) {
        shard(key).spans.withLock { $0[key] = span }
    }

    private func remove(_ key: SpanKey) -> OpenSpan? {
        shard(key).spans.withLock { $0.removeValue(forKey: key) }
    }
}

/// One lock-guarded part of the open spans.
final class SpanShard: Sendable {
    let spans = Mutex<[SpanKey: OpenSpan]>([:])
}

/// A span's identity across runs: span ids are unique within one run only.
struct SpanKey: Hashable, Sendable {
    let run: UInt64
    let span: UInt64
}

/// A span this callback opened (or, for an untraced map item, only the
/// context its children hang under) and the tracer its children use.
struct OpenSpan: Sendable {
    let span: (any Span)?
    let context: ServiceContext
    let tracer: any Tracer
    /// `hypernodes.path` of the spans inside this one (`nil` for a run's outermost parent).
    let path: String?
    /// The engine's attributes of the start event (input previews, nested pipeline names).
    let startAttributes: [String: String]
}

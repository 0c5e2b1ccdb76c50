import HyperNodes

/// Turns the event stream into trace lines: a header before a run's first
/// event, the events themselves, map progress ticks, and a run end after
/// the run's outermost span closes.
///
/// Not thread-safe: one owner (a recorder's or live server's drain thread)
/// feeds it events in order.
struct TraceLineWriter {
    /// What is written.
    struct Options {
        /// Whether the spans of individual map items (and everything inside
        /// them) are written. Progress ticks are written either way.
        var itemSpans = true
        /// The least run time between two progress ticks of one map, in ns.
        var progressInterval: UInt64 = 100_000_000
        /// The process written in headers.
        var process = TraceProcess.current
    }

    private struct ItemState {
        let map: SpanID
        var ranNode = false
        var cacheHit = false
    }

    private struct MapState {
        let name: String
        let total: Int
        var started = 0
        var done = 0
        var failed = 0
        var cached = 0
        var lastTick: UInt64?
        var changedSinceTick = false
    }

    private struct RunState {
        var totals = RunEnd.Totals()
        /// The nearest enclosing map item of every open span inside one.
        var itemOf: [SpanID: SpanID] = [:]
        var items: [SpanID: ItemState] = [:]
        var maps: [SpanID: MapState] = [:]
    }

    let options: Options
    private let encoder = TraceEncoder()
    private var runs: [UInt64: RunState] = [:]

    init(options: Options = Options()) {
        self.options = options
    }

    /// The number of runs started and not yet ended.
    var openRuns: Int { runs.count }

    /// Appends the lines `event` produces.
    mutating func append(_ event: PipelineEvent, context: CallbackContext, to buffer: inout JSONBuffer) {
        if runs[event.runID] == nil {
            runs[event.runID] = RunState()
            let header = TraceHeader(
                runID: event.runID, startTime: context.runStartTime, process: options.process,
                pipeline: event.name, graph: event.graph)
            encoder.append(header, to: &buffer)
        }
        let (write, runEnded) = update(&runs[event.runID]!, with: event, buffer: &buffer)
        if write { encoder.append(event, to: &buffer) }
        if runEnded, let run = runs.removeValue(forKey: event.runID) {
            let end = RunEnd(
                runID: event.runID, timestamp: event.timestamp, status: event.status,
                duration: event.duration ?? event.timestamp, totals: run.totals)
            encoder.append(end, to: &buffer)
        }
    }

    /// Updates the run's state; returns whether the event is written and
    /// whether it ended the run. Progress ticks it causes are appended to `buffer`.
    private func update(_ run: inout RunState, with event: PipelineEvent, buffer: inout JSONBuffer) -> (Bool, Bool) {
        run.totals.events += 1
        let kind = event.kind
        if kind.opensSpan { run.totals.spans += 1 }
        switch kind {
        case .nodeStart: run.totals.nodes += 1
        case .nodeCached: run.totals.cached += 1
        case .nodeEnd where event.status == .error: run.totals.failed += 1
        case .mapItemEnd: run.totals.mapItems += 1
        default: break
        }
        let runEnded = event.parentSpanID == nil && kind.closesSpan
        if kind == .mapStart {
            run.maps[event.spanID] = MapState(name: event.name, total: event.itemCount ?? 0)
        }
        if run.maps.isEmpty { return (true, runEnded) }

        // Inside maps: find the enclosing item, keep item and map counts.
        var item: SpanID?
        if kind == .mapItemStart {
            item = event.spanID
        } else if let parent = event.parentSpanID {
            item = run.itemOf[event.spanID] ?? run.itemOf[parent]
        }
        switch kind {
        case .mapItemStart:
            if let map = event.parentSpanID, run.maps[map] != nil {
                run.items[event.spanID] = ItemState(map: map)
                run.maps[map]!.started += 1
                run.maps[map]!.changedSinceTick = true
                tickIfDue(&run.maps[map]!, map: map, event: event, buffer: &buffer)
            }
        case .nodeStart:
            if let item { run.items[item]?.ranNode = true }
        case .nodeCached, .mapItemCached:
            if let item { run.items[item]?.cacheHit = true }
        case .mapItemEnd:
            if let state = run.items.removeValue(forKey: event.spanID), run.maps[state.map] != nil {
                let map = state.map
                run.maps[map]!.done += 1
                if event.status == .error || event.status == .cancelled { run.maps[map]!.failed += 1 }
                if event.status == .cached || (state.cacheHit && !state.ranNode && event.status == .ok) {
                    run.maps[map]!.cached += 1
                }
                run.maps[map]!.changedSinceTick = true
                tickIfDue(&run.maps[map]!, map: map, event: event, buffer: &buffer)
            }
        case .mapEnd:
            if var state = run.maps.removeValue(forKey: event.spanID), state.changedSinceTick || state.lastTick == nil {
                tick(&state, map: event.spanID, event: event, buffer: &buffer)
            }
        default: break
        }
        if kind.opensSpan, let item { run.itemOf[event.spanID] = item }
        let write = options.itemSpans || item == nil
        if kind.closesSpan { run.itemOf.removeValue(forKey: event.spanID) }
        return (write, runEnded)
    }

    private func tickIfDue(_ state: inout MapState, map: SpanID, event: PipelineEvent, buffer: inout JSONBuffer) {
        if let last = state.lastTick, event.timestamp &- last < options.progressInterval { return }
        tick(&state, map: map, event: event, buffer: &buffer)
    }

    private func tick(_ state: inout MapState, map: SpanID, event: PipelineEvent, buffer: inout JSONBuffer) {
        state.lastTick = event.timestamp
        state.changedSinceTick = false
        let progress = MapProgress(
            runID: event.runID, spanID: map, name: state.name, timestamp: event.timestamp, total: state.total,
            done: state.done, failed: state.failed, cached: state.cached, inFlight: state.started - state.done)
        encoder.append(progress, to: &buffer)
    }
}

import HyperNodes

/// Turns the event stream into trace lines: a header before a run's first
/// event, the events themselves, map progress ticks, and a run end after
/// the run's outermost span closes.
///
/// Not thread-safe: one owner (a recorder's or live server's drain thread)
/// feeds it events in order. Events of one run usually come in long
/// stretches, so the current run's state is kept out of the dictionary of
/// runs, and updating it costs no lookup.
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
        let map: Int
        var ranNode = false
        var cacheHit = false
    }

    private struct MapState {
        let span: SpanID
        let name: String
        let total: Int
        var started = 0
        var done = 0
        var failed = 0
        var cached = 0
        var lastTick: UInt64?
        var changedSinceTick = false
        var open = true
        /// Whether the map runs inside an item of another map: its ticks are
        /// not written when item spans are off, as its span is not either.
        var hidden = false
    }

    private struct RunState {
        let runID: UInt64
        /// `,"run":"<hex id>"`, encoded once per run.
        let runField: [UInt8]
        var totals = RunEnd.Totals()
        /// The nearest enclosing map item of every open span inside one.
        var itemOf = SpanTable<SpanID>()
        var items = SpanTable<ItemState>()
        /// Maps by index; `mapIndex` finds them by span.
        var maps: [MapState] = []
        var mapIndex = SpanTable<Int>()
        var openMaps = 0

        init(runID: UInt64) {
            self.runID = runID
            var buffer = JSONBuffer(capacity: 32)
            buffer.raw(",\"run\":")
            buffer.hexID(runID)
            runField = buffer.bytes
        }
    }

    let options: Options
    private let encoder = TraceEncoder()
    private var current: RunState?
    private var others: [UInt64: RunState] = [:]

    init(options: Options = Options()) {
        self.options = options
    }

    /// The number of runs started and not yet ended.
    var openRuns: Int { others.count + (current == nil ? 0 : 1) }

    /// Appends the lines `event` produces.
    mutating func append(_ event: PipelineEvent, context: CallbackContext, to buffer: inout JSONBuffer) {
        if current?.runID != event.runID {
            if let previous = current { others[previous.runID] = previous }
            if let known = others.removeValue(forKey: event.runID) {
                current = known
            } else {
                current = RunState(runID: event.runID)
                let header = TraceHeader(
                    runID: event.runID, startTime: context.runStartTime, process: options.process,
                    pipeline: event.name, graph: event.graph)
                encoder.append(header, to: &buffer)
            }
        }
        let (write, runEnded) = Self.update(&current!, with: event, options: options, buffer: &buffer)
        if write { encoder.append(event, runField: current!.runField, to: &buffer) }
        if runEnded {
            let end = RunEnd(
                runID: event.runID, timestamp: event.timestamp, status: event.status,
                duration: event.duration ?? event.timestamp, totals: current!.totals)
            encoder.append(end, to: &buffer)
            current = nil
        }
    }

    /// Updates the run's state; returns whether the event is written and
    /// whether it ended the run. Progress ticks it causes are appended to `buffer`.
    private static func update(
        _ run: inout RunState, with event: PipelineEvent, options: Options, buffer: inout JSONBuffer
    ) -> (Bool, Bool) {
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
            var state = MapState(span: event.spanID, name: event.name, total: event.itemCount ?? 0)
            if !options.itemSpans, let parent = event.parentSpanID, run.itemOf[parent] != nil { state.hidden = true }
            run.mapIndex[event.spanID] = run.maps.count
            run.maps.append(state)
            run.openMaps += 1
        }
        if run.openMaps == 0 { return (true, runEnded) }

        // Inside maps: find the enclosing item, keep item and map counts.
        var item: SpanID?
        if kind == .mapItemStart {
            item = event.spanID
        } else if let parent = event.parentSpanID {
            item = run.itemOf[event.spanID] ?? run.itemOf[parent]
        }
        switch kind {
        case .mapItemStart:
            if let parent = event.parentSpanID, let index = run.mapIndex[parent] {
                run.items[event.spanID] = ItemState(map: index)
                run.maps[index].started += 1
                run.maps[index].changedSinceTick = true
                tickIfDue(&run.maps[index], event: event, options: options, buffer: &buffer)
            }
        case .nodeStart:
            if let item { run.items[item]?.ranNode = true }
        case .nodeCached, .mapItemCached:
            if let item { run.items[item]?.cacheHit = true }
        case .mapItemEnd:
            if let state = run.items.remove(event.spanID) {
                let index = state.map
                run.maps[index].done += 1
                if event.status == .error || event.status == .cancelled { run.maps[index].failed += 1 }
                if event.status == .cached || (state.cacheHit && !state.ranNode && event.status == .ok) {
                    run.maps[index].cached += 1
                }
                run.maps[index].changedSinceTick = true
                tickIfDue(&run.maps[index], event: event, options: options, buffer: &buffer)
            }
        case .mapEnd:
            if let index = run.mapIndex.remove(event.spanID) {
                let succeeded = event.status == .ok || event.status == .cached
                if succeeded && run.maps[index].done < run.maps[index].total {
                    // A map that ended well finished every item. Fewer counted means
                    // item events were lost on the way (a live server that fell
                    // behind drops events), and the final tick still says the truth.
                    run.maps[index].started = max(run.maps[index].started, run.maps[index].total)
                    run.maps[index].done = run.maps[index].total
                    run.maps[index].changedSinceTick = true
                }
                if run.maps[index].changedSinceTick || run.maps[index].lastTick == nil {
                    tick(&run.maps[index], event: event, buffer: &buffer)
                }
                run.maps[index].open = false
                run.openMaps -= 1
                if run.openMaps == 0 { run.maps.removeAll(keepingCapacity: true) }
            }
        default: break
        }
        if kind.opensSpan, let item { run.itemOf[event.spanID] = item }
        let write = options.itemSpans || item == nil
        if kind.closesSpan && item != nil { run.itemOf.remove(event.spanID) }
        return (write, runEnded)
    }

    private static func tickIfDue(
        _ state: inout MapState, event: PipelineEvent, options: Options, buffer: inout JSONBuffer
    ) {
        if let last = state.lastTick, event.timestamp &- last < options.progressInterval { return }
        tick(&state, event: event, buffer: &buffer)
    }

    private static func tick(_ state: inout MapState, event: PipelineEvent, buffer: inout JSONBuffer) {
        state.lastTick = event.timestamp
        state.changedSinceTick = false
        if state.hidden { return }
        let progress = MapProgress(
            runID: event.runID, spanID: state.span, name: state.name, timestamp: event.timestamp,
            total: state.total, done: state.done, failed: state.failed, cached: state.cached,
            inFlight: state.started - state.done)
        TraceEncoder().append(progress, to: &buffer)
    }
}

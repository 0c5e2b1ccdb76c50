import HyperNodes

/// What a live server keeps so that a client connecting late receives the
/// state of every run so far: the header, the start of every open span,
/// closed spans within bounds, the latest progress of every map and the run
/// end, all as the trace lines that were streamed, in stream order.
///
/// Bounds, over all runs together (so that memory does not grow with the
/// number of runs kept): closed spans outside map items, up to
/// ``Limits/spans`` (the oldest closed go first); closed map items with
/// everything inside them, up to ``Limits/items`` (the oldest closed go
/// first). Open spans are always kept. Finished runs: the most recent
/// ``Limits/runs``. A span that goes takes everything inside it along (a map
/// its items and its progress), so no kept span ever lacks its parent.
///
/// Lines are copied into one growing byte buffer per run, with an index of
/// (sequence number, span, offset, length) per line: no allocation per line.
/// A span that goes is only marked; the buffer is compacted once the spans
/// let go outnumber the ones kept, so the work per event stays constant and
/// about half of the buffer at most is lines already let go.
///
/// A bound on every span kept (``Limits/totalSpans``, used by
/// ``TraceCollector``) lets closed map items go first, oldest closed first
/// with everything inside them, then the oldest finished runs whole (the
/// most recent finished run stays, whatever its size).
///
/// Owned by one thread at a time (the live server's hub lock, the collector's lock).
struct LiveRetention: Sendable {
    /// How much is kept. `Int.max` means no bound.
    struct Limits {
        var spans = 100_000
        var items = 10_000
        var runs = 8
        /// Every span kept, open or closed, inside items or not.
        var totalSpans = Int.max
    }

    /// One kept line: where it is in the run's bytes, and the span it belongs to.
    private struct Entry {
        let seq: Int
        let span: UInt64
        var offset: Int
        let length: Int32
    }

    private struct SpanInfo {
        let parent: UInt64
        let isItem: Bool
        let isMap: Bool
        /// Whether the span lies inside a map item (and goes with it).
        let insideItem: Bool
        /// The nearest enclosing map item (0 for none).
        let item: UInt64
        /// For an item: the spans kept that go with it, itself included.
        var weight = 1
        /// Whether its end (or, for a cache hit, the hit itself) was seen.
        var closed = false
        var removed = false
    }

    /// A first-in first-out list of ids.
    private struct Queue<ID: Sendable>: Sendable {
        private var ids: [ID] = []
        private var head = 0

        var count: Int { ids.count - head }

        mutating func append(_ id: ID) { ids.append(id) }

        mutating func removeFirst() -> ID {
            let id = ids[head]
            head += 1
            if head > 1024 && head * 2 > ids.count {
                ids.removeFirst(head)
                head = 0
            }
            return id
        }
    }

    private struct Line {
        let seq: Int
        let bytes: [UInt8]
    }

    private struct Run {
        let runID: UInt64
        let header: [UInt8]
        let pipeline: String
        let startTime: UInt64
        var bytes: [UInt8] = []
        var entries: [Entry] = []
        var spans = SpanTable<SpanInfo>()
        /// Spans marked removed and not yet compacted away.
        var removedSpans = 0
        /// The spans of this run that count against the bounds (closed items, and
        /// closed spans outside items) and are kept.
        var counted = 0
        var progress: [UInt64: Line] = [:]
        var end: [UInt8]?
        /// The spans of this run kept (with ``Limits/totalSpans``).
        var keptSpans = 0
    }

    let limits: Limits
    private var runs: [Run] = []
    /// Indices in `runs` by run id.
    private var index: [UInt64: Int] = [:]
    private var finished = Queue<UInt64>()
    /// Closed spans outside items, and closed items, of all runs, oldest closed first.
    private var closedSpans = Queue<(run: UInt64, span: UInt64)>()
    private var closedItems = Queue<(run: UInt64, span: UInt64)>()
    /// Every span kept, over all runs.
    private(set) var keptSpans = 0

    init(limits: Limits) {
        self.limits = limits
    }

    /// The lines and bytes kept, over all runs.
    var size: (lines: Int, bytes: Int) {
        runs.reduce((0, 0)) { ($0.0 + $1.entries.count, $0.1 + $1.bytes.count) }
    }

    /// The runs kept, in the order they started.
    var statusRuns: [LiveStatus.Run] {
        runs.map {
            LiveStatus.Run(runID: $0.runID, pipeline: $0.pipeline, finished: $0.end != nil, startTime: $0.startTime)
        }
    }

    /// Keeps a run's header line.
    mutating func addHeader(_ line: UnsafeRawBufferPointer) {
        guard case .header(let header)? = Self.decode(line), index[header.runID] == nil else { return }
        index[header.runID] = runs.count
        runs.append(
            Run(runID: header.runID, header: Array(line), pipeline: header.pipeline, startTime: header.startTime))
    }

    /// Keeps the line of `event` as its span requires.
    mutating func addEvent(_ event: PipelineEvent, line: UnsafeRawBufferPointer, seq: Int) {
        guard let position = index[event.runID] else { return }
        let before = runs[position].keptSpans
        let closed = Self.add(event, line: line, seq: seq, to: &runs[position])
        keptSpans += runs[position].keptSpans - before
        if closed != nil { runs[position].counted += 1 }
        switch closed {
        case .item?:
            closedItems.append((event.runID, event.spanID.rawValue))
            while closedItems.count > max(0, limits.items) { remove(closedItems.removeFirst()) }
        case .span?:
            // Without a bound on them, closed spans outside items are not listed at all.
            guard limits.spans < Int.max else { break }
            closedSpans.append((event.runID, event.spanID.rawValue))
            while closedSpans.count > max(0, limits.spans) { remove(closedSpans.removeFirst()) }
        case nil:
            break
        }
        if keptSpans > limits.totalSpans { settleTotal() }
    }

    /// Lets closed items go, oldest closed first, then the oldest finished runs
    /// (all but the most recent one), until the spans kept are within ``Limits/totalSpans``.
    /// Runs go until a sixteenth of the bound is free, so that many small runs
    /// do not renumber the runs at every event.
    private mutating func settleTotal() {
        while keptSpans > limits.totalSpans && closedItems.count > 0 { remove(closedItems.removeFirst()) }
        guard keptSpans > limits.totalSpans else { return }
        let target = limits.totalSpans - limits.totalSpans / 16
        var gone = Set<UInt64>()
        while keptSpans > target && finished.count > 1 {
            let runID = finished.removeFirst()
            guard let position = index[runID] else { continue }
            keptSpans -= runs[position].keptSpans
            gone.insert(runID)
        }
        if !gone.isEmpty {
            runs.removeAll { gone.contains($0.runID) }
            index = Dictionary(uniqueKeysWithValues: runs.enumerated().map { ($1.runID, $0) })
        }
    }

    /// What closed: an item, or a span outside items (spans inside items go with their item).
    private enum Closed {
        case item
        case span
    }

    /// Keeps the line; returns what closed, if the event closed a span that counts against a bound.
    private static func add(
        _ event: PipelineEvent, line: UnsafeRawBufferPointer, seq: Int, to run: inout Run
    ) -> Closed? {
        let id = event.spanID
        let kind = event.kind
        if kind.opensSpan || kind == .nodeCached {
            let parent = event.parentSpanID
            var insideItem = false
            var item: UInt64 = 0
            if let parent, let info = run.spans[parent] {
                guard !info.removed else {
                    // Inside a span already let go: goes with it.
                    run.spans[id] = SpanInfo(
                        parent: parent.rawValue, isItem: kind == .mapItemStart, isMap: kind == .mapStart,
                        insideItem: info.insideItem || info.isItem, item: info.isItem ? parent.rawValue : info.item,
                        closed: true, removed: true)
                    return nil
                }
                insideItem = info.isItem || info.insideItem
                item = info.isItem ? parent.rawValue : info.item
            }
            run.spans[id] = SpanInfo(
                parent: parent?.rawValue ?? 0, isItem: kind == .mapItemStart, isMap: kind == .mapStart,
                insideItem: insideItem, item: item, closed: kind == .nodeCached)
            run.keptSpans += 1
            // Every enclosing item takes the span along when it goes.
            var enclosing = item
            while enclosing != 0, var info = run.spans[SpanID(rawValue: enclosing)] {
                info.weight += 1
                run.spans[SpanID(rawValue: enclosing)] = info
                enclosing = info.item
            }
            append(line, seq: seq, span: id.rawValue, to: &run)
            if kind == .nodeCached { return closed(id, in: run) }
        } else if var info = run.spans[id], !info.removed {
            append(line, seq: seq, span: id.rawValue, to: &run)
            if kind.closesSpan && !info.closed {
                info.closed = true
                run.spans[id] = info
                return closed(id, in: run)
            }
        }
        return nil
    }

    private static func append(_ line: UnsafeRawBufferPointer, seq: Int, span: UInt64, to run: inout Run) {
        run.entries.append(Entry(seq: seq, span: span, offset: run.bytes.count, length: Int32(line.count)))
        run.bytes.append(contentsOf: line)
    }

    /// Keeps a map's latest progress line.
    mutating func addProgress(_ line: UnsafeRawBufferPointer, seq: Int) {
        guard case .progress(let progress)? = Self.decode(line), let position = index[progress.runID],
            let info = runs[position].spans[progress.spanID], !info.removed
        else { return }
        runs[position].progress[progress.spanID.rawValue] = Line(seq: seq, bytes: Array(line))
    }

    /// Keeps a run's end line, and lets the oldest finished runs go beyond the bound.
    mutating func addRunEnd(_ line: UnsafeRawBufferPointer) {
        guard case .runEnd(let end)? = Self.decode(line), let position = index[end.runID] else { return }
        if runs[position].end == nil {
            finished.append(end.runID)
            settleUnclosed(in: position)
        }
        runs[position].end = Array(line)
        var gone = Set<UInt64>()
        while finished.count > max(0, limits.runs) { gone.insert(finished.removeFirst()) }
        if !gone.isEmpty {
            for run in runs where gone.contains(run.runID) { keptSpans -= run.keptSpans }
            runs.removeAll { gone.contains($0.runID) }
            index = Dictionary(uniqueKeysWithValues: runs.enumerated().map { ($1.runID, $0) })
        }
        if keptSpans > limits.totalSpans { settleTotal() }
    }

    /// At a run's end every span of it has ended, so a span still open here lost
    /// its end to a drop (the server's queue was full). Items among them go at
    /// once (their map's counts live on in its progress); other spans count as
    /// closed from now on, within the bound, so nothing of a finished run is
    /// kept beyond the bounds. Then the run's lines are compacted.
    private mutating func settleUnclosed(in position: Int) {
        var seen = Set<UInt64>()
        var unclosed: [UInt64] = []
        for entry in runs[position].entries where seen.insert(entry.span).inserted {
            if let info = runs[position].spans[SpanID(rawValue: entry.span)], !info.closed, !info.removed {
                unclosed.append(entry.span)
            }
        }
        let runID = runs[position].runID
        for id in unclosed {
            let span = SpanID(rawValue: id)
            guard var info = runs[position].spans[span], !info.removed else { continue }
            if info.isItem {
                keptSpans -= Self.remove(id, from: &runs[position], counted: false)
                continue
            }
            info.closed = true
            runs[position].spans[span] = info
            if info.insideItem { continue }
            runs[position].counted += 1
            guard limits.spans < Int.max else { continue }
            closedSpans.append((runID, id))
            while closedSpans.count > max(0, limits.spans) { remove(closedSpans.removeFirst()) }
        }
        // A finished run takes no more lines: let go of what was removed now, not at a
        // compaction that would never come.
        if runs[position].removedSpans > 0 { Self.compact(&runs[position]) }
    }

    /// Appends the state of every run kept, in the order the runs started:
    /// header, span lines in stream order, latest map progress, run end.
    func snapshot(into output: inout [UInt8]) {
        for run in runs { Self.snapshot(run, into: &output) }
    }

    /// The ids of the runs kept, in the order they started.
    var runIDs: [UInt64] { runs.map(\.runID) }

    /// The number of runs kept.
    var runCount: Int { runs.count }

    /// Appends the state of the run `runID`, if it is kept, as ``snapshot(into:)`` does.
    func snapshot(ofRun runID: UInt64, into output: inout [UInt8]) {
        if let position = index[runID] { Self.snapshot(runs[position], into: &output) }
    }

    private static func snapshot(_ run: Run, into output: inout [UInt8]) {
        output.append(contentsOf: run.header)
        var live = Liveness()
        run.bytes.withUnsafeBufferPointer { bytes in
            for entry in run.entries where live.isKept(entry.span, in: run.spans) {
                output.append(contentsOf: bytes[entry.offset..<entry.offset + Int(entry.length)])
            }
        }
        let progress = run.progress.filter { live.isKept($0.key, in: run.spans) }.values
        for line in progress.sorted(by: { $0.seq < $1.seq }) { output.append(contentsOf: line.bytes) }
        if let end = run.end { output.append(contentsOf: end) }
    }

    /// Whether spans are kept: not removed, and their parent kept (or not known at all).
    private struct Liveness {
        private var decided: [UInt64: Bool] = [:]

        mutating func isKept(_ span: UInt64, in spans: SpanTable<SpanInfo>) -> Bool {
            if let known = decided[span] { return known }
            guard let info = spans[SpanID(rawValue: span)], !info.removed else {
                decided[span] = false
                return false
            }
            // Entries come in stream order, so a parent is decided before its children.
            let kept = info.parent == 0 || spans[SpanID(rawValue: info.parent)] == nil || isKept(info.parent, in: spans)
            decided[span] = kept
            return kept
        }
    }

    private static func closed(_ id: SpanID, in run: Run) -> Closed? {
        guard let info = run.spans[id] else { return nil }
        if info.isItem { return .item }
        return info.insideItem ? nil : .span
    }

    /// Lets a closed span go, when its run is still kept.
    private mutating func remove(_ closed: (run: UInt64, span: UInt64)) {
        guard let position = index[closed.run] else { return }
        keptSpans -= Self.remove(closed.span, from: &runs[position], counted: true)
    }

    /// Marks a span removed; what is inside it goes at the next compaction, which
    /// comes once the removed spans outnumber the counted ones still kept (a
    /// removed span's lines, with what is inside it, are about as many as a kept
    /// one's), so at most about half of the lines are ones already let go and
    /// compacting costs a constant per line.
    /// Returns the number of spans that went (the span and what is inside
    /// it, counted for items only; 0 when it or an enclosing item went before).
    @discardableResult
    private static func remove(_ id: UInt64, from run: inout Run, counted: Bool) -> Int {
        let span = SpanID(rawValue: id)
        guard var info = run.spans[span], !info.removed else { return 0 }
        // An item inside an item already let go went with it.
        var enclosing = info.item
        while enclosing != 0, let outer = run.spans[SpanID(rawValue: enclosing)] {
            if outer.removed { return 0 }
            enclosing = outer.item
        }
        info.removed = true
        run.spans[span] = info
        if info.isMap { run.progress[id] = nil }
        if counted { run.counted -= 1 }
        let weight = info.isItem ? info.weight : 0
        if weight > 0 {
            run.keptSpans -= weight
            enclosing = info.item
            while enclosing != 0, var outer = run.spans[SpanID(rawValue: enclosing)] {
                outer.weight -= weight
                run.spans[SpanID(rawValue: enclosing)] = outer
                enclosing = outer.item
            }
        }
        run.removedSpans += 1
        if run.removedSpans > max(1024, run.counted) { compact(&run) }
        return weight
    }

    /// Drops the lines of removed spans and of everything inside them.
    private static func compact(_ run: inout Run) {
        var live = Liveness()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(run.bytes.count / 2)
        var entries: [Entry] = []
        entries.reserveCapacity(run.entries.count / 2)
        var spans = SpanTable<SpanInfo>(capacity: run.spans.count)
        var counted = 0
        run.bytes.withUnsafeBufferPointer { old in
            for var entry in run.entries where live.isKept(entry.span, in: run.spans) {
                let start = entry.offset
                entry.offset = bytes.count
                bytes.append(contentsOf: old[start..<start + Int(entry.length)])
                entries.append(entry)
                let span = SpanID(rawValue: entry.span)
                if spans[span] == nil, let info = run.spans[span] {
                    spans[span] = info
                    if info.closed && (info.isItem || !info.insideItem) { counted += 1 }
                }
            }
        }
        run.progress = run.progress.filter { spans[SpanID(rawValue: $0.key)] != nil }
        run.bytes = bytes
        run.entries = entries
        run.spans = spans
        run.removedSpans = 0
        run.counted = counted
    }

    private static func decode(_ line: UnsafeRawBufferPointer) -> TraceRecord? {
        let bytes = line.assumingMemoryBound(to: UInt8.self)
        let body = UnsafeBufferPointer(rebasing: bytes[0..<max(0, bytes.count - 1)])
        return try? TraceDecoder().decode(body)
    }
}

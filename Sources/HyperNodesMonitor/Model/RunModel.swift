import HyperNodes
import HyperNodesTrace

/// Everything the monitor knows about the runs it watches, fed one ``TraceRecord`` at a time and
/// asked "as of time t" by every screen.
///
/// ## Time
/// The model has one timeline, in nanoseconds: 0 is the wall-clock start (header `startTime`) of
/// the first run that had a header. A run's ``MonitorRun/offset`` is its header's start minus that
/// origin (at least 0); a run without a header is placed at ``latestTime`` when its first record
/// arrives. Every time the model returns is on this timeline. A span whose start is after t does
/// not exist yet at t; a span whose end is after t, or that has no end, is running at t. Seeking
/// is asking with another t: nothing is rebuilt.
///
/// ## Storage
/// Spans are kept column by column (start, end, parent, interned name, kind, status, flags, lane,
/// item index, run, depth, id, child links): about 60 bytes a span plus the id table, with
/// attributes, errors and cache hits in side tables for the spans that have them. A map keeps its
/// items apart from its other children, in sorted arrays that answer counts, rates, concurrency,
/// lanes and latency at any t with binary searches (see ``mapCounts(of:at:)``).
///
/// ## Damage
/// The model never traps on its input. Ends before starts are clamped, ends of unknown spans
/// become spans starting `duration` earlier, spans whose parent is unknown hang under their run's
/// root (or at the top level), reused ids start new spans, records before a header start a run
/// without one, progress of unknown maps is ignored. Each repair is listed in ``issues``, at most
/// 20 per kind of repair, then counted.
public struct RunModel: Sendable {
    // MARK: Span columns
    var starts: [UInt64] = []
    /// `UInt64.max` while the span is open.
    var ends: [UInt64] = []
    /// `-1` for a top-level span.
    var parents: [Int32] = []
    var nameIDs: [UInt32] = []
    var kinds: [UInt8] = []
    var statuses: [UInt8] = []
    var flags: [UInt8] = []
    var laneColumn: [UInt32] = []
    /// `Int32.min` for spans that are not map items.
    var itemIndices: [Int32] = []
    var runIndices: [UInt32] = []
    var depths: [UInt16] = []
    var spanIDs: [UInt64] = []
    /// Non-item children as linked lists (`-1` ends a list).
    var firstChild: [Int32] = []
    var lastChild: [Int32] = []
    var nextSibling: [Int32] = []

    // MARK: Side tables
    var attributeTable: [Int32: [String: String]] = [:]
    var errorTable: [Int32: ErrorInfo] = [:]
    var cacheHitTable: [Int32: Int32] = [:]
    var itemCountTable: [Int32: Int] = [:]
    /// Map span → index in `maps`.
    var mapIndex: [Int32: Int32] = [:]
    var maps: [MapTrack] = []

    /// Maps in blocks of ``mapBlockSize`` (in the order they started): the latest end and the
    /// earliest and latest start in each block, so that a question about the maps running at t
    /// skips finished blocks.
    var mapBlockMaxEnd: [UInt64] = []
    var mapBlockMinStart: [UInt64] = []
    static let mapBlockSize = 64

    // MARK: Names
    var names: [String] = []
    var nameTable: [String: UInt32] = [:]

    // MARK: Runs
    var runStates: [RunState] = []
    var runTable: [UInt64: Int] = [:]
    var runList: [MonitorRun] = []
    /// Top-level spans of every run, in start order.
    var rootList: [Int32] = []
    var origin: UInt64?

    // MARK: Totals and issues
    /// The latest time on the model's timeline that any record reached (run ends included).
    public private(set) var latestTime: UInt64 = 0
    /// Whether the source has ended: no record will come, so spans still open at ``latestTime``
    /// are ``SpanPhase/unfinished`` from then on.
    public private(set) var sourceEnded = false
    /// The number of records applied.
    public private(set) var recordCount = 0
    var issueList: [TraceModelIssue] = []
    var issueCounts: [String: Int] = [:]

    static let issuesPerCategory = 20

    /// Flags of a span.
    enum Flag {
        /// The span's work was served from the cache.
        static let cached: UInt8 = 1
        /// A node ran (was not served from the cache) somewhere below this map item.
        static let ranNode: UInt8 = 2
        /// A node was served from the cache somewhere below this map item.
        static let cachedNode: UInt8 = 4
        /// The span received an error.
        static let failed: UInt8 = 8
        /// The span has an entry in a side table (attributes, error, cache hits, item count).
        static let sideData: UInt8 = 16
    }

    /// Per-run state used while records arrive.
    struct RunState: Sendable {
        /// Open spans by id.
        var open = SpanIDTable()
        /// The latest span with each id, open or closed.
        var latest = SpanIDTable()
        /// The pipeline graph (header's, else the first event's).
        var graph: PipelineGraph?
    }

    /// Creates an empty model.
    public init() {}

    /// The number of spans received.
    public var spanCount: Int { starts.count }

    /// The runs, in order of their first record.
    public var runs: [MonitorRun] { runList }

    /// What had to be repaired, at most 20 of each kind followed by a count of the rest.
    public var issues: [TraceModelIssue] {
        var all = issueList
        for (category, count) in issueCounts.sorted(by: { $0.key < $1.key }) where count > Self.issuesPerCategory {
            all.append(
                TraceModelIssue(
                    runID: 0, line: nil,
                    message: "\(count - Self.issuesPerCategory) more issues like these (\(category)) not listed"))
        }
        return all
    }

    // MARK: Applying records

    /// Notes that the source has ended: spans still open stay open for good.
    public mutating func markSourceEnded() {
        sourceEnded = true
    }

    /// Applies every record of `records`, in order.
    public mutating func apply(_ records: some Sequence<TraceRecord>) {
        for record in records { apply(record) }
    }

    /// Applies the next record. Damaged or out-of-order input is repaired (see ``issues``); this
    /// never traps.
    public mutating func apply(_ record: TraceRecord) {
        recordCount += 1
        let run = runFor(record)
        switch record {
        case .header(let header):
            if runList[run].header != nil {
                issue(runList[run].runID, "a second header for run \(hex(header.runID)); the first is kept", "header")
            } else {
                runList[run].header = header
                runList[run].name = header.pipeline
                if runStates[run].graph == nil { runStates[run].graph = header.graph }
            }
        case .event(let event):
            if runStates[run].graph == nil, let graph = event.graph { runStates[run].graph = graph }
            note(global(event.timestamp, run))
            apply(event, run: run)
        case .progress(let tick):
            note(global(tick.timestamp, run))
            applyProgress(tick, run: run)
        case .runEnd(let end):
            if runList[run].end != nil {
                issue(end.runID, "a second run end for run \(hex(end.runID)); the last is kept", "run end")
            }
            runList[run].end = end
            note(global(max(end.timestamp, end.duration), run))
        }
    }

    /// The index of the record's run, creating it (and placing it on the timeline) when new.
    private mutating func runFor(_ record: TraceRecord) -> Int {
        let runID = record.runID
        if let index = runTable[runID] { return index }
        let index = runList.count
        var run = MonitorRun(runID: runID, name: "")
        if case .header(let header) = record {
            if origin == nil { origin = header.startTime }
            run.offset = header.startTime >= origin! ? header.startTime - origin! : 0
        } else {
            run.offset = latestTime
            if case .event(let event) = record { run.name = event.name }
            issue(runID, "run \(hex(runID)) has records before (or without) its header", "header")
        }
        runList.append(run)
        runStates.append(RunState())
        runTable[runID] = index
        return index
    }

    private mutating func note(_ time: UInt64) {
        if time > latestTime { latestTime = time }
    }

    /// `timestamp` of run `run` on the model's timeline.
    func global(_ timestamp: UInt64, _ run: Int) -> UInt64 {
        let (sum, overflow) = runList[run].offset.addingReportingOverflow(timestamp)
        return overflow ? .max : sum
    }

    mutating func issue(_ runID: UInt64, _ message: String, _ category: String) {
        let count = issueCounts[category, default: 0]
        issueCounts[category] = count + 1
        if count < Self.issuesPerCategory {
            issueList.append(TraceModelIssue(runID: runID, line: nil, message: message))
        }
    }

    private mutating func applyProgress(_ progress: MapProgress, run: Int) {
        guard let span = runStates[run].latest[progress.spanID.rawValue], let map = mapIndex[span] else {
            issue(
                progress.runID,
                "progress of map '\(progress.name)' refers to span \(progress.spanID), which is not a map",
                "progress")
            return
        }
        maps[Int(map)].addTick(
            MapTrack.Tick(
                time: global(progress.timestamp, run), total: progress.total, done: progress.done,
                failed: progress.failed, cached: progress.cached, inFlight: progress.inFlight))
    }

    private mutating func apply(_ event: PipelineEvent, run: Int) {
        if event.kind.opensSpan {
            if runStates[run].latest[event.spanID.rawValue] != nil {
                issue(
                    event.runID,
                    "span id \(event.spanID) is used again by \(event.kind) '\(event.name)'; kept as a separate span",
                    "duplicate")
            }
            let index = newSpan(event, run: run, start: global(event.timestamp, run))
            if SpanKind(event.kind) == .node { markItemAncestors(of: index, Flag.ranNode) }
        } else if event.kind.closesSpan {
            close(event, run: run)
        } else {
            switch event.kind {
            case .nodeCached:
                let time = global(event.timestamp, run)
                let index = newSpan(event, run: run, start: time)
                let i = Int(index)
                ends[i] = time
                statuses[i] = (event.status == .running ? SpanStatus.cached : event.status).rawValue
                flags[i] |= Flag.cached
                runStates[run].open[event.spanID.rawValue] = nil
                markItemAncestors(of: index, Flag.cachedNode)
            case .mapItemCached:
                guard let item = runStates[run].latest[event.spanID.rawValue] else {
                    issue(
                        event.runID,
                        "a cache hit of '\(event.name)' refers to span \(event.spanID), which never started",
                        "unknown span")
                    return
                }
                cacheHitTable[item, default: 0] &+= 1
                flags[Int(item)] |= Flag.sideData
            case .error:
                let state = runStates[run]
                guard let span = state.open[event.spanID.rawValue] ?? state.latest[event.spanID.rawValue] else {
                    let message = event.error.map { ": \($0.type): \($0.message)" } ?? ""
                    issue(
                        event.runID,
                        "an error of '\(event.name)' refers to span \(event.spanID), which never started\(message)",
                        "unknown span")
                    return
                }
                if let error = event.error {
                    errorTable[span] = error
                    flags[Int(span)] |= Flag.sideData
                }
                flags[Int(span)] |= Flag.failed
            default:
                break
            }
        }
    }

    private mutating func close(_ event: PipelineEvent, run: Int) {
        let kind = SpanKind(event.kind) ?? .node
        let time = global(event.timestamp, run)
        guard let index = runStates[run].open[event.spanID.rawValue] else {
            if runStates[run].latest[event.spanID.rawValue] != nil {
                issue(
                    event.runID, "\(event.kind) '\(event.name)' closes span \(event.spanID) again; ignored",
                    "closed twice")
                return
            }
            issue(
                event.runID,
                "\(event.kind) '\(event.name)' closes span \(event.spanID), which never started; "
                    + "its start is taken from its duration", "unknown span")
            let start = time - min(event.duration ?? 0, time.saturatingSubtract(global(0, run)))
            let index = newSpan(event, run: run, start: start)
            finish(index, with: event, at: time)
            return
        }
        if Self.kind(kinds[Int(index)]) != kind {
            issue(
                event.runID,
                "\(event.kind) '\(event.name)' closes span \(event.spanID), which is a "
                    + "\(Self.kind(kinds[Int(index)])) span", "kind")
        }
        finish(index, with: event, at: time)
    }

    private mutating func finish(_ index: Int32, with event: PipelineEvent, at time: UInt64) {
        let i = Int(index)
        let run = Int(runIndices[i])
        runStates[run].open[spanIDs[i]] = nil
        if time < starts[i] {
            issue(event.runID, "\(event.kind) '\(event.name)' ends before it starts; its end is its start", "time")
        }
        let end = max(time, starts[i])
        ends[i] = end
        var status = event.status
        if status == .running {
            issue(event.runID, "\(event.kind) '\(event.name)' has status running; taken as ok", "status")
            status = .ok
        }
        statuses[i] = status.rawValue
        if status == .cached { flags[i] |= Flag.cached }
        if let count = event.itemCount {
            itemCountTable[index] = count
            flags[i] |= Flag.sideData
        }
        let attributes = event.attributes
        if !attributes.isEmpty {
            attributeTable[index, default: [:]].merge(attributes) { _, new in new }
            flags[i] |= Flag.sideData
        }
        if let error = event.error {
            errorTable[index] = error
            flags[i] |= Flag.sideData
        }

        let kind = Self.kind(kinds[i])
        if kind == .map, let map = mapIndex[index] {
            if let count = event.itemCount { maps[Int(map)].itemCount = count }
            updateMapBlock(Int(map) / Self.mapBlockSize)
        }
        if kind == .mapItem, parents[i] >= 0, let map = mapIndex[parents[i]] {
            let cached =
                status == .cached
                || (status == .ok && flags[i] & Flag.cachedNode != 0 && flags[i] & Flag.ranNode == 0)
            if cached { flags[i] |= Flag.cached }
            maps[Int(map)].finishItem(
                index, lane: Int(laneColumn[i]), start: starts[i], end: end, failed: status == .error, cached: cached)
        }
        if kind == .node && flags[i] & Flag.cached == 0, let item = nearestItem(above: i), parents[item] >= 0,
            let map = mapIndex[parents[item]]
        {
            maps[Int(map)].addLatency(name: nameIDs[i], end: end, duration: end - starts[i])
        }
    }

    /// Appends a span for the start (or cache hit) `event` and links it to its parent.
    @discardableResult
    private mutating func newSpan(_ event: PipelineEvent, run: Int, start: UInt64) -> Int32 {
        let index = Int32(truncatingIfNeeded: starts.count)
        var parent: Int32 = -1
        if let parentID = event.parentSpanID {
            let state = runStates[run]
            if let found = state.open[parentID.rawValue] ?? state.latest[parentID.rawValue] {
                parent = found
            } else {
                let root = runList[run].root
                parent = root.map { Int32($0) } ?? -1
                let target = root.map { "the run's root '\(names[Int(nameIDs[$0])])'" } ?? "the top level"
                issue(
                    event.runID,
                    "the parent span \(parentID) of \(event.kind) '\(event.name)' is not in the trace; "
                        + "attached to \(target)", "missing parent")
            }
        }
        let kind = SpanKind(event.kind) ?? .node
        starts.append(start)
        ends.append(.max)
        parents.append(parent)
        nameIDs.append(intern(event.name))
        kinds.append(Self.code(kind))
        statuses.append(SpanStatus.running.rawValue)
        flags.append(0)
        laneColumn.append(UInt32(clamping: event.lane))
        itemIndices.append(event.itemIndex.map { Int32(clamping: $0) } ?? .min)
        runIndices.append(UInt32(truncatingIfNeeded: run))
        depths.append(parent >= 0 ? depths[Int(parent)] &+ 1 : 0)
        spanIDs.append(event.spanID.rawValue)
        firstChild.append(-1)
        lastChild.append(-1)
        nextSibling.append(-1)
        let attributes = event.attributes
        let error = event.error
        if !attributes.isEmpty { attributeTable[index] = attributes }
        if let error { errorTable[index] = error }
        if let count = event.itemCount { itemCountTable[index] = count }
        if !attributes.isEmpty || error != nil || event.itemCount != nil { flags[Int(index)] |= Flag.sideData }
        if kind == .map {
            mapIndex[index] = Int32(maps.count)
            maps.append(MapTrack(span: index, itemCount: event.itemCount))
            updateMapBlock((maps.count - 1) / Self.mapBlockSize)
        }

        if parent >= 0, kind == .mapItem, let map = mapIndex[parent] {
            maps[Int(map)].addItem(index, start: start, lane: event.lane)
        } else if parent >= 0 {
            let p = Int(parent)
            if lastChild[p] >= 0 {
                nextSibling[Int(lastChild[p])] = index
            } else {
                firstChild[p] = index
            }
            lastChild[p] = index
        } else {
            var position = rootList.count
            while position > 0 && starts[Int(rootList[position - 1])] > start { position -= 1 }
            rootList.insert(index, at: position)
            if runList[run].root == nil { runList[run].root = Int(index) }
        }
        runStates[run].open[event.spanID.rawValue] = index
        runStates[run].latest[event.spanID.rawValue] = index
        return index
    }

    /// Recomputes the summary of one block of maps.
    private mutating func updateMapBlock(_ block: Int) {
        let range = (block * Self.mapBlockSize)..<min((block + 1) * Self.mapBlockSize, maps.count)
        var maxEnd: UInt64 = 0
        var minStart = UInt64.max
        for map in range {
            let span = Int(maps[map].span)
            maxEnd = max(maxEnd, ends[span])
            minStart = min(minStart, starts[span])
        }
        while mapBlockMaxEnd.count <= block {
            mapBlockMaxEnd.append(0)
            mapBlockMinStart.append(.max)
        }
        mapBlockMaxEnd[block] = maxEnd
        mapBlockMinStart[block] = minStart
    }

    private mutating func intern(_ name: String) -> UInt32 {
        if let id = nameTable[name] { return id }
        let id = UInt32(names.count)
        names.append(name)
        nameTable[name] = id
        return id
    }

    /// Sets `flag` on every map item above `index`.
    private mutating func markItemAncestors(of index: Int32, _ flag: UInt8) {
        var current = parents[Int(index)]
        while current >= 0 {
            if kinds[Int(current)] == Self.code(.mapItem) { flags[Int(current)] |= flag }
            current = parents[Int(current)]
        }
    }

    /// The nearest map item above `index`.
    func nearestItem(above index: Int) -> Int? {
        var current = parents[index]
        while current >= 0 {
            if kinds[Int(current)] == Self.code(.mapItem) { return Int(current) }
            current = parents[Int(current)]
        }
        return nil
    }

    // MARK: Kind codes

    static let kindCases = SpanKind.allCases

    static func code(_ kind: SpanKind) -> UInt8 {
        switch kind {
        case .pipeline: 0
        case .node: 1
        case .nestedPipeline: 2
        case .map: 3
        case .mapItem: 4
        }
    }

    static func kind(_ code: UInt8) -> SpanKind {
        switch code {
        case 0: .pipeline
        case 1: .node
        case 2: .nestedPipeline
        case 3: .map
        default: .mapItem
        }
    }
}

/// The run id as 16 hex digits.
func hex(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, 16 - digits.count)) + digits
}

extension UInt64 {
    /// `self - other`, or 0 when `other` is larger.
    func saturatingSubtract(_ other: UInt64) -> UInt64 { self >= other ? self - other : 0 }
}

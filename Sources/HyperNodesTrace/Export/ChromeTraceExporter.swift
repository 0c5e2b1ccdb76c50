import HyperNodes

/// Writes a trace as Chrome trace event JSON, which ui.perfetto.dev and
/// `chrome://tracing` open.
///
/// Every span is a complete event (`"ph":"X"`) with `ts` and `dur` in
/// microseconds (fractions keep nanosecond precision), placed by the
/// process id of its run's header and one thread id per worker lane, so
/// that the slices of a track nest strictly (a damaged trace's overlapping
/// spans get extra tracks). Thread and process names come as metadata
/// events (`"ph":"M"`); errors are instant events (`"ph":"i"`). Times
/// count from the earliest run's start; the span's status, ids, item index,
/// error and attributes are in `args`.
public struct ChromeTraceExporter: Sendable {
    /// Creates an exporter.
    public init() {}

    /// The JSON document for `model`.
    public func export(_ model: TraceModel) -> [UInt8] {
        var out = JSONBuffer(capacity: 1 << 16)
        out.raw("{\"traceEvents\":[\n")
        var first = true
        func separate() {
            if !first { out.raw(",\n") }
            first = false
        }
        var usedThreads: [Int: Set<Int>] = [:]
        var namedProcesses = Set<Int>()
        for run in model.runs {
            let pid = run.header?.process.pid ?? 0
            let offset = ExportSupport.offset(of: run, in: model)
            if namedProcesses.insert(pid).inserted {
                separate()
                out.raw("{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":")
                out.number(pid)
                out.raw(",\"tid\":0,\"args\":{\"name\":")
                out.string("\(run.name) (pid \(pid))")
                out.raw("}}")
            }
            for track in TrackLayout(run: run).tracks {
                var used = usedThreads[pid, default: []]
                let tid = track.overflow == 0 && !used.contains(track.lane) ? track.lane : (used.max() ?? 0) + 1
                used.insert(tid)
                usedThreads[pid] = used
                var threadName = "lane \(track.lane)"
                if track.overflow > 0 { threadName += " (overlapping spans \(track.overflow))" }
                if let label = ExportSupport.runLabel(run, in: model) { threadName = "\(label) · \(threadName)" }
                separate()
                out.raw("{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":")
                out.number(pid)
                out.raw(",\"tid\":")
                out.number(tid)
                out.raw(",\"args\":{\"name\":")
                out.string(threadName)
                out.raw("}},\n{\"ph\":\"M\",\"name\":\"thread_sort_index\",\"pid\":")
                out.number(pid)
                out.raw(",\"tid\":")
                out.number(tid)
                out.raw(",\"args\":{\"sort_index\":")
                out.number(tid)
                out.raw("}}")
                for index in track.spans {
                    separate()
                    append(run.spans[index], of: run, pid: pid, tid: tid, offset: offset, to: &out)
                }
            }
        }
        out.raw("\n],\"displayTimeUnit\":\"ms\",\"otherData\":{\"generator\":\"hypernodes\",\"trace_format\":")
        out.string(TraceFormat.version)
        out.raw(",\"runs\":")
        out.string(model.runs.map { hex($0.runID) }.joined(separator: " "))
        out.raw("}}\n")
        return out.bytes
    }

    /// The keys of `args` the exporter writes itself; attributes with these keys are left out.
    static let argumentKeys: Set<String> = [
        "status", "span", "parent", "item", "items", "cache_hits", "error.type", "error.message",
    ]

    private func append(
        _ span: TraceSpan, of run: TraceRun, pid: Int, tid: Int, offset: UInt64, to out: inout JSONBuffer
    ) {
        out.raw("{\"ph\":\"X\",\"name\":")
        out.string(ExportSupport.displayName(of: span))
        out.raw(",\"cat\":\"")
        out.append(contentsOf: span.kind.rawValue.utf8)
        out.raw("\",\"pid\":")
        out.number(pid)
        out.raw(",\"tid\":")
        out.number(tid)
        out.raw(",\"ts\":")
        out.microseconds(offset.saturatingAdd(span.start))
        out.raw(",\"dur\":")
        out.microseconds(span.duration)
        out.raw(",\"args\":{\"status\":")
        out.string(span.outcome)
        out.raw(",\"span\":")
        out.number(span.id.rawValue)
        if let parent = span.parent {
            out.raw(",\"parent\":")
            out.number(run.spans[parent].id.rawValue)
        }
        if let item = span.itemIndex {
            out.raw(",\"item\":")
            out.number(item)
        }
        if let count = span.itemCount {
            out.raw(",\"items\":")
            out.number(count)
        }
        if span.cacheHits > 0 {
            out.raw(",\"cache_hits\":")
            out.number(span.cacheHits)
        }
        if let error = span.error {
            out.raw(",\"error.type\":")
            out.string(error.type)
            out.raw(",\"error.message\":")
            out.string(error.message)
        }
        for key in span.attributes.keys.sorted() where !Self.argumentKeys.contains(key) {
            out.byte(UInt8(ascii: ","))
            out.string(key)
            out.byte(UInt8(ascii: ":"))
            out.string(span.attributes[key]!)
        }
        out.raw("}}")
        if let error = span.error, span.status == .error {
            out.raw(",\n{\"ph\":\"i\",\"s\":\"t\",\"name\":")
            out.string("error: \(error.type)")
            out.raw(",\"cat\":\"error\",\"pid\":")
            out.number(pid)
            out.raw(",\"tid\":")
            out.number(tid)
            out.raw(",\"ts\":")
            out.microseconds(offset.saturatingAdd(span.end))
            out.raw(",\"args\":{\"span\":")
            out.number(span.id.rawValue)
            out.raw(",\"message\":")
            out.string(error.message)
            out.raw("}}")
        }
    }
}

import HyperNodes

/// Writes a trace as OpenTelemetry OTLP JSON: one `TracesData` object per
/// line, one line per run, as the OTLP file exporter does.
///
/// Follows the OTLP JSON encoding: trace and span ids in lowercase hex (32
/// and 16 digits), 64-bit integers and times as decimal strings, enums as
/// integers. The trace id is derived from the run id; a span's id is its
/// trace span id (a damaged trace's repeated ids are replaced by derived
/// unique ones). Times are the run's wall-clock start plus the span's
/// offset. Every span is internal (`kind` 1); failed spans have status
/// error (`code` 2) with the error's message and an `exception` event.
/// The resource's `service.name` is `hypernodes`; span attributes are
/// named `hypernodes.*`.
public struct OTLPJSONExporter: Sendable {
    /// The instrumentation scope named in every line.
    public static let scopeName = "hypernodes"

    /// Creates an exporter.
    public init() {}

    /// The JSON lines for `model`.
    public func export(_ model: TraceModel) -> [UInt8] {
        var out = JSONBuffer(capacity: 1 << 16)
        for run in model.runs { append(run, to: &out) }
        return out.bytes
    }

    /// The 32-hex-digit trace id of a run: the run id followed by a mix of
    /// it, so that it is never zero and differs in both halves between runs.
    public static func traceID(of runID: UInt64) -> String {
        hex(runID) + hex(mix(runID ^ 0x9E37_79B9_7F4A_7C15))
    }

    /// The SplitMix64 finaliser: a bijection of 64-bit values that spreads bits.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// OTLP span ids for the run's spans: the trace's ids, with repeated (or
    /// zero) ids replaced by unique derived ones.
    static func spanIDs(of run: TraceRun) -> [UInt64] {
        var used = Set<UInt64>()
        used.reserveCapacity(run.spans.count)
        var ids: [UInt64] = []
        ids.reserveCapacity(run.spans.count)
        for span in run.spans {
            var id = span.id.rawValue
            var salt = UInt64(span.index)
            while id == 0 || used.contains(id) {
                salt &+= 1
                id = mix(span.id.rawValue ^ (salt << 32) ^ salt)
            }
            used.insert(id)
            ids.append(id)
        }
        return ids
    }

    private func append(_ run: TraceRun, to out: inout JSONBuffer) {
        let start = run.startTime
        let ids = Self.spanIDs(of: run)
        let traceID = Self.traceID(of: run.runID)
        out.raw("{\"resourceSpans\":[{\"resource\":{\"attributes\":[")
        var attributes = AttributeWriter()
        attributes.string(&out, "service.name", "hypernodes")
        attributes.string(&out, "hypernodes.run_id", hex(run.runID))
        attributes.string(&out, "hypernodes.pipeline", run.name)
        if let process = run.header?.process {
            attributes.int(&out, "process.pid", Int64(process.pid))
            attributes.string(&out, "process.executable.path", process.executable)
            attributes.string(&out, "host.name", process.hostName)
        }
        out.raw("]},\"scopeSpans\":[{\"scope\":{\"name\":")
        out.string(Self.scopeName)
        out.raw(",\"version\":")
        out.string(TraceFormat.version)
        out.raw("},\"spans\":[")
        for span in run.spans {
            if span.index > 0 { out.byte(UInt8(ascii: ",")) }
            out.raw("{\"traceId\":\"")
            out.append(contentsOf: traceID.utf8)
            out.raw("\",\"spanId\":")
            out.hexID(ids[span.index])
            if let parent = span.parent {
                out.raw(",\"parentSpanId\":")
                out.hexID(ids[parent])
            }
            out.raw(",\"name\":")
            out.string(ExportSupport.displayName(of: span))
            out.raw(",\"kind\":1,\"startTimeUnixNano\":")
            out.quotedNumber(start.saturatingAdd(span.start))
            out.raw(",\"endTimeUnixNano\":")
            out.quotedNumber(start.saturatingAdd(span.end))
            out.raw(",\"attributes\":[")
            var writer = AttributeWriter()
            writer.string(&out, "hypernodes.kind", span.kind.rawValue)
            writer.string(&out, "hypernodes.status", span.outcome)
            writer.int(&out, "hypernodes.span_id", Int64(bitPattern: span.id.rawValue))
            writer.int(&out, "hypernodes.lane", Int64(span.lane))
            writer.int(&out, "hypernodes.depth", Int64(span.nestingDepth))
            if let item = span.itemIndex { writer.int(&out, "hypernodes.item_index", Int64(item)) }
            if let count = span.itemCount { writer.int(&out, "hypernodes.item_count", Int64(count)) }
            if span.isCached { writer.bool(&out, "hypernodes.cached", true) }
            if !span.isFinished { writer.bool(&out, "hypernodes.unfinished", true) }
            if span.cacheHits > 0 { writer.int(&out, "hypernodes.cache_hits", Int64(span.cacheHits)) }
            if span.kind == .map, let map = run.mapStatistics(of: span.index) {
                writer.int(&out, "hypernodes.map.done", Int64(map.done))
                writer.int(&out, "hypernodes.map.failed", Int64(map.failed))
                writer.int(&out, "hypernodes.map.cached", Int64(map.cached))
            }
            for key in span.attributes.keys.sorted() {
                writer.string(&out, "hypernodes.\(key)", span.attributes[key]!)
            }
            out.byte(UInt8(ascii: "]"))
            if let error = span.error {
                out.raw(",\"events\":[{\"timeUnixNano\":")
                out.quotedNumber(start.saturatingAdd(span.end))
                out.raw(",\"name\":\"exception\",\"attributes\":[")
                var event = AttributeWriter()
                event.string(&out, "exception.type", error.type)
                event.string(&out, "exception.message", error.message)
                out.raw("]}]")
            }
            if span.status == .error {
                out.raw(",\"status\":{\"code\":2,\"message\":")
                out.string(span.error?.message ?? "failed")
                out.byte(UInt8(ascii: "}"))
            }
            out.byte(UInt8(ascii: "}"))
        }
        out.raw("]}]}]}\n")
    }
}

/// Writes OTLP `KeyValue` objects, separated by commas.
private struct AttributeWriter {
    private var count = 0

    private mutating func key(_ out: inout JSONBuffer, _ key: String) {
        if count > 0 { out.byte(UInt8(ascii: ",")) }
        count += 1
        out.raw("{\"key\":")
        out.string(key)
        out.raw(",\"value\":{")
    }

    mutating func string(_ out: inout JSONBuffer, _ name: String, _ value: String) {
        key(&out, name)
        out.raw("\"stringValue\":")
        out.string(value)
        out.raw("}}")
    }

    mutating func int(_ out: inout JSONBuffer, _ name: String, _ value: Int64) {
        key(&out, name)
        out.raw("\"intValue\":\"")
        out.number(Int(value))
        out.raw("\"}}")
    }

    mutating func bool(_ out: inout JSONBuffer, _ name: String, _ value: Bool) {
        key(&out, name)
        out.raw(value ? "\"boolValue\":true}}" : "\"boolValue\":false}}")
    }
}

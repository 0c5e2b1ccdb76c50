import Foundation
import HyperNodes

/// Writes trace records as JSON lines (see `docs/trace-format.md`).
///
/// Hand-written for speed: one event line costs a few hundred nanoseconds,
/// where `JSONEncoder` takes several microseconds. Every call appends one
/// complete line, newline included.
public struct TraceEncoder: Sendable {
    /// Creates an encoder.
    public init() {}

    /// Appends `record` as one line to `output`.
    public func encode(_ record: TraceRecord, into output: inout [UInt8]) {
        var buffer = JSONBuffer(capacity: 256)
        append(record, to: &buffer)
        buffer.withUnsafeBytes { output.append(contentsOf: $0) }
    }

    /// `record` as one line of UTF-8 text, newline included.
    public func encode(_ record: TraceRecord) -> [UInt8] {
        var output: [UInt8] = []
        encode(record, into: &output)
        return output
    }

    func append(_ record: TraceRecord, to buffer: inout JSONBuffer) {
        switch record {
        case .header(let header): append(header, to: &buffer)
        case .event(let event): append(event, to: &buffer)
        case .progress(let progress): append(progress, to: &buffer)
        case .runEnd(let end): append(end, to: &buffer)
        }
    }

    func append(_ header: TraceHeader, to buffer: inout JSONBuffer) {
        buffer.raw("{\"type\":\"header\",\"schema\":")
        buffer.string(TraceFormat.schema)
        buffer.raw(",\"version\":")
        buffer.string(header.version)
        buffer.raw(",\"run\":")
        buffer.hexID(header.runID)
        buffer.raw(",\"start_unix_ns\":")
        buffer.number(header.startTime)
        buffer.raw(",\"process\":{\"pid\":")
        buffer.number(header.process.pid)
        buffer.raw(",\"executable\":")
        buffer.string(header.process.executable)
        buffer.raw(",\"arguments\":[")
        for (index, argument) in header.process.arguments.enumerated() {
            if index > 0 { buffer.byte(UInt8(ascii: ",")) }
            buffer.string(argument)
        }
        buffer.raw("],\"host\":")
        buffer.string(header.process.hostName)
        buffer.raw("},\"pipeline\":")
        buffer.string(header.pipeline)
        if let graph = header.graph, let json = try? Self.graphEncoder.encode(graph) {
            buffer.raw(",\"graph\":")
            buffer.append(contentsOf: Array(json))
        }
        buffer.raw("}\n")
    }

    func append(_ event: PipelineEvent, to buffer: inout JSONBuffer) {
        var runField = JSONBuffer(capacity: 32)
        runField.raw(",\"run\":")
        runField.hexID(event.runID)
        append(event, runField: runField.bytes, to: &buffer)
    }

    /// Appends an event line, with the `,"run":"…"` field already encoded.
    func append(_ event: PipelineEvent, runField: [UInt8], to buffer: inout JSONBuffer) {
        buffer.raw("{\"type\":\"")
        buffer.raw(Self.kindName(event.kind))
        buffer.byte(UInt8(ascii: "\""))
        buffer.append(contentsOf: runField)
        buffer.raw(",\"t\":")
        buffer.number(event.timestamp)
        buffer.raw(",\"span\":")
        buffer.number(event.spanID.rawValue)
        if let parent = event.parentSpanID {
            buffer.raw(",\"parent\":")
            buffer.number(parent.rawValue)
        }
        buffer.raw(",\"name\":")
        buffer.string(event.name)
        if !(event.status == .running && event.kind.opensSpan) {
            buffer.raw(",\"status\":\"")
            buffer.raw(Self.statusName(event.status))
            buffer.byte(UInt8(ascii: "\""))
        }
        if let duration = event.duration {
            buffer.raw(",\"dur\":")
            buffer.number(duration)
        }
        buffer.raw(",\"depth\":")
        buffer.number(event.depth)
        buffer.raw(",\"lane\":")
        buffer.number(event.lane)
        if let item = event.itemIndex {
            buffer.raw(",\"item\":")
            buffer.number(item)
        }
        if let items = event.itemCount {
            buffer.raw(",\"items\":")
            buffer.number(items)
        }
        let attributes = event.attributes
        if !attributes.isEmpty {
            buffer.raw(",\"attrs\":{")
            for (index, key) in attributes.keys.sorted().enumerated() {
                if index > 0 { buffer.byte(UInt8(ascii: ",")) }
                buffer.string(key)
                buffer.byte(UInt8(ascii: ":"))
                buffer.string(attributes[key]!)
            }
            buffer.byte(UInt8(ascii: "}"))
        }
        if let error = event.error {
            buffer.raw(",\"error\":{\"type\":")
            buffer.string(error.type)
            buffer.raw(",\"message\":")
            buffer.string(error.message)
            buffer.byte(UInt8(ascii: "}"))
        }
        buffer.raw("}\n")
    }

    func append(_ progress: MapProgress, to buffer: inout JSONBuffer) {
        buffer.raw("{\"type\":\"map_progress\",\"run\":")
        buffer.hexID(progress.runID)
        buffer.raw(",\"t\":")
        buffer.number(progress.timestamp)
        buffer.raw(",\"span\":")
        buffer.number(progress.spanID.rawValue)
        buffer.raw(",\"name\":")
        buffer.string(progress.name)
        buffer.raw(",\"total\":")
        buffer.number(progress.total)
        buffer.raw(",\"done\":")
        buffer.number(progress.done)
        buffer.raw(",\"failed\":")
        buffer.number(progress.failed)
        buffer.raw(",\"cached\":")
        buffer.number(progress.cached)
        buffer.raw(",\"in_flight\":")
        buffer.number(progress.inFlight)
        buffer.raw("}\n")
    }

    func append(_ end: RunEnd, to buffer: inout JSONBuffer) {
        buffer.raw("{\"type\":\"run_end\",\"run\":")
        buffer.hexID(end.runID)
        buffer.raw(",\"t\":")
        buffer.number(end.timestamp)
        buffer.raw(",\"status\":\"")
        buffer.raw(Self.statusName(end.status))
        buffer.raw("\",\"dur\":")
        buffer.number(end.duration)
        buffer.raw(",\"totals\":{\"events\":")
        buffer.number(end.totals.events)
        buffer.raw(",\"spans\":")
        buffer.number(end.totals.spans)
        buffer.raw(",\"nodes\":")
        buffer.number(end.totals.nodes)
        buffer.raw(",\"cached\":")
        buffer.number(end.totals.cached)
        buffer.raw(",\"failed\":")
        buffer.number(end.totals.failed)
        buffer.raw(",\"map_items\":")
        buffer.number(end.totals.mapItems)
        buffer.raw("}}\n")
    }

    /// An event kind's name (a switch, not a table: no lazy global on the hot path).
    static func kindName(_ kind: EventKind) -> StaticString {
        switch kind {
        case .pipelineStart: "pipeline_start"
        case .pipelineEnd: "pipeline_end"
        case .nodeStart: "node_start"
        case .nodeEnd: "node_end"
        case .nodeCached: "node_cached"
        case .error: "error"
        case .nestedPipelineStart: "nested_pipeline_start"
        case .nestedPipelineEnd: "nested_pipeline_end"
        case .mapStart: "map_start"
        case .mapEnd: "map_end"
        case .mapItemStart: "map_item_start"
        case .mapItemEnd: "map_item_end"
        case .mapItemCached: "map_item_cached"
        }
    }

    /// A status's name.
    static func statusName(_ status: SpanStatus) -> StaticString {
        switch status {
        case .running: "running"
        case .ok: "ok"
        case .error: "error"
        case .cached: "cached"
        case .cancelled: "cancelled"
        }
    }

    private static let graphEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}

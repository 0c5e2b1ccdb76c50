import Foundation
import HyperNodes

/// Reads single trace lines back into ``TraceRecord``s.
///
/// Fields may come in any order; unknown fields are ignored, and a line of an
/// unknown record type decodes to `nil`, as the format's versioning rules
/// require. Everything else that is wrong is a ``TraceDecoder/Failure`` naming
/// the field and the problem.
public struct TraceDecoder: Sendable {
    /// Why a line is not a valid record.
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        /// What is wrong, naming the field where there is one.
        public var reason: String
        /// The byte offset in the line where the problem was found.
        public var offset: Int

        /// The reason.
        public var description: String { reason }
    }

    /// Creates a decoder.
    public init() {}

    /// Decodes one line (without its line end). Returns `nil` for a record
    /// type this version does not know.
    public func decode(_ line: UnsafeBufferPointer<UInt8>) throws(Failure) -> TraceRecord? {
        var scanner = JSONScanner(line)
        var fields = Fields()
        do throws(JSONScanner.Failure) {
            try scanner.object { (scanner, key) throws(JSONScanner.Failure) in
                try fields.read(key, from: &scanner)
            }
            if !scanner.isAtEnd, scanner.peek() != nil {
                throw scanner.fail("unexpected text after the object")
            }
        } catch {
            let field = fields.currentKey.map { " (in field '\($0.text)')" } ?? ""
            throw Failure(reason: error.message + field, offset: error.offset)
        }
        return try fields.record()
    }

    /// Decodes one line given as bytes.
    public func decode(_ line: some Collection<UInt8>) throws(Failure) -> TraceRecord? {
        let bytes = Array(line)
        return try bytes.withUnsafeBufferPointer { (buffer) throws(Failure) -> TraceRecord? in try decode(buffer) }
    }

    /// The decoded values of one line, before its type is known.
    private struct Fields {
        var currentKey: JSONScanner.Key?
        var type: String?
        var kind: EventKind?
        var run: UInt64?
        var t: UInt64?
        var span: UInt64?
        var parent: UInt64?
        var name: String?
        var status: SpanStatus?
        var duration: UInt64?
        var depth = 0
        var lane = 0
        var item: Int?
        var items: Int?
        var attributes: [String: String] = [:]
        var error: ErrorInfo?
        var schema: String?
        var version: String?
        var startTime: UInt64?
        var process: TraceProcess?
        var pipeline: String?
        var graph: PipelineGraph?
        var graphError: String?
        var total: Int?
        var done: Int?
        var failed: Int?
        var cached: Int?
        var inFlight: Int?
        var totals: RunEnd.Totals?

        mutating func read(_ key: JSONScanner.Key, from scanner: inout JSONScanner) throws(JSONScanner.Failure) {
            currentKey = key
            defer { currentKey = nil }
            if key.matches("type") {
                let value = try scanner.key()
                kind = TraceDecoder.kind(named: value)
                type = kind == nil ? value.text : nil
            } else if key.matches("run") {
                run = try scanner.hexID()
            } else if key.matches("t") {
                t = try scanner.unsigned()
            } else if key.matches("span") {
                span = try scanner.unsigned()
            } else if key.matches("parent") {
                if scanner.peek() == UInt8(ascii: "n") {
                    try scanner.skipValue()
                } else {
                    parent = try scanner.unsigned()
                }
            } else if key.matches("name") {
                name = try scanner.string()
            } else if key.matches("status") {
                let text = try scanner.string()
                guard let value = TraceDecoder.statuses[text] else {
                    throw scanner.fail("unknown status '\(text)'")
                }
                status = value
            } else if key.matches("dur") {
                duration = try scanner.unsigned()
            } else if key.matches("depth") {
                depth = try scanner.count()
            } else if key.matches("lane") {
                lane = try scanner.count()
            } else if key.matches("item") {
                item = try scanner.count()
            } else if key.matches("items") {
                items = try scanner.count()
            } else if key.matches("attrs") {
                try scanner.object { (scanner, key) throws(JSONScanner.Failure) in
                    attributes[key.text] = try scanner.string()
                }
            } else if key.matches("error") {
                var errorType = ""
                var message = ""
                try scanner.object { (scanner, key) throws(JSONScanner.Failure) in
                    if key.matches("type") {
                        errorType = try scanner.string()
                    } else if key.matches("message") {
                        message = try scanner.string()
                    } else {
                        try scanner.skipValue()
                    }
                }
                error = ErrorInfo(type: errorType, message: message)
            } else if key.matches("schema") {
                schema = try scanner.string()
            } else if key.matches("version") {
                version = try scanner.string()
            } else if key.matches("start_unix_ns") {
                startTime = try scanner.unsigned()
            } else if key.matches("process") {
                process = try Self.readProcess(&scanner)
            } else if key.matches("pipeline") {
                pipeline = try scanner.string()
            } else if key.matches("graph") {
                let raw = try scanner.rawValue()
                do {
                    graph = try TraceDecoder.graphDecoder.decode(PipelineGraph.self, from: Data(raw))
                } catch {
                    graphError = "invalid pipeline graph in field 'graph'"
                }
            } else if key.matches("total") {
                total = try scanner.count()
            } else if key.matches("done") {
                done = try scanner.count()
            } else if key.matches("failed") {
                failed = try scanner.count()
            } else if key.matches("cached") {
                cached = try scanner.count()
            } else if key.matches("in_flight") {
                inFlight = try scanner.count()
            } else if key.matches("totals") {
                var totals = RunEnd.Totals()
                try scanner.object { (scanner, key) throws(JSONScanner.Failure) in
                    if key.matches("events") {
                        totals.events = try scanner.count()
                    } else if key.matches("spans") {
                        totals.spans = try scanner.count()
                    } else if key.matches("nodes") {
                        totals.nodes = try scanner.count()
                    } else if key.matches("cached") {
                        totals.cached = try scanner.count()
                    } else if key.matches("failed") {
                        totals.failed = try scanner.count()
                    } else if key.matches("map_items") {
                        totals.mapItems = try scanner.count()
                    } else {
                        try scanner.skipValue()
                    }
                }
                self.totals = totals
            } else {
                try scanner.skipValue()
            }
        }

        static func readProcess(_ scanner: inout JSONScanner) throws(JSONScanner.Failure) -> TraceProcess {
            var process = TraceProcess(pid: 0, executable: "", arguments: [], hostName: "")
            try scanner.object { (scanner, key) throws(JSONScanner.Failure) in
                if key.matches("pid") {
                    process.pid = try scanner.count()
                } else if key.matches("executable") {
                    process.executable = try scanner.string()
                } else if key.matches("arguments") {
                    try scanner.array { (scanner) throws(JSONScanner.Failure) in
                        process.arguments.append(try scanner.string())
                    }
                } else if key.matches("host") {
                    process.hostName = try scanner.string()
                } else {
                    try scanner.skipValue()
                }
            }
            return process
        }

        func require<T>(_ value: T?, _ field: String) throws(Failure) -> T {
            guard let value else {
                let name = kind.map { "\($0)" } ?? type ?? "?"
                throw Failure(reason: "missing field '\(field)' in a '\(name)' record", offset: 0)
            }
            return value
        }

        func record() throws(Failure) -> TraceRecord? {
            if let kind {
                let spanID = try require(span, "span")
                guard spanID != 0 else { throw Failure(reason: "span id 0 is not allowed (field 'span')", offset: 0) }
                let status = self.status ?? (kind.opensSpan ? .running : .ok)
                return .event(
                    PipelineEvent(
                        kind: kind, status: status, runID: try require(run, "run"), spanID: SpanID(rawValue: spanID),
                        parentSpanID: parent.flatMap { $0 == 0 ? nil : SpanID(rawValue: $0) },
                        name: try require(name, "name"), timestamp: try require(t, "t"), duration: duration,
                        depth: depth, lane: lane, itemIndex: item, itemCount: items, attributes: attributes,
                        error: error))
            }
            guard let type else { throw Failure(reason: "missing field 'type'", offset: 0) }
            switch type {
            case "header":
                let schema = try require(self.schema, "schema")
                guard schema == TraceFormat.schema else {
                    throw Failure(reason: "schema is '\(schema)', expected '\(TraceFormat.schema)'", offset: 0)
                }
                if let graphError { throw Failure(reason: graphError, offset: 0) }
                return .header(
                    TraceHeader(
                        version: try require(version, "version"), runID: try require(run, "run"),
                        startTime: try require(startTime, "start_unix_ns"),
                        process: process ?? TraceProcess(pid: 0, executable: "", arguments: [], hostName: ""),
                        pipeline: try require(pipeline, "pipeline"), graph: graph))
            case "map_progress":
                return .progress(
                    MapProgress(
                        runID: try require(run, "run"), spanID: SpanID(rawValue: try require(span, "span")),
                        name: name ?? "", timestamp: try require(t, "t"), total: try require(total, "total"),
                        done: try require(done, "done"), failed: failed ?? 0, cached: cached ?? 0,
                        inFlight: inFlight ?? 0))
            case "run_end":
                return .runEnd(
                    RunEnd(
                        runID: try require(run, "run"), timestamp: try require(t, "t"),
                        status: try require(status, "status"), duration: duration ?? 0,
                        totals: totals ?? RunEnd.Totals()))
            default:
                return nil
            }
        }
    }

    /// The event kind whose name `value` spells, compared byte by byte.
    static func kind(named value: JSONScanner.Key) -> EventKind? {
        if let decoded = value.decoded {
            return EventKind.allCases.first { $0.description == decoded }
        }
        for kind in EventKind.allCases where value.matches(TraceEncoder.kindName(kind)) { return kind }
        return nil
    }

    static let statuses: [String: SpanStatus] = [
        "running": .running, "ok": .ok, "error": .error, "cached": .cached, "cancelled": .cancelled,
    ]

    private static let graphDecoder = JSONDecoder()
}

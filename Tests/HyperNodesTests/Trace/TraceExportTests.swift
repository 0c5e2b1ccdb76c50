import Foundation
import HyperNodes
import HyperNodesTrace
import Testing

/// Checks on exported documents, shared by the export and command-line tests.
enum ExportChecks {
    /// The JSON object in `bytes`.
    static func object(_ bytes: [UInt8]) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    /// Microseconds as written by the Chrome exporter, back to integer nanoseconds
    /// (exact below 2⁵³ ns, about 104 days).
    static func nanoseconds(_ value: Any?) throws -> Int64 {
        let number = try #require(value as? NSNumber)
        let nanoseconds = (number.doubleValue * 1000).rounded()
        // Times beyond 2⁶³ ns (damaged traces) are compared at that limit.
        return nanoseconds >= 9.2e18 ? .max : Int64(nanoseconds)
    }

    /// Checks a Chrome trace: complete events with numeric times, thread
    /// names for every thread, and strict nesting on every thread. Returns
    /// the complete events.
    @discardableResult
    static func checkChrome(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String:
        Any]]
    {
        let document = try object(bytes)
        let events = try #require(document["traceEvents"] as? [[String: Any]])
        let slices = events.filter { $0["ph"] as? String == "X" }
        var named = Set<String>()
        for event in events where event["ph"] as? String == "M" && event["name"] as? String == "thread_name" {
            named.insert("\(event["pid"]!)/\(event["tid"]!)")
        }
        var tracks: [String: [(start: Int64, end: Int64, name: String)]] = [:]
        for slice in slices {
            let start = try nanoseconds(slice["ts"])
            let duration = try nanoseconds(slice["dur"])
            #expect(duration >= 0, sourceLocation: sourceLocation)
            #expect(slice["name"] is String && slice["args"] is [String: Any], sourceLocation: sourceLocation)
            let key = "\(slice["pid"]!)/\(slice["tid"]!)"
            let (end, overflow) = start.addingReportingOverflow(duration)
            tracks[key, default: []].append((start, overflow ? .max : end, slice["name"] as? String ?? ""))
        }
        for (track, spans) in tracks {
            #expect(named.contains(track), "thread \(track) has no name", sourceLocation: sourceLocation)
            var stack: [(start: Int64, end: Int64, name: String)] = []
            for span in spans.sorted(by: { $0.start != $1.start ? $0.start < $1.start : $0.end > $1.end }) {
                while let top = stack.last, top.end <= span.start { stack.removeLast() }
                if let top = stack.last {
                    #expect(
                        span.end <= top.end,
                        "on \(track), \(span.name) [\(span.start), \(span.end)] overlaps \(top.name) [\(top.start), \(top.end)]",
                        sourceLocation: sourceLocation)
                }
                stack.append(span)
            }
        }
        return slices
    }

    /// Checks a speedscope document: shared unique frames, evented profiles in
    /// nanoseconds, events in time order and balanced. Returns the number of opens.
    /// Times are compared as `Double`s: exact below 2⁵³ ns.
    @discardableResult
    static func checkSpeedscope(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws -> Int {
        let document = try object(bytes)
        #expect(document["$schema"] as? String == "https://www.speedscope.app/file-format-schema.json")
        let shared = try #require(document["shared"] as? [String: Any])
        let frames = try #require(shared["frames"] as? [[String: Any]])
        let names = frames.compactMap { $0["name"] as? String }
        #expect(names.count == frames.count && Set(names).count == names.count, sourceLocation: sourceLocation)
        let profiles = try #require(document["profiles"] as? [[String: Any]])
        var opens = 0
        for profile in profiles {
            #expect(profile["type"] as? String == "evented" && profile["unit"] as? String == "nanoseconds")
            let startValue = try #require((profile["startValue"] as? NSNumber)?.doubleValue)
            let endValue = try #require((profile["endValue"] as? NSNumber)?.doubleValue)
            let events = try #require(profile["events"] as? [[String: Any]])
            var stack: [Int] = []
            var last = startValue
            for event in events {
                let frame = try #require(event["frame"] as? Int)
                let at = try #require((event["at"] as? NSNumber)?.doubleValue)
                #expect(frame >= 0 && frame < frames.count, sourceLocation: sourceLocation)
                #expect(
                    at >= last && at <= endValue, "time goes backwards or past the end", sourceLocation: sourceLocation)
                last = at
                switch event["type"] as? String {
                case "O":
                    stack.append(frame)
                    opens += 1
                case "C":
                    #expect(
                        stack.popLast() == frame, "close does not match the latest open", sourceLocation: sourceLocation
                    )
                default:
                    Issue.record(
                        "unknown event type \(String(describing: event["type"]))", sourceLocation: sourceLocation)
                }
            }
            #expect(stack.isEmpty, "unbalanced profile \(profile["name"] ?? "")", sourceLocation: sourceLocation)
        }
        return opens
    }

    /// The span trees of a model in the shape `validate_otlp.py` prints, as
    /// comparable text: per run, each span as `name kind start end status` with
    /// its children indented, children ordered by start, end and name.
    static func modelTrees(_ model: TraceModel) -> [String] {
        model.runs.map { run in
            func line(_ index: Int, _ depth: Int) -> [String] {
                let span = run.spans[index]
                let code = span.status == .error ? 2 : 0
                let text =
                    String(repeating: "  ", count: depth)
                    + "\(span.kind.rawValue) \(spanName(span)) \(run.startTime + span.start) \(run.startTime + span.end) \(code)"
                return [text] + ordered(span.children.map { run.spans[$0] }).flatMap { line($0.index, depth + 1) }
            }
            return ordered(run.roots.map { run.spans[$0] }).flatMap { line($0.index, 0) }.joined(separator: "\n")
        }
    }

    private static func spanName(_ span: TraceSpan) -> String {
        span.kind == .mapItem ? "\(span.name)[\(span.itemIndex!)]" : span.name
    }

    private static func ordered(_ spans: [TraceSpan]) -> [TraceSpan] {
        spans.sorted { ($0.start, $0.end, spanName($0)) < ($1.start, $1.end, spanName($1)) }
    }

    /// The same text for the JSON printed by `validate_otlp.py`.
    static func validatorTrees(_ json: String) throws -> [String] {
        let lines = try #require(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        return try lines.map { line in
            let traces = try #require(line["traces"] as? [[String: Any]])
            let roots = traces.flatMap { ($0["roots"] as? [[String: Any]]) ?? [] }
            func text(_ node: [String: Any], _ depth: Int) -> [String] {
                let attributes = node["attributes"] as? [String: Any] ?? [:]
                let head =
                    String(repeating: "  ", count: depth)
                    + "\(attributes["hypernodes.kind"] ?? "?") \(node["name"]!) \(node["start"]!) \(node["end"]!) \(node["status_code"]!)"
                let children = (node["children"] as? [[String: Any]] ?? []).sorted { a, b in
                    let x = (a["start"] as! Int, a["end"] as! Int, a["name"] as! String)
                    let y = (b["start"] as! Int, b["end"] as! Int, b["name"] as! String)
                    return x < y
                }
                return [head] + children.flatMap { text($0, depth + 1) }
            }
            let sortedRoots = roots.sorted {
                ($0["start"] as! Int, $0["name"] as! String) < ($1["start"] as! Int, $1["name"] as! String)
            }
            return sortedRoots.flatMap { text($0, 0) }.joined(separator: "\n")
        }
    }
}

@Suite("Trace export")
struct TraceExportTests {
    static var analysis: TraceModel { TraceModel(records: ScriptedTraces.analysis.records) }
    static var failedThenTruncated: TraceModel { TraceModel(records: ScriptedTraces.failedThenTruncated.records) }

    @Test("chrome: one complete event per span, µs times, a thread per lane, strict nesting")
    func chrome() throws {
        let model = Self.analysis
        let bytes = ChromeTraceExporter().export(model)
        let slices = try ExportChecks.checkChrome(bytes)
        let run = model.runs[0]
        #expect(slices.count == run.spans.count)
        #expect(Set(slices.map { $0["tid"] as? Int }) == [0, 1, 2])
        #expect(Set(slices.map { $0["pid"] as? Int }) == [4242])
        let load = try #require(slices.first { $0["name"] as? String == "load" })
        #expect(try ExportChecks.nanoseconds(load["ts"]) == 0 && ExportChecks.nanoseconds(load["dur"]) == 120_000_000)
        let item = try #require(slices.first { $0["name"] as? String == "document_analysis[5]" })
        #expect(try ExportChecks.nanoseconds(item["ts"]) == 921_000_000)
        #expect(item["tid"] as? Int == 2 && item["cat"] as? String == "map_item")
        let cached = try #require(slices.first { $0["name"] as? String == "vocabulary" })
        let args = try #require(cached["args"] as? [String: Any])
        #expect(args["status"] as? String == "cached" && (args["cache.key"] as? String)?.count == 64)
        let document = try ExportChecks.object(bytes)
        let events = try #require(document["traceEvents"] as? [[String: Any]])
        #expect(events.contains { $0["ph"] as? String == "M" && $0["name"] as? String == "process_name" })
    }

    @Test("chrome: errors as instant events, later runs placed after earlier ones on threads of their own")
    func chromeTwoRuns() throws {
        let bytes = ChromeTraceExporter().export(Self.failedThenTruncated)
        let slices = try ExportChecks.checkChrome(bytes)
        let document = try ExportChecks.object(bytes)
        let events = try #require(document["traceEvents"] as? [[String: Any]])
        let instant = try #require(
            events.first { $0["ph"] as? String == "i" && $0["name"] as? String == "error: Checks.ParseError" })
        #expect(instant["s"] as? String == "t")
        let boom = try #require(slices.first { $0["name"] as? String == "boom" })
        #expect((boom["args"] as? [String: Any])?["error.message"] as? String == "bad header in \"input.csv\"\nline 3")
        let batch = try #require(slices.first { $0["name"] as? String == "batch" })
        #expect(try ExportChecks.nanoseconds(batch["ts"]) == 60_000_000_000)
        #expect((batch["args"] as? [String: Any])?["status"] as? String == "unfinished")
        let outer = try #require(slices.first { $0["name"] as? String == "outer" })
        #expect(outer["tid"] as? Int != batch["tid"] as? Int)
        let names = events.filter { $0["name"] as? String == "thread_name" }.compactMap {
            ($0["args"] as? [String: Any])?["name"] as? String
        }
        #expect(names.contains("run 000000000000bad1 · lane 0") && names.contains("run 0000000000007256 · lane 0"))
    }

    @Test("chrome and speedscope: spans of one lane that overlap without nesting go to an extra track")
    func overlappingSpans() throws {
        var s = TraceScript()
        s.header(runID: 2, pipeline: "p")
        let root = s.start(.pipelineStart, "p", at: 0, parent: nil)
        let a = s.start(.nodeStart, "a", at: 10, parent: root)
        let b = s.start(.nodeStart, "b", at: 20, parent: root)  // same lane 0, overlaps a
        s.end(a, at: 30)
        s.end(b, at: 40)
        s.end(root, at: 50)
        let model = TraceModel(records: s.records)
        let slices = try ExportChecks.checkChrome(ChromeTraceExporter().export(model))
        #expect(Set(slices.map { $0["tid"] as? Int }).count == 2)
        #expect(try ExportChecks.checkSpeedscope(SpeedscopeExporter().export(model)) == 3)
        let document = try ExportChecks.object(SpeedscopeExporter().export(model))
        let profiles = try #require(document["profiles"] as? [[String: Any]])
        #expect(profiles.map { $0["name"] as? String } == ["p · lane 0", "p · lane 0 (overlapping spans 1)"])
    }

    @Test("speedscope: one evented profile per lane, balanced, frames shared across lanes")
    func speedscope() throws {
        let model = Self.analysis
        let bytes = SpeedscopeExporter().export(model)
        #expect(try ExportChecks.checkSpeedscope(bytes) == model.runs[0].spans.count)
        let document = try ExportChecks.object(bytes)
        let profiles = try #require(document["profiles"] as? [[String: Any]])
        #expect(
            profiles.map { $0["name"] as? String } == ["analysis · lane 0", "analysis · lane 1", "analysis · lane 2"])
        let frames = try #require((document["shared"] as? [String: Any])?["frames"] as? [[String: Any]])
        #expect(
            Set(frames.compactMap { $0["name"] as? String }) == [
                "analysis", "load", "vocabulary", "analyze", "document_analysis (nested)", "document_analysis (map)",
                "document_analysis (item)", "document_analysis", "tokenize", "embed", "報告_report",
            ])
        #expect(try ExportChecks.checkSpeedscope(SpeedscopeExporter().export(Self.failedThenTruncated)) == 10)
    }

    @Test("OTLP JSON: one TracesData line per run, hex ids, decimal-string times, integer enums")
    func otlpShape() throws {
        let model = Self.failedThenTruncated
        let text = String(decoding: OTLPJSONExporter().export(model), as: UTF8.self)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 2 && text.hasSuffix("\n"))
        let first = try ExportChecks.object(Array(lines[0].utf8))
        let resource = try #require((first["resourceSpans"] as? [[String: Any]])?.first)
        let attributes = try #require((resource["resource"] as? [String: Any])?["attributes"] as? [[String: Any]])
        let service = try #require(attributes.first { $0["key"] as? String == "service.name" })
        #expect((service["value"] as? [String: Any])?["stringValue"] as? String == "hypernodes")
        let spans = try #require(((resource["scopeSpans"] as? [[String: Any]])?.first)?["spans"] as? [[String: Any]])
        #expect(spans.count == 5)
        for span in spans {
            #expect((span["traceId"] as? String) == OTLPJSONExporter.traceID(of: 0xBAD1))
            #expect((span["spanId"] as? String)?.count == 16)
            #expect(span["kind"] as? Int == 1)
            #expect(span["startTimeUnixNano"] is String && span["endTimeUnixNano"] is String)
        }
        let boom = try #require(spans.first { $0["name"] as? String == "boom" })
        let status = try #require(boom["status"] as? [String: Any])
        #expect(status["code"] as? Int == 2 && status["message"] as? String == "bad header in \"input.csv\"\nline 3")
        #expect(boom["startTimeUnixNano"] as? String == String(TraceScript.startTime + 2_000_000))
        #expect(
            OTLPJSONExporter.traceID(of: 0xBAD1).count == 32
                && OTLPJSONExporter.traceID(of: 0) != String(repeating: "0", count: 32))
    }

    @Test("OTLP JSON: repeated span ids in a damaged trace get unique derived ids")
    func otlpDuplicateIDs() throws {
        var s = TraceScript()
        s.header(runID: 3, pipeline: "p")
        s.event(.pipelineStart, "p", span: 1, parent: nil, at: 0)
        s.event(.nodeStart, "x", span: 2, parent: 1, at: 1)
        s.event(.nodeEnd, "x", span: 2, parent: 1, at: 2, status: .ok, duration: 1)
        s.event(.nodeStart, "x", span: 2, parent: 1, at: 3)
        s.event(.nodeEnd, "x", span: 2, parent: 1, at: 4, status: .ok, duration: 1)
        s.event(.pipelineEnd, "p", span: 1, parent: nil, at: 5, status: .ok, duration: 5)
        let text = String(decoding: OTLPJSONExporter().export(TraceModel(records: s.records)), as: UTF8.self)
        let document = try ExportChecks.object(Array(text.utf8))
        let spans = try #require(
            (((document["resourceSpans"] as? [[String: Any]])?.first?["scopeSpans"] as? [[String: Any]])?.first)?[
                "spans"]
                as? [[String: Any]])
        let ids = spans.compactMap { $0["spanId"] as? String }
        #expect(ids.count == 3 && Set(ids).count == 3)
    }

    @Test("OTLP JSON parses into the official TracesData protobuf and its span tree matches the model")
    func otlpValidatedWithProtobuf() async throws {
        for (name, model) in [("analysis", Self.analysis), ("failed-truncated", Self.failedThenTruncated)] {
            let directory = TemporaryDirectory()
            let path = directory.url.appendingPathComponent("\(name).otlp.jsonl").path
            try Data(OTLPJSONExporter().export(model)).write(to: URL(fileURLWithPath: path))
            let output = try await PythonScript.run("validate_otlp.py", [path])
            try #require(
                output.status == 0,
                "validate_otlp.py failed (install with: python3 -m pip install opentelemetry-proto protobuf): \(output.stderr)"
            )
            #expect(try ExportChecks.validatorTrees(output.stdout) == ExportChecks.modelTrees(model), "\(name)")
            let parsed = try #require(JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]])
            #expect(parsed.count == model.runs.count)
            let resource = try #require(parsed.first?["resource"] as? [String: Any])
            #expect(resource["service.name"] as? String == "hypernodes" && resource["process.pid"] as? Int == 4242)
            let trace = try #require((parsed.first?["traces"] as? [[String: Any]])?.first)
            #expect(trace["trace_id"] as? String == OTLPJSONExporter.traceID(of: model.runs[0].runID))
        }
    }

    @Test("OTLP validation script rejects what is not TracesData")
    func validatorRejects() async throws {
        let directory = TemporaryDirectory()
        let path = directory.url.appendingPathComponent("bad.jsonl").path
        try Data("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"kind\":\"sideways\"}]}]}]}\n".utf8)
            .write(to: URL(fileURLWithPath: path))
        let output = try await PythonScript.run("validate_otlp.py", [path])
        #expect(output.status == 1 && output.stderr.contains("not a valid TracesData"))
    }

    @Test("random damaged traces export to valid, nested, balanced documents")
    func randomDamage() throws {
        var random = SeededGenerator(state: 0xE4)
        for round in 0..<20 {
            var s = TraceScript()
            s.header(runID: UInt64(round), pipeline: "soup")
            for _ in 0..<200 {
                let kinds = EventKind.allCases
                s.event(
                    kinds[Int(random.next() % UInt64(kinds.count))], "n\(random.next() % 3)",
                    span: 1 + random.next() % 30, parent: random.next() % 4 == 0 ? nil : 1 + random.next() % 30,
                    at: Double(random.next() % 100), status: SpanStatus(rawValue: UInt8(random.next() % 5))!,
                    duration: Double(random.next() % 100), lane: Int(random.next() % 3))
            }
            let model = TraceModel(records: s.records)
            let spans = model.runs.reduce(0) { $0 + $1.spans.count }
            #expect(try ExportChecks.checkChrome(ChromeTraceExporter().export(model)).count == spans)
            #expect(try ExportChecks.checkSpeedscope(SpeedscopeExporter().export(model)) == spans)
            for line in String(decoding: OTLPJSONExporter().export(model), as: UTF8.self).split(separator: "\n") {
                _ = try ExportChecks.object(Array(line.utf8))
            }
        }
    }
}

import Foundation
import HyperNodes
import Testing

@testable import HyperNodesTrace

@Suite("Trace codec")
struct TraceCodecTests {
    static let awkwardStrings = [
        "plain", "", "quote \" and backslash \\", "line\nbreak\r\ttab", "bell \u{07} nul \u{00} esc \u{1B} us \u{1F}",
        "del \u{7F}", "slash / ok", "日本語のノード", "emoji 🚀👩‍👩‍👧", "\u{2028}line separator\u{2029}",
        String(decoding: [0x61, 0xFF, 0xFE, 0x62, 0xC3], as: UTF8.self),
    ]

    static func event(name: String = "node", attributes: [String: String] = [:], error: ErrorInfo? = nil)
        -> PipelineEvent
    {
        PipelineEvent(
            kind: .nodeEnd, status: error == nil ? .ok : .error, runID: 0xDEAD_BEEF_0123_4567,
            spanID: SpanID(rawValue: 42), parentSpanID: SpanID(rawValue: 7), name: name, timestamp: 123_456_789,
            duration: 1_000, depth: 2, lane: 3, itemIndex: 5, itemCount: 9, attributes: attributes, error: error)
    }

    static func line(_ record: TraceRecord) -> [UInt8] {
        TraceEncoder().encode(record)
    }

    @Test("every line ends with exactly one newline and contains no other")
    func linesAreSingleLines() {
        for text in Self.awkwardStrings {
            let bytes = Self.line(.event(Self.event(name: text, attributes: [text: text])))
            #expect(bytes.last == 0x0A)
            #expect(bytes.dropLast().contains(0x0A) == false)
            #expect(bytes.contains(0x00) == false)
        }
    }

    @Test("strings round-trip through JSONSerialization, including control characters and replaced bad UTF-8")
    func stringsMatchFoundation() throws {
        for text in Self.awkwardStrings {
            let bytes = Self.line(.event(Self.event(name: text, attributes: ["k\u{01}": text])))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
            #expect(object["name"] as? String == text)
            #expect((object["attrs"] as? [String: String])?["k\u{01}"] == text)
        }
        let invalid = String(decoding: [0x61, 0xFF, 0x62], as: UTF8.self)
        #expect(invalid == "a\u{FFFD}b")
        let bytes = Self.line(.event(Self.event(name: invalid)))
        #expect(String(validating: bytes, as: UTF8.self) != nil, "the line is valid UTF-8")
    }

    @Test("event lines decode with JSONDecoder into the documented fields")
    func eventMatchesSchema() throws {
        struct Line: Decodable {
            let type: String
            let run: String
            let t: UInt64
            let span: UInt64
            let parent: UInt64?
            let name: String
            let status: String?
            let dur: UInt64?
            let depth: Int
            let lane: Int
            let item: Int?
            let items: Int?
            let attrs: [String: String]?
            let error: [String: String]?
        }
        let event = Self.event(attributes: ["input.x": "1"], error: ErrorInfo(type: "M.Boom", message: "bad \"x\""))
        let line = try JSONDecoder().decode(Line.self, from: Data(Self.line(.event(event))))
        #expect(line.type == "node_end")
        #expect(line.run == "deadbeef01234567")
        #expect(line.t == 123_456_789)
        #expect(line.span == 42 && line.parent == 7)
        #expect(line.status == "error" && line.dur == 1_000)
        #expect(line.depth == 2 && line.lane == 3 && line.item == 5 && line.items == 9)
        #expect(line.attrs == ["input.x": "1"])
        #expect(line.error == ["type": "M.Boom", "message": "bad \"x\""])
    }

    @Test("every record type round-trips through the decoder")
    func roundTrip() throws {
        let graph = PipelineGraph(pipelines: [
            PipelineDescription(
                name: "p", inputs: [PortDescription(name: "x", type: "Int")],
                nodes: [
                    NodeDescription(
                        name: "double", inputs: [PortDescription(name: "x", type: "Int")],
                        outputs: [PortDescription(name: "y", type: "Int")], cache: true, pipeline: nil, mapOver: [],
                        mapMode: nil)
                ], edges: [])
        ])
        let header = TraceHeader(
            runID: 1, startTime: 1_700_000_000_000_000_000,
            process: TraceProcess(pid: 12, executable: "/bin/x", arguments: ["a", "b c"], hostName: "h"),
            pipeline: "p", graph: graph)
        let progress = MapProgress(
            runID: 1, spanID: SpanID(rawValue: 3), name: "m", timestamp: 5, total: 10, done: 4, failed: 1,
            cached: 2, inFlight: 3)
        let end = RunEnd(
            runID: 1, timestamp: 9, status: .error, duration: 9,
            totals: RunEnd.Totals(events: 1, spans: 2, nodes: 3, cached: 4, failed: 5, mapItems: 6))
        let decoder = TraceDecoder()

        guard case .header(let decodedHeader) = try decoder.decode(Self.line(.header(header)).dropLast()) else {
            Issue.record("not a header")
            return
        }
        #expect(decodedHeader == header)
        guard case .progress(let decodedProgress) = try decoder.decode(Self.line(.progress(progress)).dropLast())
        else {
            Issue.record("not progress")
            return
        }
        #expect(decodedProgress == progress)
        guard case .runEnd(let decodedEnd) = try decoder.decode(Self.line(.runEnd(end)).dropLast()) else {
            Issue.record("not a run end")
            return
        }
        #expect(decodedEnd == end)

        for text in Self.awkwardStrings {
            let event = Self.event(name: text, attributes: [text: text], error: ErrorInfo(type: text, message: text))
            guard case .event(let decoded) = try decoder.decode(Self.line(.event(event)).dropLast()) else {
                Issue.record("not an event")
                return
            }
            #expect(decoded.name == text)
            #expect(decoded.attributes == [text: text])
            #expect(decoded.error == ErrorInfo(type: text, message: text))
            #expect(decoded.kind == .nodeEnd && decoded.status == .error && decoded.runID == event.runID)
            #expect(decoded.spanID == event.spanID && decoded.parentSpanID == event.parentSpanID)
            #expect(decoded.timestamp == event.timestamp && decoded.duration == event.duration)
            #expect(decoded.depth == 2 && decoded.lane == 3 && decoded.itemIndex == 5 && decoded.itemCount == 9)
        }
    }

    @Test("every event kind and status survives the round trip")
    func kindsAndStatuses() throws {
        for kind in EventKind.allCases {
            for status in [SpanStatus.running, .ok, .error, .cached, .cancelled] {
                var event = Self.event()
                event.kind = kind
                event.status = status
                guard case .event(let decoded) = try TraceDecoder().decode(Self.line(.event(event)).dropLast()) else {
                    Issue.record("\(kind) did not decode as an event")
                    continue
                }
                #expect(decoded.kind == kind)
                #expect(decoded.status == status)
            }
        }
    }

    @Test("fields in any order, unknown fields and escaped keys are accepted")
    func lenientDecoding() throws {
        let text =
            #"{"extra":{"deep":[1,2,{"x":null}]},"name":"n","t":5,"span":3,"run":"ff","ty\u0070e":"node_start","future":true}"#
        guard case .event(let event) = try TraceDecoder().decode(Array(text.utf8)) else {
            Issue.record("not an event")
            return
        }
        #expect(event.kind == .nodeStart && event.status == .running && event.name == "n" && event.runID == 255)
        #expect(try TraceDecoder().decode(Array(#"{"type":"from_the_future","x":1}"#.utf8)) == nil)
    }

    @Test(
        "malformed lines fail with a reason naming the problem",
        arguments: [
            (#"{"type":"node_start","run":"1","t":1,"name":"n"}"#, "missing field 'span'"),
            (#"{"type":"node_start","run":"1","t":-1,"span":1,"name":"n"}"#, "non-negative integer"),
            (#"{"type":"node_start","run":"1","t":99999999999999999999,"span":1,"name":"n"}"#, "out of range"),
            (#"{"type":"node_start","run":"xyz","t":1,"span":1,"name":"n"}"#, "hexadecimal"),
            (#"{"type":"node_end","run":"1","t":1,"span":1,"name":"n","status":"weird"}"#, "unknown status"),
            (#"{"type":"node_start","run":"1","t":1.5,"span":1,"name":"n"}"#, "fraction"),
            (#"{"type":"node_start","run":"1","t":1,"span":1,"name":"n"#, "unterminated string"),
            (#"{"type":"node_start","run":"1","t":1,"span":0,"name":"n"}"#, "span id 0"),
            (#"{"type":"node_start"} trailing"#, "after the object"),
            (#"["type"]"#, "expected '{'"),
            (#"{"name":"\uZZZZ"}"#, "invalid \\u escape"),
            (
                #"{"type":"header","schema":"other","version":"1.0","run":"1","start_unix_ns":1,"pipeline":"p"}"#,
                "schema is 'other'"
            ),
        ])
    func malformed(line: String, reason: String) {
        #expect {
            try TraceDecoder().decode(Array(line.utf8))
        } throws: { error in
            (error as? TraceDecoder.Failure)?.reason.contains(reason) == true
        }
    }

    @Test("nesting deeper than the limit is an error, not a stack overflow")
    func deepNesting() {
        let deep = #"{"type":"node_start","x":"# + String(repeating: "[", count: 100_000)
        #expect(throws: TraceDecoder.Failure.self) { try TraceDecoder().decode(Array(deep.utf8)) }
    }
}

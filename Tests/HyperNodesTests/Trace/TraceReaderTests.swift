import Foundation
import HyperNodes
import Testing

@testable import HyperNodesTrace

/// A small valid trace: header, three events, run end.
enum SampleTrace {
    static let header = TraceHeader(
        runID: 0xAB, startTime: 1_700_000_000_000_000_000,
        process: TraceProcess(pid: 1, executable: "/bin/demo", arguments: [], hostName: "host"), pipeline: "p",
        graph: nil)

    static func event(_ kind: EventKind, span: UInt64, parent: UInt64?, t: UInt64) -> PipelineEvent {
        PipelineEvent(
            kind: kind, status: kind.opensSpan ? .running : .ok, runID: 0xAB, spanID: SpanID(rawValue: span),
            parentSpanID: parent.map { SpanID(rawValue: $0) }, name: kind == .pipelineStart ? "p" : "n",
            timestamp: t, duration: kind.closesSpan ? 10 : nil)
    }

    static var records: [TraceRecord] {
        [
            .header(header),
            .event(event(.pipelineStart, span: 1, parent: nil, t: 0)),
            .event(event(.nodeStart, span: 2, parent: 1, t: 1)),
            .event(event(.nodeEnd, span: 2, parent: 1, t: 5)),
            .event(event(.pipelineEnd, span: 1, parent: nil, t: 6)),
            .runEnd(RunEnd(runID: 0xAB, timestamp: 6, status: .ok, duration: 6, totals: RunEnd.Totals(events: 4))),
        ]
    }

    static var lines: [[UInt8]] { records.map { TraceEncoder().encode($0) } }
    static var bytes: [UInt8] { lines.flatMap { $0 } }
}

@Suite("Trace reader")
struct TraceReaderTests {
    private func read(_ bytes: [UInt8]) throws -> (records: [TraceRecord], problems: [TraceProblem]) {
        try TraceReader(bytes: bytes, name: "test.jsonl").readAll()
    }

    @Test("a valid trace reads back record by record with no problems")
    func valid() throws {
        let (records, problems) = try read(SampleTrace.bytes)
        #expect(problems.isEmpty)
        #expect(records.count == 6)
        #expect(records.map(\.timestamp) == [0, 0, 1, 5, 6, 6])
    }

    @Test("a file on disk is read in chunks and yields line numbers")
    func fileWithLineNumbers() throws {
        let directory = TemporaryDirectory()
        let url = directory.url.appendingPathComponent("t.jsonl")
        try Data(SampleTrace.bytes).write(to: url)
        let reader = try TraceReader(path: url.path)
        #expect(reader.header == SampleTrace.header)
        let lines = reader.compactMap { if case .record(_, let line) = $0 { line } else { nil } }
        #expect(lines == [2, 3, 4, 5, 6])
    }

    @Test("CRLF line ends, a byte order mark and blank lines are accepted")
    func crlfAndBOM() throws {
        var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
        for line in SampleTrace.lines {
            bytes += Array(line.prefix(line.count - 1)) + [0x0D, 0x0A, 0x0D, 0x0A]
        }
        let (records, problems) = try read(bytes)
        #expect(problems.isEmpty)
        #expect(records.count == 6)
    }

    @Test("a truncated last line is reported with its line number; everything before it is read")
    func truncatedLastLine() throws {
        var bytes = SampleTrace.lines.prefix(4).flatMap { $0 }
        bytes += SampleTrace.lines[4].prefix(20)
        let (records, problems) = try read(bytes)
        #expect(records.count == 4)
        #expect(problems.count == 1)
        #expect(problems.first?.line == 5)
        #expect(problems.first?.reason.contains("cut off") == true)
    }

    @Test("a complete last line without its newline is still read")
    func lastLineWithoutNewline() throws {
        let (records, problems) = try read(Array(SampleTrace.bytes.dropLast()))
        #expect(problems.isEmpty)
        #expect(records.count == 6)
    }

    @Test("bad lines are reported with line numbers and reasons, and reading carries on")
    func badLines() throws {
        var lines = SampleTrace.lines
        lines.insert(Array("this is not json\n".utf8), at: 2)
        lines.insert(Array(#"{"type":"node_start","run":"ab"}"#.utf8) + [0x0A], at: 4)
        lines.insert(Array(#"{"type":"some_future_record","run":"ab"}"#.utf8) + [0x0A], at: 5)
        let reader = try TraceReader(bytes: lines.flatMap { $0 })
        let (records, problems) = reader.readAll()
        #expect(records.count == 6)
        #expect(problems.map(\.line) == [3, 5])
        #expect(problems[0].description.hasPrefix("line 3: expected '{'"))
        #expect(problems[1].reason.contains("missing field"))
        #expect(reader.skippedUnknownRecords == 1)
    }

    @Test(
        "files that are not traces are refused with one clear error",
        arguments: [
            ([UInt8](), "the file is empty"),
            (Array("hello world\nsecond line\n".utf8), "not a trace header"),
            ([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x00, 0x00, 0x0A], "binary data"),
            (Array(#"{"type":"node_start","run":"1","t":1,"span":1,"name":"n"}"#.utf8) + [0x0A], "not a trace header"),
            (Array(#"{"type":"header","schema":"something.else","version":"1.0"}"#.utf8), "schema"),
        ])
    func notATrace(bytes: [UInt8], reason: String) {
        #expect {
            try TraceReader(bytes: bytes, name: "x.bin")
        } throws: { error in
            guard case .notATrace(let path, let text) = error as? TraceReadError else { return false }
            return path == "x.bin" && text.contains(reason)
        }
    }

    @Test("a newer major version is refused with a message naming both versions")
    func newerVersion() {
        var header = SampleTrace.header
        header.version = "2.3"
        let bytes = TraceEncoder().encode(.header(header))
        #expect {
            try TraceReader(bytes: bytes, name: "new.jsonl")
        } throws: { error in
            let text = "\(error)"
            return text.contains("2.3") && text.contains(TraceFormat.version) && text.contains("new.jsonl")
        }
        header.version = "1.7"
        #expect(throws: Never.self) { try TraceReader(bytes: TraceEncoder().encode(.header(header))) }
    }

    @Test("missing files and directories are clear errors")
    func openErrors() {
        #expect {
            try TraceReader(path: "/nonexistent/trace.jsonl")
        } throws: { error in
            "\(error)" == "cannot open trace '/nonexistent/trace.jsonl': No such file or directory"
        }
        #expect {
            try TraceReader(path: "/tmp")
        } throws: { error in
            "\(error)".contains("is a directory")
        }
    }

    @Test("a line longer than the limit is skipped and reported; the next line is read")
    func overlongLine() throws {
        // Once inside the buffer, once longer than a whole read: both paths of the limit.
        for length in [2_000, 3 << 20] {
            var bytes = SampleTrace.lines[0] + SampleTrace.lines[1]
            bytes += [UInt8](repeating: UInt8(ascii: "x"), count: length) + [0x0A]
            bytes += SampleTrace.lines[2]
            let reader = try TraceReader(bytes: bytes, name: "long.jsonl", maximumLineLength: 1_000)
            let (records, problems) = reader.readAll()
            #expect(records.count == 3)
            #expect(problems.map(\.line) == [3])
            #expect(problems.first?.reason == "line longer than 1000 bytes, skipped")
        }
    }

    @Test("the first record is available before the rest of a large file is read")
    func streaming() throws {
        let directory = TemporaryDirectory()
        let url = directory.url.appendingPathComponent("big.jsonl")
        var bytes = SampleTrace.lines[0]
        var event = SampleTrace.event(.nodeStart, span: 2, parent: 1, t: 1)
        event.name = String(repeating: "n", count: 500)
        let line = TraceEncoder().encode(.event(event))
        for _ in 0..<20_000 { bytes += line }
        try Data(bytes).write(to: url)
        let reader = try TraceReader(path: url.path)
        let iterator = reader.makeIterator()
        guard case .record(_, let number) = iterator.next() else {
            Issue.record("no first record")
            return
        }
        #expect(number == 2)
        #expect(reader.bytesRead <= 2 << 20, "read \(reader.bytesRead) of \(bytes.count) bytes before the first record")
        var count = 1
        while iterator.next() != nil { count += 1 }
        #expect(count == 20_000)
    }
}

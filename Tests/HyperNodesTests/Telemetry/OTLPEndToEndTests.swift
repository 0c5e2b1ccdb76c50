import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Builds the OTLP demo (`demos/OTLPDemo`, swift-otel over OTLP/HTTP), runs
/// it against a real OTLP/HTTP receiver on loopback that decodes with the
/// official OpenTelemetry protobuf definitions (`demos/OTLPDemo/otlp_receiver.py`),
/// and checks the span tree that arrived.
///
/// The demo's first build compiles swift-otel and its dependencies (about
/// 4–7 minutes on 2 cores) into `demos/OTLPDemo/.build-otlp`; later runs reuse it.
@Suite("OTLP end to end", .serialized)
struct OTLPEndToEndTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let demo = root.appendingPathComponent("demos/OTLPDemo")
    static let scratch = demo.appendingPathComponent(".build-otlp")
    static let buildTimeout: Duration = .seconds(30 * 60)
    static let authorization = "Bearer e2e-test-credential"
    static let serviceName = "hypernodes-e2e"

    /// One received span, as the receiver wrote it.
    struct ReceivedSpan {
        let json: [String: Any]
        var traceID: String { json["trace_id"] as? String ?? "" }
        var spanID: String { json["span_id"] as? String ?? "" }
        var parentSpanID: String { json["parent_span_id"] as? String ?? "" }
        var name: String { json["name"] as? String ?? "" }
        var start: UInt64 { (json["start_ns"] as? NSNumber)?.uint64Value ?? 0 }
        var end: UInt64 { (json["end_ns"] as? NSNumber)?.uint64Value ?? 0 }
        var statusCode: String { (json["status"] as? [String: Any])?["code"] as? String ?? "" }
        var statusMessage: String { (json["status"] as? [String: Any])?["message"] as? String ?? "" }
        var attributes: [String: Any] { json["attributes"] as? [String: Any] ?? [:] }
        var events: [[String: Any]] { json["events"] as? [[String: Any]] ?? [] }
        var resource: [String: Any] { json["resource"] as? [String: Any] ?? [:] }
        var headers: [String: Any] { json["headers"] as? [String: Any] ?? [:] }

        /// The attribute as text (numbers in decimal).
        func attribute(_ name: String) -> String? {
            attributes[name].map { "\($0)" }
        }
    }

    /// The spans of one trace.
    struct Trace {
        let spans: [ReceivedSpan]
        var root: ReceivedSpan? { spans.first { $0.parentSpanID.isEmpty } }
        func named(_ name: String) -> [ReceivedSpan] { spans.filter { $0.name == name } }
        func parent(of span: ReceivedSpan) -> ReceivedSpan? { spans.first { $0.spanID == span.parentSpanID } }
        /// `parent > child` for every span, sorted, with `-` for the root's parent.
        var edges: [String] { spans.map { "\(parent(of: $0)?.name ?? "-") > \($0.name)" }.sorted() }
        /// Span names from `span` up to the root.
        func ancestry(of span: ReceivedSpan) -> [String] {
            var names: [String] = []
            var current: ReceivedSpan? = span
            while let next = current, names.count < 50 {
                names.append(next.name)
                current = parent(of: next)
            }
            return names
        }
    }

    @Test(.timeLimit(.minutes(35)))
    func demoSpansArriveInARealOTLPReceiverWithTheRightTree() async throws {
        let work = TemporaryDirectory("hypernodes-otlp-e2e")
        try await Self.requirePythonPackages(in: work.url)
        let binary = try await Self.buildDemo(in: work.url)

        let portFile = work.url.appendingPathComponent("port")
        let spansFile = work.url.appendingPathComponent("spans.jsonl")
        let receiver = try ChildProcess(
            "python3",
            [
                Self.demo.appendingPathComponent("otlp_receiver.py").path, "--port-file", portFile.path,
                "--output", spansFile.path, "--max-seconds", "600",
            ], directory: work.url, label: "receiver")
        let port = try await Self.waitForPort(portFile, receiver: receiver)

        let demo = try ChildProcess(
            binary.path, [],
            environment: [
                "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:\(port)",
                "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
                "OTEL_EXPORTER_OTLP_HEADERS": "Authorization=\(Self.authorization)",
                "OTEL_SERVICE_NAME": Self.serviceName,
            ], directory: work.url, label: "demo")
        let status = try await demo.wait(timeout: .seconds(180), what: "the OTLP demo")
        await receiver.stop()
        try #require(status == 0, "the OTLP demo failed (exit \(status)):\n\(demo.tail())\n\(receiver.tail())")
        #expect(demo.stdout.contains("run 1: centroid"), "\(demo.tail())")
        #expect(demo.stdout.contains("(8 nodes from the cache)"), "\(demo.tail())")
        #expect(demo.stdout.contains("run 3: failed as intended: otlp_demo > embed_documents[3] > embed: "))
        #expect(!demo.stderr.contains("e2e-test-credential"), "the demo printed the Authorization header")

        let spans = try Self.readSpans(spansFile)
        try #require(!spans.isEmpty, "the receiver got no spans.\n\(demo.tail())\n\(receiver.tail())")
        try check(spans)
    }

    /// The receiver decodes strictly, so spans it accepted were real OTLP:
    /// anything else is refused with a status and a message.
    @Test(.timeLimit(.minutes(2)))
    func theReceiverRefusesWhatIsNotOTLP() async throws {
        let work = TemporaryDirectory("hypernodes-otlp-receiver")
        try await Self.requirePythonPackages(in: work.url)
        let portFile = work.url.appendingPathComponent("port")
        let spansFile = work.url.appendingPathComponent("spans.jsonl")
        let receiver = try ChildProcess(
            "python3",
            [
                Self.demo.appendingPathComponent("otlp_receiver.py").path, "--port-file", portFile.path,
                "--output", spansFile.path, "--max-seconds", "60",
            ], directory: work.url, label: "receiver")
        let port = try await Self.waitForPort(portFile, receiver: receiver)
        func post(_ path: String, _ body: Data, contentType: String) async throws -> (Int, String) {
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
            request.httpMethod = "POST"
            request.httpBody = body
            request.setValue(contentType, forHTTPHeaderField: "Content-Type")
            let (data, response) = try await URLSession.shared.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
        }
        let protobuf = "application/x-protobuf"
        let garbage = try await post("/v1/traces", Data([0xFF, 0xFF, 0xFF]), contentType: protobuf)
        let json = try await post("/v1/traces", Data("{}".utf8), contentType: "application/json")
        let path = try await post("/v1/metrics", Data(), contentType: protobuf)
        let empty = try await post("/v1/traces", Data(), contentType: protobuf)
        await receiver.stop()
        #expect(garbage.0 == 400 && garbage.1.contains("not an ExportTraceServiceRequest"), "\(garbage)")
        #expect(json.0 == 415 && json.1.contains("expected application/x-protobuf"), "\(json)")
        #expect(path.0 == 404 && path.1.contains("/v1/metrics"), "\(path)")
        #expect(empty.0 == 200, "an empty request is a valid request with no spans")
        #expect(try Self.readSpans(spansFile).isEmpty)
    }

    func check(_ spans: [ReceivedSpan]) throws {
        // Who sent them.
        for span in spans {
            #expect(span.resource["service.name"] as? String == Self.serviceName)
            #expect(span.headers["authorization"] as? String == Self.authorization)
            for (name, value) in span.attributes {
                #expect(!"\(value)".contains("sk-demo"), "span \(span.name) leaks the API key in \(name)")
            }
        }
        // One trace per run, each with one root, every parent in the same trace.
        let traces = Dictionary(grouping: spans, by: \.traceID).values.map(Trace.init)
            .sorted { ($0.root?.start ?? 0) < ($1.root?.start ?? 0) }
        try #require(traces.count == 3, "expected 3 traces (3 runs), got \(traces.count): \(traces.map(\.edges))")
        for trace in traces {
            let roots = trace.spans.filter { $0.parentSpanID.isEmpty }
            #expect(roots.map(\.name) == ["pipeline otlp_demo"])
            for span in trace.spans where !span.parentSpanID.isEmpty {
                #expect(trace.parent(of: span) != nil, "\(span.name): parent \(span.parentSpanID) not in its trace")
                if let parent = trace.parent(of: span) {
                    #expect(span.start >= parent.start && span.end <= parent.end, "\(span.name) outside \(parent.name)")
                }
            }
            #expect(Set(trace.spans.compactMap { $0.attribute("hypernodes.run.id") }).count == 1)
        }
        #expect(Set(traces.compactMap { $0.root?.attribute("hypernodes.run.id") }).count == 3)
        try checkFirstRun(traces[0])
        try checkCachedRun(traces[1])
        try checkFailedRun(traces[2])
    }

    /// Run 1 executes every node.
    func checkFirstRun(_ trace: Trace) throws {
        let items = (0..<3).map { "map embed_text > item embed_text[\($0)]" }
        var expected = [
            "- > pipeline otlp_demo", "pipeline otlp_demo > node embed_documents",
            "node embed_documents > nested embed_text", "nested embed_text > map embed_text",
            "pipeline otlp_demo > node centroid", "pipeline otlp_demo > node report",
        ]
        expected += items
        for index in 0..<3 {
            expected.append("item embed_text[\(index)] > pipeline embed_text")
            expected += ["pipeline embed_text > node tokenize", "pipeline embed_text > node embed"]
        }
        #expect(trace.edges == expected.sorted())

        let root = try #require(trace.root)
        #expect(root.attribute("hypernodes.span.kind") == "pipeline")
        #expect(root.attribute("hypernodes.status") == "ok")
        #expect(root.statusCode == "unset")
        let map = try #require(trace.named("map embed_text").first)
        #expect(map.attribute("hypernodes.map.total") == "3")
        let tokenize = trace.named("node tokenize")
        #expect(Set(tokenize.compactMap { $0.attribute("hypernodes.depth") }) == ["1"])
        #expect(Set(tokenize.compactMap { $0.attribute("hypernodes.path") }) == ["otlp_demo > embed_text"])
        let documents = [
            "Spans arrive in the receiver", "Every node is a span, every map item too",
            "Cache hits get a short span of their own",
        ]
        #expect(tokenize.count == 3)
        // Each item's tokenize span belongs to that item: its input is the item's document.
        for span in tokenize {
            let pipeline = try #require(trace.parent(of: span))
            let item = try #require(trace.parent(of: pipeline))
            let index = try #require(item.attribute("hypernodes.map.item_index").flatMap(Int.init))
            #expect(span.attribute("hypernodes.input.text") == documents[index])
        }
        let report = try #require(trace.named("node report").first)
        #expect(report.attribute("hypernodes.input.api_key") == "[Scrubbed due to 'api_key']")
        #expect(report.attribute("hypernodes.output.report")?.hasPrefix("centroid (x1000): ") == true)
        #expect(report.attribute("hypernodes.node.name") == "report")
        #expect((report.attribute("hypernodes.duration_ns").flatMap(UInt64.init) ?? 0) > 0)
    }

    /// Run 2 is served from the cache: short spans with the cache key, no executed node spans inside the items.
    func checkCachedRun(_ trace: Trace) throws {
        #expect(trace.named("node tokenize").isEmpty && trace.named("node embed").isEmpty)
        for name in ["node tokenize (cached)", "node embed (cached)"] {
            let cached = trace.named(name)
            #expect(cached.count == 3, "\(name)")
            for span in cached {
                #expect(trace.parent(of: span)?.name == "pipeline embed_text")
                #expect(span.attributes["hypernodes.cache.hit"] as? Bool == true)
                #expect(span.attribute("hypernodes.span.kind") == "cache_hit")
                let key = span.attribute("hypernodes.cache.key") ?? ""
                #expect(key.count == 64 && key.allSatisfy(\.isHexDigit), "cache key \(key)")
            }
        }
        for name in ["node centroid (cached)", "node report (cached)"] {
            let span = try #require(trace.named(name).first, "\(name) missing: \(trace.edges)")
            #expect(trace.parent(of: span)?.name == "pipeline otlp_demo")
        }
        let item = try #require(trace.named("item embed_text[0]").first)
        #expect(item.events.compactMap { $0["name"] as? String } == ["cache hit tokenize", "cache hit embed"])
    }

    /// Run 3 fails in `embed` of item 3: the error is recorded there and every enclosing span ends with it.
    func checkFailedRun(_ trace: Trace) throws {
        let failed = try #require(trace.named("node embed").first { $0.statusCode == "error" }, "\(trace.edges)")
        #expect(failed.statusMessage == "the document has no words; nothing to embed")
        #expect(failed.attribute("hypernodes.error.type")?.hasSuffix("EmptyDocument") == true)
        #expect(failed.attribute("hypernodes.status") == "error")
        let exception = try #require(failed.events.first { $0["name"] as? String == "exception" })
        let attributes = exception["attributes"] as? [String: Any] ?? [:]
        #expect((attributes["exception.type"] as? String)?.hasSuffix("EmptyDocument") == true)
        #expect(attributes["exception.message"] as? String == "the document has no words; nothing to embed")
        let ancestry = trace.ancestry(of: failed)
        #expect(
            ancestry == [
                "node embed", "pipeline embed_text", "item embed_text[3]", "map embed_text", "nested embed_text",
                "node embed_documents", "pipeline otlp_demo",
            ])
        var span: ReceivedSpan? = failed
        while let current = span {
            #expect(current.statusCode == "error", "\(current.name) should have ended with status error")
            span = trace.parent(of: current)
        }
        #expect(trace.named("node centroid").isEmpty && trace.named("node report").isEmpty)
    }

    // MARK: Steps

    static func requirePythonPackages(in directory: URL) async throws {
        let check = try ChildProcess(
            "python3", ["-c", "import opentelemetry.proto.collector.trace.v1.trace_service_pb2, google.protobuf"],
            directory: directory, label: "python-check")
        let status = try await check.wait(timeout: .seconds(60), what: "python3")
        if status != 0 {
            throw HarnessError(
                "the OTLP receiver needs python3 with the PyPI packages opentelemetry-proto and protobuf "
                    + "(python3 -m pip install opentelemetry-proto protobuf; .ci/run installs them).\n\(check.tail())")
        }
    }

    /// Builds the demo package into its own scratch directory and returns the binary.
    static func buildDemo(in directory: URL) async throws -> URL {
        let build = try ChildProcess(
            "swift",
            ["build", "--package-path", demo.path, "--scratch-path", scratch.path, "--product", "OTLPDemo"],
            directory: directory, label: "build")
        let status = try await build.wait(timeout: buildTimeout, what: "building demos/OTLPDemo (swift-otel)")
        if status != 0 {
            throw HarnessError("building demos/OTLPDemo failed (exit \(status)).\n\(build.tail(8_000))")
        }
        let binPath = try ChildProcess(
            "swift", ["build", "--package-path", demo.path, "--scratch-path", scratch.path, "--show-bin-path"],
            directory: directory, label: "bin-path")
        _ = try await binPath.wait(timeout: .seconds(300), what: "swift build --show-bin-path")
        let binary = URL(fileURLWithPath: binPath.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
            .appendingPathComponent("OTLPDemo")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw HarnessError("the demo was built but \(binary.path) is not there.\n\(build.tail())")
        }
        return binary
    }

    static func waitForPort(_ file: URL, receiver: ChildProcess) async throws -> Int {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOf: file, encoding: .utf8),
                let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                return port
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        await receiver.stop()
        throw HarnessError("the OTLP receiver did not start listening within 30 s.\n\(receiver.tail())")
    }

    static func readSpans(_ file: URL) throws -> [ReceivedSpan] {
        let text = try String(contentsOf: file, encoding: .utf8)
        return try text.split(separator: "\n").enumerated().map { number, line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw HarnessError("line \(number + 1) of the receiver's output is not a JSON object: \(line)")
            }
            return ReceivedSpan(json: object)
        }
    }
}

import Foundation
import HyperNodesTrace
import Testing

/// The `retrieval` demo as a program: every bundled question finds its document, the
/// results do not depend on concurrency, pacing or the cache, a second run serves the
/// embeddings from the cache (in its output and in its trace), and bad options get
/// clear messages.
@Suite("retrieval demo")
struct RetrievalDemoTests {
    /// The report row `label` of a run's output.
    static func row(_ label: String, _ output: RunOutput) -> String? {
        output.stdout.split(separator: "\n").first { $0.hasPrefix(label + " ") }.map {
            $0.dropFirst(label.count).trimmingCharacters(in: .whitespaces)
        }
    }

    /// The first hit's document for each question, in question order: the line after
    /// each `Query N` row.
    static func firstHits(_ output: RunOutput) -> [String] {
        let lines = output.stdout.split(separator: "\n").map(String.init)
        return lines.indices.compactMap { index -> String? in
            guard lines[index].hasPrefix("Query "), index + 1 < lines.count else { return nil }
            let hit = lines[index + 1].trimmingCharacters(in: .whitespaces)
            guard hit.hasPrefix("1. ") else { return nil }
            return hit.dropFirst(3).split(separator: " ").first.map(String.init)
        }
    }

    /// The document each bundled question expects, from its `Query N` row.
    static func expected(_ output: RunOutput) -> [String] {
        output.stdout.split(separator: "\n").filter { $0.hasPrefix("Query ") }.compactMap { line in
            guard let range = line.range(of: "(expects ") else { return nil }
            return String(line[range.upperBound...].dropLast())
        }
    }

    /// The number of passages, from the `Index` row.
    static func passages(_ output: RunOutput) -> Int? {
        row("Index", output).flatMap { text in
            let parts = text.split(separator: " ")
            return parts.firstIndex(of: "passages,").flatMap { Int(parts[$0 - 1]) }
        }
    }

    @Test("every bundled question finds its expected document first, with one worker or three, paced or not")
    func bundledQuestionsFindTheirDocuments() async throws {
        // Without the waterfall, whose times differ from run to run.
        let sequential = try await Executable.run(
            ["--no-cache", "--concurrency", "1", "--no-waterfall"], product: "retrieval")
        let paced = try await Executable.run(
            ["--no-cache", "--concurrency", "3", "--pace", "2", "--no-waterfall"], product: "retrieval")
        #expect(sequential.status == 0, "\(sequential)")
        #expect(paced.status == 0, "\(paced)")
        #expect(sequential.stdout.contains("not paced"))
        #expect(paced.stdout.contains("paced at 2 ms per item"))

        let expected = Self.expected(sequential)
        #expect(expected.count == 16, "\(sequential.stdout)")
        #expect(Self.firstHits(sequential) == expected, "\(sequential.stdout)")
        #expect(
            Self.row("Accuracy", sequential)?.hasPrefix("expected document first for 16 of 16 queries") == true,
            "\(sequential.stdout)")
        #expect(Self.row("Index", sequential)?.hasPrefix("40 documents, ") == true, "\(sequential.stdout)")
        // Three hits per question, each with its scores.
        let hitLines = sequential.stdout.split(separator: "\n").filter { $0.contains("(meaning ") }
        #expect(hitLines.count == 16 * 3, "\(sequential.stdout)")

        let digest = try #require(Self.row("Digest", sequential))
        #expect(digest.count == 16 && digest.allSatisfy(\.isHexDigit))
        #expect(Self.row("Digest", paced) == digest, "\(paced)")
        #expect(paced.resultLines.dropFirst() == sequential.resultLines.dropFirst())
        #expect(Self.row("From cache", sequential) == "nothing")
    }

    @Test("a second run with the same cache serves every embedding from it, with the same results and cached spans")
    func secondRunServesTheEmbeddingsFromTheCache() async throws {
        let directory = TemporaryDirectory("hn-retrieval")
        let cache = directory.url.appendingPathComponent("cache").path
        let coldTrace = directory.url.appendingPathComponent("cold.jsonl").path
        let cachedTrace = directory.url.appendingPathComponent("cached.jsonl").path
        let cold = try await Executable.run(
            ["--cache-dir", cache, "--record", coldTrace, "--progress", "--no-waterfall"], product: "retrieval")
        let cached = try await Executable.run(
            ["--cache-dir", cache, "--record", cachedTrace, "--progress", "--no-waterfall"], product: "retrieval")
        #expect(cold.status == 0 && cached.status == 0, "\(cold)\n\(cached)")
        let passages = try #require(Self.passages(cold), "\(cold.stdout)")
        #expect(passages > 40)
        #expect(Self.row("From cache", cold) == "nothing", "\(cold)")
        #expect(Self.row("From cache", cached) == "embed ×\(passages), embed_query ×16", "\(cached)")
        #expect(Self.row("Digest", cold) == Self.row("Digest", cached))
        let results = { (run: RunOutput) in run.resultLines.filter { !$0.hasPrefix("Trace recorded in ") } }
        #expect(results(cold) == results(cached))

        // The progress lines (plain, as stderr is a file) show the cache hits with ⚡.
        func progressLine(_ run: RunOutput, _ node: String) -> String? {
            run.stderr.split(separator: "\n").last { $0.hasPrefix("✓ retrieval > \(node) ") }.map(String.init)
        }
        #expect(!cold.stderr.contains("⚡"), "\(cold.stderr)")
        #expect(progressLine(cached, "embed_chunks")?.contains("⚡") == true, "\(cached.stderr)")
        #expect(progressLine(cached, "answer_queries")?.contains("⚡") == true, "\(cached.stderr)")
        #expect(progressLine(cached, "build_index")?.contains("⚡") == false, "\(cached.stderr)")

        let coldModel = try TraceModel(path: coldTrace)
        let cachedModel = try TraceModel(path: cachedTrace)
        #expect(coldModel.problems.isEmpty && cachedModel.problems.isEmpty)
        for model in [coldModel, cachedModel] {
            #expect(model.runs.map(\.name) == ["retrieval"])
            #expect(model.runs.allSatisfy { $0.isComplete && $0.status == .ok })
            let maps = model.runs[0].maps.map { "\($0.name) \($0.done)/\($0.items)" }
            #expect(maps == ["chunking 40/40", "chunk_embedding \(passages)/\(passages)", "answer_query 16/16"])
        }
        func cachedSpans(_ model: TraceModel) -> [String: Int] {
            model.runs[0].spans.filter(\.isCached).reduce(into: [:]) { $0[$1.name, default: 0] += 1 }
        }
        #expect(cachedSpans(coldModel).isEmpty)
        #expect(cachedSpans(cachedModel) == ["embed": passages, "embed_query": 16])
        // What is not cached runs again: every passage is tokenized once more.
        #expect(cachedModel.runs[0].spans.filter { $0.name == "tokenize" && !$0.isCached }.count == passages)
    }

    @Test("at the end, the waterfall of its own run from a TraceCollector: the one summary draws for its trace")
    func waterfallOfItsOwnRun() async throws {
        let directory = TemporaryDirectory("hn-retrieval")
        let trace = directory.url.appendingPathComponent("run.jsonl").path
        let run = try await Executable.run(["--no-cache", "--record", trace], product: "retrieval")
        #expect(run.status == 0, "\(run)")
        let parts = run.stdout.components(separatedBy: "\nWaterfall of this run\n")
        #expect(parts.count == 2, "\(run.stdout)")
        #expect(parts[0].hasSuffix("Trace recorded in \(trace)\n"), "\(run.stdout)")
        // Standard output is a file here: 100 cells wide, no colour. The collector saw the
        // events the recorder wrote, so its waterfall is the one of the recorded trace.
        let model = try TraceModel(path: trace)
        #expect(parts.last == TraceWaterfall.render(model, width: 100), "\(run.stdout)")
        #expect(parts.last?.contains("answer_query ×16") == true, "\(run.stdout)")
        #expect(!run.stdout.contains("\u{1B}"))
        let without = try await Executable.run(["--no-cache", "--no-waterfall"], product: "retrieval")
        #expect(without.status == 0, "\(without)")
        #expect(!without.stdout.contains("Waterfall"), "\(without.stdout)")
        #expect(Self.row("Digest", without) == Self.row("Digest", run))
    }

    @Test("--live serves the run on a socket in HYPERNODES_LIVE_DIR and removes the socket at the end")
    func servesLive() async throws {
        let directory = try ShortTemporaryDirectory()
        let run = try await Executable.run(
            ["--no-cache", "--live"], product: "retrieval",
            environment: ["HYPERNODES_LIVE_DIR": directory.path, "HYPERNODES_LIVE": ""])
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("Serving live on \(directory.path)/"), "\(run)")
        #expect(run.stdout.contains("watch it with: hypernodes attach "), "\(run)")
        #expect(Self.row("Digest", run) != nil, "\(run)")
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".sock") }
        #expect(left.isEmpty, "\(left)")
    }

    @Test("--query answers questions of one's own, without measuring accuracy")
    func ownQuestions() async throws {
        let run = try await Executable.run(
            [
                "--no-cache", "--hits", "2", "--query", "how do vaccines train the immune system", "--query",
                "which gear for climbing a steep hill",
            ], product: "retrieval")
        #expect(run.status == 0, "\(run)")
        #expect(Self.firstHits(run) == ["health-vaccine", "sport-cycling"], "\(run.stdout)")
        #expect(run.stdout.split(separator: "\n").filter { $0.contains("(meaning ") }.count == 4, "\(run.stdout)")
        #expect(Self.row("Accuracy", run) == "not measured: no query names its expected document", "\(run.stdout)")
    }

    @Test(
        "bad options get a message naming the option and the value",
        arguments: [
            (["--hits", "0"], "--hits must be between 1 and 12, got 0."),
            (["--pace", "-1"], "--pace must be between 0 and 60000 milliseconds, got -1."),
            (["--concurrency", "0"], "--concurrency must be between 1 and 1000, got 0."),
            (["--no-cache", "--cache-dir", "/tmp"], "--no-cache and --cache-dir cannot be used together."),
            (["--query", "what is the"], "--query \"what is the\" has no word to search for"),
            (["--no-cache", "--record", "/nonexistent/dir/run.jsonl"], "--record: "),
        ])
    func badOptions(arguments: [String], message: String) async throws {
        let run = try await Executable.run(arguments, product: "retrieval")
        #expect(run.status != 0, "\(run)")
        #expect(run.stderr.contains(message), "\(run)")
        #expect(!run.stdout.contains("Digest"), "\(run)")
    }
}

import Foundation
import HyperNodes
import Logging
import Synchronization
import Testing

@testable import hypernodes

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Tests of the `hypernodes` command-line tool (`swift test --filter CLI`).
enum CLITests {}

/// In-process checks of the demo pipeline: shape, determinism and caching.
extension CLITests {
    @Suite("Demo pipeline")
    struct DemoPipelineTests {
        @Test("document count follows --scale, --items overrides it, bad values are rejected")
        func documentCount() throws {
            #expect(try DemoPipeline.documentCount(scale: 1) == 300)
            #expect(try DemoPipeline.documentCount(scale: 0.01) == 3)
            #expect(try DemoPipeline.documentCount(scale: 0.0001) == 1)
            #expect(try DemoPipeline.documentCount(scale: 2) == 600)
            #expect(try DemoPipeline.documentCount(scale: 5, items: 7) == 7)
            for scale in [-1, 0, .nan, .infinity, 1e9] {
                #expect(throws: DemoPipeline.InvalidParameter.self) { try DemoPipeline.documentCount(scale: scale) }
            }
            #expect(throws: DemoPipeline.InvalidParameter.self) { try DemoPipeline.documentCount(scale: 1, items: 0) }
        }

        @Test("the graph has a nested pipeline mapped over the documents and one cached node")
        func graphShape() throws {
            let graph = try DemoPipeline.make(scale: 0.01).graphDescription
            let root = graph.root
            #expect(root.name == "demo")
            #expect(
                root.nodes.map(\.name) == ["load_corpus", "build_vocabulary", "analyze", "profile_corpus", "summarize"])
            #expect(graph.pipelines.flatMap(\.nodes).filter(\.cache).map(\.name) == ["build_vocabulary"])

            let analyze = try #require(root.nodes.first { $0.name == "analyze" })
            #expect(analyze.mapOver == ["documents"])
            let index = try #require(analyze.pipeline)
            let inner = graph.pipelines[index]
            #expect(inner.name == "document_analysis")
            #expect(inner.nodes.map(\.name) == ["tokenize", "embed", "score"])
            #expect(root.edges.contains(EdgeDescription(from: "build_vocabulary", to: "analyze", value: "vocabulary")))
        }

        @Test("results depend only on seed and size, not on scheduling")
        func deterministic() async throws {
            let first = try await summary(DemoPipeline.make(scale: 0.03, embeddingRounds: lightWork))
            let again = try await summary(DemoPipeline.make(scale: 0.03, embeddingRounds: lightWork, maxConcurrency: 4))
            let sequential = try await summary(
                DemoPipeline.make(scale: 0.03, embeddingRounds: lightWork, executionMode: .sequential))
            let otherSeed = try await summary(DemoPipeline.make(scale: 0.03, seed: 7, embeddingRounds: lightWork))

            #expect(first.documentCount == 9)
            #expect(first == again)
            #expect(first == sequential)
            #expect(otherSeed.fingerprint != first.fingerprint)
            #expect(first.fingerprint.count == 16)
            #expect(first.clusters.reduce(0) { $0 + $1.size } == 9)
            #expect(!first.topKeywords.isEmpty)
        }

        @Test("a second run with the same cache serves build_vocabulary from it")
        func cachedRerun() async throws {
            let directory = try Executable.scratchDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let cache = DiskCache(directory: directory)

            let firstCounter = CachedNodeCounter()
            let first = try await summary(
                DemoPipeline.make(scale: 0.02, embeddingRounds: lightWork, cache: cache, callbacks: [firstCounter]))
            #expect(firstCounter.cachedNodes == [])

            let secondCounter = CachedNodeCounter()
            let second = try await summary(
                DemoPipeline.make(scale: 0.02, embeddingRounds: lightWork, cache: cache, callbacks: [secondCounter]))
            #expect(secondCounter.cachedNodes == ["build_vocabulary"])
            #expect(second == first)

            let uncached = try await summary(DemoPipeline.make(scale: 0.02, embeddingRounds: lightWork))
            #expect(uncached == first)
        }

        @Test("an unusable cache directory costs the cache, not the run, and the library says why")
        func unusableCache() async throws {
            let directory = try Executable.scratchDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let file = directory.appendingPathComponent("file")
            try Data("not a directory".utf8).write(to: file)
            let cache = DiskCache(directory: file.appendingPathComponent("cache"))

            let (logger, log) = CapturingLogHandler.logger()
            let counter = CachedNodeCounter()
            var pipeline = try DemoPipeline.make(
                scale: 0.02, embeddingRounds: lightWork, cache: cache, callbacks: [counter])
            pipeline.logger = logger
            let result = try await summary(pipeline)

            #expect(result == (try await summary(DemoPipeline.make(scale: 0.02, embeddingRounds: lightWork))))
            #expect(counter.cachedNodes == [])
            let messages = log.warnings
            #expect(
                messages.contains {
                    $0.hasPrefix("could not cache the outputs of node 'build_vocabulary'") && $0.contains(file.path)
                        && $0.contains("Not a directory")
                }, "\(messages)")
        }

        @Test(
            "bad option values are rejected naming the option",
            arguments: [
                (["--scale", "-1"], "--scale"),
                (["--scale=0"], "--scale"),
                (["--scale", "nan"], "--scale"),
                (["--scale", "1e9"], "--scale"),
                (["--scale", "-2", "--items", "5"], "--scale"),
                (["--items", "0"], "--items"),
                (["--items", "-5"], "--items"),
                (["--concurrency", "0"], "--concurrency"),
                (["--sequential", "--concurrency", "2"], "--sequential"),
                (["--no-cache", "--cache-dir", "/tmp"], "--no-cache"),
            ])
        func validation(arguments: [String], option: String) {
            do {
                _ = try DemoCommand.parse(arguments)
                Issue.record("\(arguments) was accepted")
            } catch {
                let message = DemoCommand.message(for: error)
                #expect(message.contains(option), "\(message)")
                #expect(DemoCommand.exitCode(for: error) != .success)
            }
        }

        @Test("a cache directory that cannot be created is rejected")
        func unusableCacheDirectoryOption() throws {
            let directory = try Executable.scratchDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let file = directory.appendingPathComponent("file")
            try Data().write(to: file)

            #expect(CacheDirectoryCheck.problem(with: directory) == nil)
            #expect(CacheDirectoryCheck.problem(with: directory.appendingPathComponent("new/deeper")) == nil)
            #expect(CacheDirectoryCheck.problem(with: file) == "it is not a directory")
            #expect(
                CacheDirectoryCheck.problem(with: file.appendingPathComponent("sub"))
                    == "\(file.path) is not a directory")
            #expect(throws: (any Error).self) { try DemoCommand.parse(["--cache-dir", file.path]) }
        }

        /// Embedding rounds for tests that check behaviour, not cost (the default is 20 000).
        private let lightWork = 1_000

        private func summary(_ pipeline: Pipeline) async throws -> DemoSummary {
            try DemoPipeline.summary(of: await pipeline.run())
        }
    }
}

/// End-to-end checks of `hypernodes demo`, running the built executable.
extension CLITests {
    @Suite("hypernodes demo (executable)")
    struct DemoCommandTests {
        @Test("a small demo prints its summary; a second run reports the cached node")
        func smallRunThenCachedRun() async throws {
            let directory = try Executable.scratchDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let cacheDirectory = directory.appendingPathComponent("cache").path

            let first = try await Executable.run(["demo", "--scale", "0.01", "--cache-dir", cacheDirectory])
            #expect(first.status == 0, "\(first)")
            #expect(first.stdout.contains("document analytics on 3 synthetic documents"), "\(first)")
            #expect(first.stdout.contains("Corpus        3 documents, "), "\(first)")
            #expect(first.stdout.contains("Fingerprint"), "\(first)")
            #expect(first.stdout.contains("Elapsed"), "\(first)")
            #expect(first.cacheLine == "From cache    0 nodes", "\(first)")
            // stderr is not a terminal: plain progress lines only.
            #expect(first.stderr.split(separator: "\n").last?.hasPrefix("✓ demo  5/5 nodes  ") == true, "\(first)")
            #expect(!first.stderr.contains("\u{1B}") && !first.stderr.contains("\r"), "\(first)")

            let second = try await Executable.run(["demo", "--scale", "0.01", "--cache-dir", cacheDirectory])
            #expect(second.status == 0, "\(second)")
            #expect(second.cacheLine == "From cache    1 node: build_vocabulary", "\(second)")
            #expect(second.resultLines == first.resultLines)
        }

        @Test("--no-cache runs without a cache")
        func noCache() async throws {
            let run = try await Executable.run(["demo", "--items", "2", "--no-cache", "--sequential"])
            #expect(run.status == 0, "\(run)")
            #expect(run.stdout.contains("run        sequential, cache disabled"), "\(run)")
            #expect(run.cacheLine == "From cache    nothing (cache disabled)", "\(run)")
        }

        @Test("a negative --scale fails with a message naming the option")
        func negativeScale() async throws {
            let run = try await Executable.run(["demo", "--scale", "-1", "--no-cache"])
            #expect(run.status != 0, "\(run)")
            #expect(run.stderr.contains("--scale must be a positive number, got -1.0"), "\(run)")
            #expect(!run.stdout.contains("Corpus"), "\(run)")
        }

        @Test("a --cache-dir below a regular file fails with a message naming the option")
        func unusableCacheDirectoryOption() async throws {
            let directory = try Executable.scratchDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let file = directory.appendingPathComponent("file")
            try Data().write(to: file)

            let run = try await Executable.run(["demo", "--scale", "0.01", "--cache-dir", file.path + "/cache"])
            #expect(run.status != 0, "\(run)")
            #expect(run.stderr.contains("--cache-dir \(file.path)/cache cannot be used"), "\(run)")
            #expect(run.stderr.contains("\(file.path) is not a directory"), "\(run)")
        }

        @Test("an unusable default cache directory gives one warning, and the run succeeds without a cache")
        func unusableDefaultCacheDirectory() async throws {
            let directory = try Executable.scratchDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let file = directory.appendingPathComponent("file")
            try Data().write(to: file)

            let run = try await Executable.run(
                ["demo", "--scale", "0.01", "--progress", "off"], environment: ["HYPERNODES_CACHE_DIR": file.path])
            #expect(run.status == 0, "\(run)")
            #expect(run.stdout.contains("cache disabled"), "\(run)")
            #expect(run.cacheLine == "From cache    nothing (cache disabled)", "\(run)")
            #expect(
                run.stderr == "warning: the default cache directory \(file.path)/demo cannot be used: "
                    + "\(file.path) is not a directory. Running without a cache; choose another directory with "
                    + "--cache-dir.\n", "\(run)")
        }

        // No wall-clock bound here or below: a demo at scale 10 runs for minutes, so a run that was
        // not stopped would end normally (no harness error, status 0) and fail the expectations, while
        // the time these tests take depends on how busy the test pool is.
        @Test("the harness kills a process that outlives its timeout")
        func watchdog() async throws {
            await #expect(throws: HarnessError.self) {
                try await Executable.run(["demo", "--scale", "10", "--no-cache"], timeout: .milliseconds(500))
            }
        }

        @Test(
            "Ctrl-C and kill stop a running demo at once",
            arguments: [SIGINT, SIGTERM])
        func terminationSignals(signal: Int32) async throws {
            let run = try await Executable.run(
                ["demo", "--scale", "10", "--no-cache"], timeout: .seconds(60),
                signal: (signal, after: .milliseconds(500)))
            #expect(run.terminatedBySignal, "\(run)")
            #expect(run.status == signal, "\(run)")
        }

        @Test("hypernodes --help lists the demo subcommand")
        func helpListsDemo() async throws {
            let run = try await Executable.run(["--help"])
            #expect(run.status == 0, "\(run)")
            #expect(run.stdout.contains("SUBCOMMANDS:"), "\(run)")
            #expect(run.stdout.contains("demo"), "\(run)")
            #expect(run.stdout.contains("Run a built-in demo pipeline"), "\(run)")
        }
    }
}

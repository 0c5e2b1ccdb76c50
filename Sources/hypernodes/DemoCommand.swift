import ArgumentParser
import Foundation
import HyperNodes
import HyperNodesTelemetry
import HyperNodesTrace

/// `hypernodes demo`: runs the built-in demo pipeline and prints its results.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a built-in demo pipeline and print its results.",
        discussion: """
            Analyses a synthetic corpus of documents: a nested pipeline mapped over \
            every document (tokenize, embed, score) with real CPU work, one cached node \
            (build_vocabulary) and a summary with k-means clusters. At the default scale \
            it lasts about 5-10 s in a debug build on two cores (a release build is \
            several times faster), long enough to watch. Run it twice with the same \
            cache to see build_vocabulary served from the cache.
            """
    )

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Multiplies the number of documents: 300 at scale 1; 0.01 runs in well under a second.",
            valueName: "factor"))
    var scale: Double = 1.0

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("The number of documents; overrides --scale.", valueName: "count"))
    var items: Int?

    @Option(help: ArgumentHelp("The seed the synthetic corpus is generated from.", valueName: "number"))
    var seed: UInt64 = DemoPipeline.defaultSeed

    @Option(
        help: ArgumentHelp(
            "Where the cached node keeps its results (default: the 'demo' directory in the HyperNodes cache, "
                + "\(DemoCommand.defaultCacheDirectory.path)).",
            valueName: "path"),
        completion: .directory)
    var cacheDir: String?

    @Flag(help: "Run without a cache.")
    var noCache = false

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "The most nodes or documents processed at once (default: the number of cores).",
            valueName: "count"))
    var concurrency: Int?

    @Flag(help: "Process one node and one document at a time.")
    var sequential = false

    @Option(
        help: ArgumentHelp(
            "Progress on stderr: auto (a live tree on a terminal, plain lines otherwise), tty, plain or off "
                + "(default: $\(ProgressMode.environmentVariable), else auto).",
            valueName: "mode"))
    var progress: String?

    @Option(
        help: ArgumentHelp(
            "Record the run's trace to this file (JSON Lines; read it with 'hypernodes summary').",
            valueName: "file"),
        completion: .file())
    var record: String?

    /// The cache directory used without `--cache-dir`: `demo` in `DiskCache.defaultDirectory`.
    static var defaultCacheDirectory: URL {
        DiskCache.defaultDirectory.appendingPathComponent("demo", isDirectory: true)
    }

    /// The cache directory of this run, or `nil` with `--no-cache`.
    var cacheDirectory: URL? {
        if noCache { return nil }
        guard let cacheDir else { return Self.defaultCacheDirectory }
        return URL(fileURLWithPath: cacheDir, isDirectory: true)
    }

    /// The progress settings: `--progress`, else `HYPERNODES_PROGRESS`, else `auto`.
    func progressOptions() throws -> ProgressOptions {
        do {
            var options = try ProgressOptions.fromEnvironment()
            if let progress { options.mode = try ProgressMode(parsing: progress, source: "--progress") }
            return options
        } catch let error as ProgressConfigurationError {
            throw ValidationError(error.description)
        }
    }

    func validate() throws {
        guard scale.isFinite, scale > 0 else {
            throw ValidationError("--scale must be a positive number, got \(scale).")
        }
        if let items {
            guard (1...DemoPipeline.maxDocumentCount).contains(items) else {
                throw ValidationError(
                    "--items must be between 1 and \(DemoPipeline.maxDocumentCount), got \(items).")
            }
        } else {
            do {
                _ = try DemoPipeline.documentCount(scale: scale)
            } catch {
                throw ValidationError("--scale \(scale) is too large: \(error).")
            }
        }
        if let concurrency, concurrency < 1 {
            throw ValidationError("--concurrency must be at least 1, got \(concurrency).")
        }
        if sequential && concurrency != nil {
            throw ValidationError("--sequential and --concurrency cannot be used together.")
        }
        if noCache && cacheDir != nil {
            throw ValidationError("--no-cache and --cache-dir cannot be used together.")
        }
        _ = try progressOptions()
        if let cacheDir {
            if cacheDir.isEmpty {
                throw ValidationError("--cache-dir must not be empty.")
            }
            if let problem = CacheDirectoryCheck.problem(with: URL(fileURLWithPath: cacheDir)) {
                throw ValidationError("--cache-dir \(cacheDir) cannot be used: \(problem).")
            }
        }
    }

    func run() async throws {
        let counter = CachedNodeCounter()
        var cacheDirectory = cacheDirectory
        if cacheDir == nil, let directory = cacheDirectory, let problem = CacheDirectoryCheck.problem(with: directory) {
            // An explicit --cache-dir was checked by validate(); the default one only warns.
            FileHandle.standardError.write(
                Data(
                    ("warning: the default cache directory \(directory.path) cannot be used: \(problem). "
                        + "Running without a cache; choose another directory with --cache-dir.\n").utf8))
            cacheDirectory = nil
        }
        let workers = concurrency ?? ProcessInfo.processInfo.activeProcessorCount
        let recorder = try record.map { path in
            do {
                return try TraceRecorder(path: path)
            } catch {
                throw ValidationError("--record: \(error)")
            }
        }
        let progress = try ProgressCallback(options: progressOptions())
        let pipeline = try DemoPipeline.make(
            scale: scale,
            items: items,
            seed: seed,
            cache: cacheDirectory.map { DiskCache(directory: $0) },
            callbacks: [counter, progress] + (recorder.map { [$0] } ?? []),
            maxConcurrency: workers,
            executionMode: sequential ? .sequential : .concurrent)

        let header = DemoReport.header(
            documents: try DemoPipeline.documentCount(scale: scale, items: items),
            seed: seed,
            concurrency: sequential ? "sequential" : "concurrency \(workers)",
            cache: cacheDirectory?.path ?? "disabled")
        print(header.joined(separator: "\n"))

        let clock = ContinuousClock()
        let start = clock.now
        let result: PipelineResult
        do {
            result = try await pipeline.run()
        } catch {
            progress.close()
            throw error
        }
        let elapsed = start.duration(to: clock.now)
        progress.close()  // the final summary, before the report

        let report = DemoReport(
            summary: try DemoPipeline.summary(of: result),
            elapsed: elapsed,
            cachedNodes: counter.cachedNodes,
            cacheEnabled: cacheDirectory != nil)
        print(report.lines.joined(separator: "\n"))
        if let recorder {
            recorder.close()
            if let error = recorder.error {
                FileHandle.standardError.write(Data("warning: \(error)\n".utf8))
            } else {
                print("Trace recorded in \(recorder.path); summarise it with: hypernodes summary \(recorder.path)")
            }
        }
    }
}

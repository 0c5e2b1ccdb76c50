import ArgumentParser
import Foundation
import HyperNodes
import HyperNodesTelemetry
import HyperNodesTrace

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `retrieval`: chunk, embed and index a bundled corpus, then answer questions with a
/// nested query pipeline, with the embeddings cached.
@main
struct RetrievalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retrieval",
        abstract: "Index a small bundled corpus and answer questions about it.",
        discussion: """
            Splits forty short articles into overlapping passages (a map over the documents), embeds \
            every passage into a 256-dimensional vector by hashing its words (a map over the passages; \
            the embeddings are cached), builds a search index, and maps a query pipeline over the \
            questions: embed the question (cached), search the nearest passages, re-rank them by meaning \
            and wording. Prints the best documents for each question with their scores, how often the \
            expected document came first, and a digest that is the same for every run of the same \
            questions. Run it twice with the same cache: the second run serves every embedding from it.

            At the end it prints the waterfall of its own run, from a TraceCollector (--no-waterfall \
            leaves it out). Watch it: --progress shows the progress tree; \
            'hypernodes monitor -- retrieval --pace 20' shows it in the monitor; --live serves it for \
            'hypernodes attach'.
            """
    )

    @Option(
        name: .customLong("query"),
        help: ArgumentHelp(
            "A question to answer instead of the bundled ones (repeat for several).", valueName: "text"))
    var queries: [String] = []

    @Option(parsing: .unconditional, help: ArgumentHelp("The documents to report per question.", valueName: "count"))
    var hits: Int = 3

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "A pause in every chunk, tokenize and search step, in milliseconds, to watch the run.",
            valueName: "ms"))
    var pace: Int = 0

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "The most documents, passages or questions processed at once (default: the number of cores).",
            valueName: "count"))
    var concurrency: Int?

    @Option(
        help: ArgumentHelp(
            "Where the embeddings are cached (default: the 'retrieval' directory in the HyperNodes cache).",
            valueName: "path"),
        completion: .directory)
    var cacheDir: String?

    @Flag(help: "Run without a cache.")
    var noCache = false

    @Option(
        help: ArgumentHelp("Record the trace of the run to this file (JSON Lines).", valueName: "file"),
        completion: .file())
    var record: String?

    @Flag(help: "Show the progress tree on stderr (a live tree on a terminal, plain lines otherwise).")
    var progress = false

    @Flag(help: "Serve the run live on a socket for 'hypernodes attach' (also on with HYPERNODES_LIVE=1).")
    var live = false

    @Flag(help: "Do not print the run's waterfall after the results.")
    var noWaterfall = false

    func validate() throws {
        guard (1...RetrievalPipeline.candidateCount).contains(hits) else {
            throw ValidationError("--hits must be between 1 and \(RetrievalPipeline.candidateCount), got \(hits).")
        }
        guard (0...60_000).contains(pace) else {
            throw ValidationError("--pace must be between 0 and 60000 milliseconds, got \(pace).")
        }
        if let concurrency, !(1...1_000).contains(concurrency) {
            throw ValidationError("--concurrency must be between 1 and 1000, got \(concurrency).")
        }
        if noCache && cacheDir != nil {
            throw ValidationError("--no-cache and --cache-dir cannot be used together.")
        }
        if let cacheDir, cacheDir.isEmpty {
            throw ValidationError("--cache-dir must not be empty.")
        }
        for query in queries where TextTokenizer.terms(of: query).isEmpty {
            throw ValidationError("--query \"\(query)\" has no word to search for (only common words or none).")
        }
    }

    /// The questions to answer: the ones given, or the bundled ones.
    var questions: [RetrievalQuery] {
        queries.isEmpty ? RetrievalCorpus.queries : queries.map { RetrievalQuery(text: $0, expected: nil) }
    }

    func run() async throws {
        Self.unblockTerminationSignals()
        let workers = concurrency ?? ProcessInfo.processInfo.activeProcessorCount
        let pacing = Duration.milliseconds(pace)
        let cache: DiskCache? =
            noCache
            ? nil
            : DiskCache(
                directory: cacheDir.map { URL(fileURLWithPath: $0, isDirectory: true) }
                    ?? DiskCache.defaultDirectory.appendingPathComponent("retrieval", isDirectory: true))

        let recorder = try record.map { path in
            do {
                return try TraceRecorder(path: path)
            } catch {
                throw ValidationError("--record: \(error)")
            }
        }
        let progressCallback = try progress ? ProgressCallback(options: ProgressOptions.fromEnvironment()) : nil
        let counter = CacheHitCounter()
        let liveServer = LiveServing.start(requested: live)
        let collector = noWaterfall ? nil : TraceCollector()
        var callbacks: [any PipelineCallback] = [counter]
        if let collector { callbacks.append(collector) }
        if let progressCallback { callbacks.append(progressCallback) }
        if let recorder { callbacks.append(recorder) }
        if let liveServer { callbacks.append(liveServer) }

        let questions = questions
        print(
            RetrievalReport.header(
                documents: RetrievalCorpus.documents.count, queries: questions.count, concurrency: workers,
                pace: pacing
            )
            .joined(separator: "\n"))
        if let liveServer { print(LiveServing.announcement(liveServer)) }
        fflush(nil)  // at once, also into a pipe or a file (a log pane, a test)

        let clock = ContinuousClock()
        let start = clock.now
        let outcome: RetrievalOutcome
        do {
            let pipeline = try RetrievalPipeline.make(
                queries: questions, hits: hits, pace: pacing, cache: cache, callbacks: callbacks,
                maxConcurrency: workers)
            outcome = try RetrievalPipeline.outcome(of: try await pipeline.run())
        } catch {
            progressCallback?.close()
            recorder?.close()
            liveServer?.close()
            throw error
        }
        let elapsed = start.duration(to: clock.now)
        progressCallback?.close()  // the final summary, before the results

        let report = RetrievalReport(outcome: outcome, elapsed: elapsed, cachedNodes: counter.cachedNodes)
        print(report.lines.joined(separator: "\n"))
        if let recorder {
            recorder.close()
            if let error = recorder.error {
                FileHandle.standardError.write(Data("retrieval: warning: \(error)\n".utf8))
            } else {
                print("Trace recorded in \(recorder.path)")
            }
        }
        if let collector { print(RunWaterfall.text(of: collector), terminator: "") }
        fflush(nil)
        liveServer?.close()
    }

    /// Unblocks SIGINT, SIGTERM and SIGHUP: a parent that started this process from a
    /// Swift task with Foundation's `Process` leaves them blocked, and Ctrl-C or `kill`
    /// would then be ignored (and the live socket left behind).
    static func unblockTerminationSignals() {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&set, signal) }
        sigprocmask(SIG_UNBLOCK, &set, nil)
    }
}

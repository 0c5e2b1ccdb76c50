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

/// `cleaning`: a data-cleaning pipeline over messy customer rows, showing what a map does
/// with the items that fail.
@main
struct CleaningCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cleaning",
        abstract: "Clean a messy customer file, and show what happens to the rows that fail.",
        discussion: """
            Generates a customer file (or reads --input), splits it into rows (load), cleans each \
            row in a map (clean_row: split_fields -> parse_record -> validate; some rows are \
            rejected), then drops repeated customers and sums up (report: deduplicate -> summarize).

            With --on-failure collect (the default) the rejected rows are collected: every other \
            row is cleaned and the report lists the failures with their errors. With --on-failure \
            stop the map stops at the first rejected row and the program exits with its error.

            The results end with a digest that is the same for every run of the same file, \
            whatever the concurrency, pacing or cache.
            """
    )

    @Option(parsing: .unconditional, help: ArgumentHelp("The number of rows to generate.", valueName: "count"))
    var rows: Int = 400

    @Option(help: ArgumentHelp("The seed the rows are generated from.", valueName: "number"))
    var seed: UInt64 = 42

    @Option(
        help: ArgumentHelp(
            "Clean this CSV file instead of generated rows (header: \(CustomerFile.header)).", valueName: "file"),
        completion: .file())
    var input: String?

    @Option(
        name: .customLong("on-failure"),
        help: ArgumentHelp("What a failing row does: collect (clean the others, list the failures) or stop."))
    var onFailure: FailurePolicyOption = .collect

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("The most rows cleaned at once (default: the number of cores).", valueName: "count"))
    var concurrency: Int?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Milliseconds each row waits before it is cleaned, to watch the run; 0 does not pace.",
            valueName: "ms"))
    var pace: Double = 0

    @Option(
        help: ArgumentHelp(
            "Where cached results are kept (default: the 'cleaning' directory in the HyperNodes cache).",
            valueName: "path"),
        completion: .directory)
    var cacheDir: String?

    @Flag(help: "Run without a cache.")
    var noCache = false

    @Option(
        help: ArgumentHelp("Record the trace of every run to this file (JSON Lines).", valueName: "file"),
        completion: .file())
    var record: String?

    @Flag(help: "Show the progress tree on stderr (a live tree on a terminal, plain lines otherwise).")
    var progress = false

    @Flag(help: "Serve the runs live on a socket for 'hypernodes attach' (also on with HYPERNODES_LIVE=1).")
    var live = false

    @Option(
        help: ArgumentHelp(
            "When serving live, keep serving the finished runs this many seconds before exiting.",
            valueName: "seconds"))
    var linger: Double = 0

    func validate() throws {
        guard (1...1_000_000).contains(rows) else {
            throw ValidationError("--rows must be between 1 and 1000000, got \(rows).")
        }
        if let concurrency, !(1...1_000).contains(concurrency) {
            throw ValidationError("--concurrency must be between 1 and 1000, got \(concurrency).")
        }
        guard pace.isFinite, pace >= 0, pace <= 60_000 else {
            throw ValidationError("--pace must be between 0 and 60000 milliseconds, got \(pace).")
        }
        if noCache && cacheDir != nil {
            throw ValidationError("--no-cache and --cache-dir cannot be used together.")
        }
        if let cacheDir, cacheDir.isEmpty {
            throw ValidationError("--cache-dir must not be empty.")
        }
        guard linger.isFinite, linger >= 0, linger <= 24 * 3_600 else {
            throw ValidationError("--linger must be between 0 and 86400 seconds, got \(linger).")
        }
    }

    func run() async throws {
        Self.unblockTerminationSignals()
        let workers = concurrency ?? ProcessInfo.processInfo.activeProcessorCount
        let paceDuration = Duration.microseconds(Int64((pace * 1_000).rounded()))
        let (csv, source) = try readInput()
        let cache: DiskCache? =
            noCache
            ? nil
            : DiskCache(
                directory: cacheDir.map { URL(fileURLWithPath: $0, isDirectory: true) }
                    ?? DiskCache.defaultDirectory.appendingPathComponent("cleaning", isDirectory: true))
        let recorder = try record.map { path in
            do {
                return try TraceRecorder(path: path)
            } catch {
                throw ValidationError("--record: \(error)")
            }
        }
        let progressCallback = try progress ? ProgressCallback(options: ProgressOptions.fromEnvironment()) : nil
        let hits = CacheHitCount()
        let liveServer = LiveServing.start(requested: live)
        var callbacks: [any PipelineCallback] = [hits]
        if let progressCallback { callbacks.append(progressCallback) }
        if let recorder { callbacks.append(recorder) }
        if let liveServer { callbacks.append(liveServer) }
        func closeAll() {
            progressCallback?.close()
            recorder?.close()
        }

        print(
            CleaningReport.header(source: source, policy: onFailure, concurrency: workers, pace: paceDuration)
                .joined(separator: "\n"))
        if let liveServer { print(LiveServing.announcement(liveServer)) }
        fflush(nil)  // at once, also into a pipe or a file (a log pane, a test)

        let clock = ContinuousClock()
        let start = clock.now
        let summary: CleaningSummary
        do {
            let load = try CleaningPipelines.load(cache: cache, callbacks: callbacks)
            let rawRows = try await load.run(inputs: ["csv": csv]).value("rows", as: [RawRow].self)

            let cleanRow = try CleaningPipelines.cleanRow(
                pace: paceDuration, cache: cache, callbacks: callbacks, maxConcurrency: workers)
            let cleaned = try await cleanRow.map(
                inputs: ["row": rawRows], over: ["row"], onItemFailure: onFailure.policy)
            let customers = try cleaned.successfulValues("customer", as: Customer.self).map(\.value)
            let failures = cleaned.failures.map { FailedRow($0, row: rawRows[$0.index]) }

            let report = try CleaningPipelines.report(cache: cache, callbacks: callbacks)
            summary = try await report.run(
                inputs: ["customers": customers, "failures": failures, "row_count": rawRows.count]
            ).value("summary", as: CleaningSummary.self)
        } catch let error as NodeError {
            closeAll()
            finishLive(liveServer)
            let stopped = onFailure == .stop && error.path.first?.hasPrefix("clean_row[") == true
            throw Self.failure(
                stopped
                    ? "the map stopped at the first failing row (--on-failure stop): \(error)"
                    : "\(error)")
        } catch {
            closeAll()
            finishLive(liveServer)
            throw Self.failure("\(error)")
        }
        let elapsed = start.duration(to: clock.now)
        progressCallback?.close()  // the final summary, before the report

        let report = CleaningReport(summary: summary, elapsed: elapsed, cachedNodes: hits.value)
        print(report.lines.joined(separator: "\n"))
        if let recorder {
            recorder.close()
            if let error = recorder.error {
                FileHandle.standardError.write(Data("cleaning: warning: \(error)\n".utf8))
            } else {
                print("Trace recorded in \(recorder.path)")
            }
        }
        fflush(nil)
        finishLive(liveServer)
    }

    /// The file to clean and how the header names it: `--input`, else the generated rows.
    func readInput() throws -> (csv: String, source: String) {
        guard let input else {
            return (RecordGenerator.file(rows: rows, seed: seed), "\(rows) generated customer rows (seed \(seed))")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: input))
        } catch {
            throw ValidationError("--input: cannot read '\(input)': \((error as NSError).localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ValidationError("--input: '\(input)' is not UTF-8 text")
        }
        return (text, "the customer file \(input)")
    }

    /// Keeps serving the finished runs `--linger` seconds, then stops serving.
    func finishLive(_ server: LiveServer?) {
        guard let server else { return }
        if linger > 0 {
            print("Serving the finished runs for \(String(format: "%.1f", linger)) s more")
            fflush(nil)
            Thread.sleep(forTimeInterval: linger)
        }
        server.close()
    }

    /// Prints `message` on stderr; the exit status 1 to throw.
    static func failure(_ message: String) -> ExitCode {
        fflush(nil)
        FileHandle.standardError.write(Data("cleaning: error: \(message)\n".utf8))
        return ExitCode.failure
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

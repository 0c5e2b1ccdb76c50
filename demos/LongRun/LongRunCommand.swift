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

/// `longrun`: a pipeline that runs for minutes, to watch live from another terminal.
@main
struct LongRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "longrun",
        abstract: "Analyse the logs of a simulated fleet of hosts, slowly enough to watch.",
        discussion: """
            Generates and analyses log files (nested maps: hosts, then each host's files), with a \
            cached latency baseline and two damaged files that are quarantined and then fail a \
            strict check in runs of their own. Every file waits a moment before it is read, so the \
            run lasts about --minutes. The results end with a digest that is the same for every run \
            of the same files, whatever the pacing or concurrency.

            Watch it live: start it with --live (or HYPERNODES_LIVE=1) and run 'hypernodes attach' in \
            another terminal, or run it under 'hypernodes monitor -- longrun'.
            """
    )

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("How long the run should last, in minutes; 0 does not pace.", valueName: "minutes"))
    var minutes: Double = 3

    @Option(parsing: .unconditional, help: ArgumentHelp("The number of log files.", valueName: "count"))
    var items: Int = 400

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("The number of hosts the files are spread over.", valueName: "count"))
    var batches: Int = 8

    @Option(parsing: .unconditional, help: ArgumentHelp("The nominal number of lines per file.", valueName: "count"))
    var lines: Int = 1_000

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "The most hosts, and files per host, analysed at once (default: the number of cores).",
            valueName: "count"))
    var concurrency: Int?

    @Option(help: ArgumentHelp("The seed the logs are generated from.", valueName: "number"))
    var seed: UInt64 = 42

    @Option(
        help: ArgumentHelp(
            "Where the cached node keeps its results (default: the 'longrun' directory in the HyperNodes cache).",
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

    /// The largest number of files or lines per file.
    static let maxCount = 1_000_000

    func validate() throws {
        guard minutes.isFinite, minutes >= 0, minutes <= 24 * 60 else {
            throw ValidationError("--minutes must be between 0 and 1440, got \(minutes).")
        }
        guard (1...Self.maxCount).contains(items) else {
            throw ValidationError("--items must be between 1 and \(Self.maxCount), got \(items).")
        }
        guard (1...Self.maxCount).contains(batches) else {
            throw ValidationError("--batches must be between 1 and \(Self.maxCount), got \(batches).")
        }
        guard (1...Self.maxCount).contains(lines) else {
            throw ValidationError("--lines must be between 1 and \(Self.maxCount), got \(lines).")
        }
        if let concurrency, !(1...1_000).contains(concurrency) {
            throw ValidationError("--concurrency must be between 1 and 1000, got \(concurrency).")
        }
        if noCache && cacheDir != nil {
            throw ValidationError("--no-cache and --cache-dir cannot be used together.")
        }
        guard linger.isFinite, linger >= 0, linger <= 24 * 3_600 else {
            throw ValidationError("--linger must be between 0 and 86400 seconds, got \(linger).")
        }
        if let cacheDir, cacheDir.isEmpty {
            throw ValidationError("--cache-dir must not be empty.")
        }
    }

    /// The wait before each file so that the run lasts about `minutes`: the run goes
    /// through the hosts in rounds of `concurrency`, each host through its files in
    /// rounds of `concurrency`, and then reads each damaged file once more.
    static func pace(minutes: Double, files: Int, batches: Int, concurrency: Int) -> Duration {
        guard minutes > 0 else { return .zero }
        let hosts = min(batches, files)
        let hostRounds = (hosts + concurrency - 1) / concurrency
        let filesPerHost = (files + hosts - 1) / hosts
        let fileRounds = (filesPerHost + concurrency - 1) / concurrency
        let rounds = hostRounds * fileRounds + LogBatch.damagedCount(fileCount: files)
        let milliseconds = minutes * 60_000 / Double(rounds)
        return .milliseconds(Int(milliseconds.rounded()))
    }

    func run() async throws {
        Self.unblockTerminationSignals()
        let workers = concurrency ?? ProcessInfo.processInfo.activeProcessorCount
        let pace = Self.pace(minutes: minutes, files: items, batches: batches, concurrency: workers)
        let cache: DiskCache? =
            noCache
            ? nil
            : DiskCache(
                directory: cacheDir.map { URL(fileURLWithPath: $0, isDirectory: true) }
                    ?? DiskCache.defaultDirectory.appendingPathComponent("longrun", isDirectory: true))

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
        var callbacks: [any PipelineCallback] = [counter]
        if let progressCallback { callbacks.append(progressCallback) }
        if let recorder { callbacks.append(recorder) }
        if let liveServer { callbacks.append(liveServer) }

        print(
            LongRunReport.header(
                files: items, batches: min(batches, items), seed: seed, concurrency: workers, pace: pace
            )
            .joined(separator: "\n"))
        if let liveServer { print(LiveServing.announcement(liveServer)) }
        fflush(nil)  // at once, also into a pipe or a file (a log pane, a test)

        let clock = ContinuousClock()
        let start = clock.now
        let fleet: FleetReport
        var checks: [(path: String, outcome: String)] = []
        do {
            let pipeline = try LongRunPipeline.make(
                files: items, batches: batches, linesPerFile: lines, seed: seed, pace: pace, cache: cache,
                callbacks: callbacks, maxConcurrency: workers)
            fleet = try LongRunPipeline.fleetReport(of: try await pipeline.run())

            // The quarantined files, each read strictly in a run of its own.
            let strict = try LongRunPipeline.strictCheck(pace: pace, cache: cache, callbacks: callbacks)
            let specs = LogBatch.plan(seed: seed, fileCount: items, batchCount: batches, linesPerFile: lines)
                .flatMap(\.files)
            for path in fleet.quarantined {
                guard let file = specs.first(where: { $0.path == path }) else { continue }
                do {
                    let result = try await strict.run(inputs: ["file": file])
                    checks.append((path, "passes the strict check (\(result["line_count", as: Int.self] ?? 0) lines)"))
                } catch let error as NodeError {
                    if let format = error.underlying as? LogFormatError {
                        checks.append((path, "fails the strict check at line \(format.line): \(format.problem)"))
                    } else {
                        checks.append((path, "fails the strict check: \(error)"))
                    }
                }
            }
        } catch {
            progressCallback?.close()
            recorder?.close()
            liveServer?.close()
            throw error
        }
        let elapsed = start.duration(to: clock.now)
        progressCallback?.close()  // the final summary, before the report

        let report = LongRunReport(
            fleet: fleet, strictChecks: checks, elapsed: elapsed, cachedNodes: counter.cachedNodes)
        print(report.lines.joined(separator: "\n"))
        if let recorder {
            recorder.close()
            if let error = recorder.error {
                FileHandle.standardError.write(Data("longrun: warning: \(error)\n".utf8))
            } else {
                print("Trace recorded in \(recorder.path)")
            }
        }
        fflush(nil)
        if let liveServer {
            if linger > 0 {
                print("Serving the finished runs for \(LongRunReport.fixed(linger, 1)) s more")
                fflush(nil)
                try await Task.sleep(for: .milliseconds(Int((linger * 1_000).rounded())))
            }
            liveServer.close()
        }
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

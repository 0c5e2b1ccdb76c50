import ArgumentParser
import Foundation
import HyperNodes
import HyperNodesMonitor
import Synchronization

/// `hypernodes monitor` (and `hypernodes` on its own): the built-in demo
/// pipeline, run in this process and watched live in the full-screen monitor;
/// `hypernodes monitor -- PROGRAM ARGS…`: a program launched with live
/// monitoring switched on, watched the same way.
struct MonitorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "Run the built-in demo pipeline, or a program after --, live in the full-screen monitor.",
        discussion: """
            Without a program, runs the demo of `hypernodes demo` in this process, paced so that the \
            run lasts about 10-20 s, and shows it live: the tree of pipelines and nodes, map \
            throughput, and a waterfall (press ? for every key). When the run ends the monitor stays \
            open on the final state until you press q; the demo's report is printed after that.

            With `-- PROGRAM ARGS…`, starts the program with live monitoring switched on \
            (HYPERNODES_LIVE=1) and shows the runs its pipelines serve. Its output goes to the log \
            pane (o) and, once the monitor closes, to the terminal; Ctrl-C is passed on to it. The \
            monitor stays open after the program ends until you press q (or closes at once with \
            --exit-on-finish), then exits with the program's exit status; q while the program still \
            runs stops it (SIGTERM, then SIGKILL after 3 s).

            Needs a terminal; without one, run `hypernodes demo`, or record a trace and read it with \
            `hypernodes summary`.
            """
    )

    @Option(help: ArgumentHelp("The number of documents.", valueName: "count"))
    var items = DemoPipeline.baseDocumentCount

    @Option(
        help: ArgumentHelp(
            "A pause in milliseconds in every document's processing, so the run can be watched (0: none).",
            valueName: "ms"))
    var itemDelay = 120

    @Option(help: ArgumentHelp("The most nodes or documents processed at once.", valueName: "count"))
    var concurrency = 4

    @Option(help: ArgumentHelp("The seed the synthetic corpus is generated from.", valueName: "number"))
    var seed: UInt64 = DemoPipeline.defaultSeed

    @Option(
        help: ArgumentHelp(
            "Where the cached node keeps its results (default: as for 'hypernodes demo').", valueName: "path"),
        completion: .directory)
    var cacheDir: String?

    @Flag(help: "Run without a cache.")
    var noCache = false

    @Flag(help: "Draw with ASCII characters only.")
    var ascii = false

    @Option(
        help: ArgumentHelp("With a program: also save everything its runs send as a trace file.", valueName: "file"),
        completion: .file())
    var record: String?

    @Flag(help: "With a program: close the monitor as soon as the program has ended.")
    var exitOnFinish = false

    @Argument(
        parsing: .postTerminator,
        help: ArgumentHelp("A program to launch and watch instead of the demo, after --.", valueName: "program"))
    var command: [String] = []

    func validate() throws {
        if command.isEmpty && (record != nil || exitOnFinish) {
            throw ValidationError(
                "--record and --exit-on-finish go with a program: hypernodes monitor --record FILE -- PROGRAM ARGS…")
        }
        let demoOptions =
            items != DemoPipeline.baseDocumentCount || itemDelay != 120 || concurrency != 4
            || seed != DemoPipeline.defaultSeed || cacheDir != nil || noCache
        if !command.isEmpty && demoOptions {
            throw ValidationError(
                "--items, --item-delay, --concurrency, --seed, --cache-dir and --no-cache are options of the demo; "
                    + "a program's own options go after --: hypernodes monitor -- PROGRAM ARGS…")
        }
        guard (1...DemoPipeline.maxDocumentCount).contains(items) else {
            throw ValidationError("--items must be between 1 and \(DemoPipeline.maxDocumentCount), got \(items).")
        }
        guard (0...10_000).contains(itemDelay) else {
            throw ValidationError("--item-delay must be between 0 and 10000 milliseconds, got \(itemDelay).")
        }
        guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1, got \(concurrency).") }
        if noCache && cacheDir != nil {
            throw ValidationError("--no-cache and --cache-dir cannot be used together.")
        }
        if let cacheDir, let problem = CacheDirectoryCheck.problem(with: URL(fileURLWithPath: cacheDir)) {
            throw ValidationError("--cache-dir \(cacheDir) cannot be used: \(problem).")
        }
    }

    /// The cache directory of this run, or `nil` with `--no-cache` or when
    /// the default one cannot be used.
    var cacheDirectory: URL? {
        if noCache { return nil }
        if let cacheDir { return URL(fileURLWithPath: cacheDir, isDirectory: true) }
        let directory = DemoCommand.defaultCacheDirectory
        return CacheDirectoryCheck.problem(with: directory) == nil ? directory : nil
    }

    func run() async throws {
        if !command.isEmpty {
            let status = await LaunchedMonitor.run(
                command: command, record: record, exitOnFinish: exitOnFinish, ascii: ascii)
            if status != 0 { throw ExitCode(status) }
            return
        }
        if let status = MonitorRunner.terminalCheck(
            command: "monitor",
            alternatives: "Run `hypernodes demo` for the demo with plain progress lines, or record a trace "
                + "with `hypernodes demo --record FILE` and read it with `hypernodes summary FILE`.")
        {
            throw ExitCode(status)
        }
        let source = InProcessSource()
        let cache = cacheDirectory
        let counter = CachedNodeCounter()
        let pipeline = try DemoPipeline.make(
            items: items, seed: seed, cache: cache.map { DiskCache(directory: $0) },
            callbacks: [source, counter], maxConcurrency: concurrency,
            itemDelay: .milliseconds(itemDelay))
        let ended = Ended()
        let run = Task {
            defer { ended.flag.store(true, ordering: .sequentiallyConsistent) }
            let clock = ContinuousClock()
            let started = clock.now
            do {
                let result = try await pipeline.run()
                source.mailbox.finish(.completed)
                return (result, started.duration(to: clock.now))
            } catch {
                source.mailbox.finish(.failed("\(error)"))
                throw error
            }
        }
        let ascii = ascii
        let status = await MonitorRunner.run(
            MonitorRunner.Launch(
                command: "monitor", mailbox: source.mailbox,
                makeSession: { color, asciiOnly in
                    MonitorSession(
                        source: .live("demo"),
                        options: MonitorOptions(ascii: asciiOnly, color: color, startPaused: false, speed: .normal))
                },
                ascii: ascii, subject: "the demo"))
        let endedBeforeQuit = ended.flag.load(ordering: .sequentiallyConsistent)
        run.cancel()
        let outcome = await run.result
        // The terminal could not be used: its reason is printed already.
        guard status == 0 else { throw ExitCode(status) }
        switch outcome {
        case .success(let (result, elapsed)):
            let header = DemoReport.header(
                documents: items, seed: seed, concurrency: "concurrency \(concurrency)",
                cache: cache?.path ?? "disabled")
            let report = DemoReport(
                summary: try DemoPipeline.summary(of: result), elapsed: elapsed,
                cachedNodes: counter.cachedNodes, cacheEnabled: cache != nil)
            print((header + report.lines).joined(separator: "\n"))
        case .failure where !endedBeforeQuit:
            print("The demo run was stopped before it finished.")
        case .failure(let error):
            TraceInput.standardError("hypernodes monitor: error: the demo run failed: \(error)")
            throw ExitCode(1)
        }
    }

    /// Whether the demo run has ended, set by the task that runs it.
    private final class Ended: Sendable {
        let flag = Atomic<Bool>(false)
    }
}

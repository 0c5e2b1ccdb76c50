import Foundation

/// `hypernodes-bench`: performance figures of the HyperNodes engine.
///
/// Prints one `name value unit` line per figure on stdout; progress and
/// sample spreads go to stderr. See docs/benchmarks.md.
@main
struct HyperNodesBench {
    static let usage = """
        usage: hypernodes-bench all [--quick]
               hypernodes-bench engine [--quick] [--only GROUP[,GROUP...]]
               hypernodes-bench trace [--quick] [--only GROUP[,GROUP...]]
               hypernodes-bench progress [--quick]
               hypernodes-bench telemetry [--quick]
               hypernodes-bench monitor [--quick]
               hypernodes-bench live [--quick]
               hypernodes-bench compare [--quick] [--only NAME[,NAME...]]
               hypernodes-bench profile WORKLOAD [--seconds S]

          all           run every suite in turn (engine, trace, progress, telemetry, monitor,
                        live, compare), with the same output as running each
          engine        run the engine suite (run/map/event figures)
          --quick       fewer repetitions and smaller batches (smoke test)
          --only GROUPS measure only these groups: chain, map3, emit, overhead, cache
          trace         run the trace suite (recorder and reader throughput, overheads);
                        groups: record, read, overhead, collector, demo
          progress      run the progress suite (ProgressCallback in tty mode against no callbacks)
          telemetry     run the telemetry suite (TelemetryCallback span costs)
          monitor       run the monitor suite (a million-span trace: load, memory, seek, frames)
          live          run the live suite (live server overhead next to the recorder, latency, memory)
          compare       run the Swift side of benchmarks/compare-python.sh (chain10 run, map3 over
                        10,000 and 100,000 items; bare, progress to a pseudo-terminal and to a file,
                        tracing into an in-memory tracer); --only keeps figures whose names contain
                        one of the given parts (e.g. --only chain,10k)
          profile       loop one workload for S seconds (default 5), for a profiler;
                        workloads: chain, chain-callbacks, map3, map3-callbacks, cache-hit
          -h, --help    show this help

        Prints one line per figure, `name value unit`, on stdout; each value is
        a median over repeated samples. Diagnostics go to stderr.
        """

    /// The suites `all` runs, in this order.
    static let allSuites = ["engine", "trace", "progress", "telemetry", "monitor", "live", "compare"]

    static func main() async throws {
        var suite: String?
        var quick = false
        var onlyList: String?
        var workload: ProfileSuite.Workload?
        var seconds: Double?
        var args = CommandLine.arguments.dropFirst()[...]
        while let arg = args.popFirst() {
            switch arg {
            case _ where suite == nil && (allSuites.contains(arg) || arg == "all"):
                suite = arg
            case "profile" where suite == nil:
                suite = arg
                guard let name = args.popFirst() else { usageError("profile needs a workload") }
                guard let known = ProfileSuite.Workload(rawValue: name) else {
                    usageError("unknown workload '\(name)'")
                }
                workload = known
            case "--seconds" where suite == "profile":
                guard let value = args.popFirst().flatMap(Double.init), value > 0 else {
                    usageError("--seconds needs a positive number")
                }
                seconds = value
            case "--quick":
                quick = true
            case "--only":
                guard let list = args.popFirst() else { usageError("--only needs a value") }
                onlyList = list
            case _ where arg.hasPrefix("--only="):
                onlyList = String(arg.dropFirst("--only=".count))
            case "-h", "--help":
                print(usage)
                return
            default:
                usageError("unknown argument '\(arg)'")
            }
        }
        guard let suite else { usageError("no suite given") }
        if suite == "profile" {
            guard onlyList == nil, !quick else { usageError("--only and --quick apply to the engine and trace suites") }
            try await ProfileSuite.run(workload!, seconds: seconds ?? 5)
            return
        }
        if suite == "all" {
            guard onlyList == nil else { usageError("--only applies to the engine, trace and compare suites") }
            for (index, name) in allSuites.enumerated() {
                Harness.log("hypernodes-bench all: suite \(index + 1) of \(allSuites.count): \(name)")
                try await run(name, quick: quick, onlyList: nil)
                // Each suite's figures reach a file or pipe as soon as the suite ends, so a run cut
                // short keeps what it measured.
                fflush(nil)
            }
            return
        }
        try await run(suite, quick: quick, onlyList: onlyList)
    }

    /// Runs one suite. The suites run in nonisolated async code: calling `run`
    /// from the main actor would add executor hops to every measured call.
    static func run(_ suite: String, quick: Bool, onlyList: String?) async throws {
        let onlyError = "--only applies to the engine, trace and compare suites"
        switch suite {
        case "engine":
            let only = try onlyList.map(parseGroups) ?? Set(EngineSuite.Group.allCases)
            try await EngineSuite.runAll(EngineSuite.Config(quick: quick, groups: only))
        case "trace":
            var config = TraceSuite.Config(quick: quick)
            if let onlyList {
                config.groups = Set(
                    onlyList.split(separator: ",").map { name in
                        guard let group = TraceSuite.Group(rawValue: String(name)) else {
                            usageError("unknown trace group '\(name)'")
                        }
                        return group
                    })
            }
            try await TraceSuite.runAll(config)
        case "progress":
            guard onlyList == nil else { usageError(onlyError) }
            try await ProgressSuite.runAll(ProgressSuite.Config(quick: quick))
        case "telemetry":
            guard onlyList == nil else { usageError(onlyError) }
            try await TelemetrySuite.runAll(TelemetrySuite.Config(quick: quick))
        case "monitor":
            guard onlyList == nil else { usageError(onlyError) }
            try await MonitorSuite.runAll(MonitorSuite.Config(quick: quick))
        case "live":
            guard onlyList == nil else { usageError(onlyError) }
            try await LiveSuite.runAll(LiveSuite.Config(quick: quick))
        case "compare":
            var config = CompareSuite.Config(quick: quick)
            if let onlyList {
                config.only = onlyList.split(separator: ",").map(String.init)
                guard !config.only.isEmpty else { usageError("--only needs at least one name part") }
            }
            try await CompareSuite.runAll(config)
        default:
            usageError("unknown suite '\(suite)'")
        }
    }

    static func parseGroups(_ list: String) throws -> Set<EngineSuite.Group> {
        var groups = Set<EngineSuite.Group>()
        for name in list.split(separator: ",") {
            guard let group = EngineSuite.Group(rawValue: String(name)) else {
                usageError("unknown group '\(name)'")
            }
            groups.insert(group)
        }
        return groups
    }

    static func usageError(_ message: String) -> Never {
        Harness.log("hypernodes-bench: \(message)\n\n\(usage)")
        exit(2)
    }
}

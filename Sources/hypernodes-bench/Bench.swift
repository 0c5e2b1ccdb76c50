import Foundation

/// `hypernodes-bench`: performance figures of the HyperNodes engine.
///
/// Prints one `name value unit` line per figure on stdout; progress and
/// sample spreads go to stderr. See docs/benchmarks.md.
@main
struct HyperNodesBench {
    static let usage = """
        usage: hypernodes-bench engine [--quick] [--only GROUP[,GROUP...]]
               hypernodes-bench trace [--quick] [--only GROUP[,GROUP...]]
               hypernodes-bench progress [--quick]
               hypernodes-bench telemetry [--quick]
               hypernodes-bench monitor [--quick]
               hypernodes-bench live [--quick]
               hypernodes-bench profile WORKLOAD [--seconds S]

          engine        run the engine suite (run/map/event figures)
          --quick       fewer repetitions and smaller batches (smoke test)
          --only GROUPS measure only these groups: chain, map3, emit, overhead, cache
          trace         run the trace suite (recorder and reader throughput, overheads);
                        groups: record, read, overhead, collector, demo
          progress      run the progress suite (ProgressCallback in tty mode against no callbacks)
          telemetry     run the telemetry suite (TelemetryCallback span costs)
          monitor       run the monitor suite (a million-span trace: load, memory, seek, frames)
          live          run the live suite (live server overhead next to the recorder, latency, memory)
          profile       loop one workload for S seconds (default 5), for a profiler;
                        workloads: chain, chain-callbacks, map3, map3-callbacks, cache-hit
          -h, --help    show this help

        Prints one line per figure, `name value unit`, on stdout; each value is
        a median over repeated samples. Diagnostics go to stderr.
        """

    static func main() async throws {
        var suite: String?
        var quick = false
        var only: Set<EngineSuite.Group>?
        var onlyList: String?
        var workload: ProfileSuite.Workload?
        var seconds: Double?
        var args = CommandLine.arguments.dropFirst()[...]
        while let arg = args.popFirst() {
            switch arg {
            case "engine" where suite == nil, "trace" where suite == nil, "progress" where suite == nil,
                "telemetry" where suite == nil, "monitor" where suite == nil, "live" where suite == nil:
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
        if let onlyList, suite == "engine" { only = try parseGroups(onlyList) }
        if suite == "progress" {
            guard onlyList == nil else { usageError("--only applies to the engine and trace suites") }
            try await ProgressSuite.runAll(ProgressSuite.Config(quick: quick))
            return
        }
        if suite == "profile" {
            guard onlyList == nil, !quick else { usageError("--only and --quick apply to the engine and trace suites") }
            try await ProfileSuite.run(workload!, seconds: seconds ?? 5)
            return
        }
        if suite == "monitor" {
            guard onlyList == nil else { usageError("--only applies to the engine and trace suites") }
            try await MonitorSuite.runAll(MonitorSuite.Config(quick: quick))
            return
        }
        if suite == "live" {
            guard onlyList == nil else { usageError("--only applies to the engine and trace suites") }
            try await LiveSuite.runAll(LiveSuite.Config(quick: quick))
            return
        }
        if suite == "telemetry" {
            guard onlyList == nil else { usageError("--only applies to the engine and trace suites") }
            try await TelemetrySuite.runAll(TelemetrySuite.Config(quick: quick))
            return
        }
        if suite == "trace" {
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
            return
        }
        let config = EngineSuite.Config(quick: quick, groups: only ?? Set(EngineSuite.Group.allCases))
        // The suite runs in nonisolated async code: calling `run` from the
        // main actor would add executor hops to every measured call.
        try await EngineSuite.runAll(config)
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

import Foundation
import HyperNodes

/// The long-running demo: analysis of the logs of a fleet of hosts.
///
/// ```
/// longrun
/// ├─ plan_batches       seed, file_count, batch_count, lines_per_file → batches
/// ├─ build_baseline     seed → baseline                        (cached, pinned code version)
/// ├─ analyze_hosts      map over batches → host_reports        (nested pipeline `host_analysis`)
/// │  ├─ list_files      batch → files
/// │  ├─ analyze_files   map over files → file_reports          (nested pipeline `file_analysis`)
/// │  │  ├─ read_log     file, pace_ms → lines                  (waits pace_ms, then generates the file)
/// │  │  ├─ parse_log    lines → parsed
/// │  │  └─ summarize_log  file, parsed, baseline → file_report
/// │  └─ merge_host      batch, file_reports → host_report
/// └─ report             host_reports, baseline → fleet_report
/// ```
///
/// Damaged files are read leniently here and quarantined; ``strictCheck()`` then
/// reads each of them strictly, in a run of its own that fails at the first bad
/// line (a failing map item would stop the whole map).
enum LongRunPipeline {
    /// The code version of the cached `build_baseline` node: change it when
    /// ``LatencyBaseline/build(seed:)`` or the log format changes.
    static let baselineCodeVersion = "longrun.build_baseline.v1"
    /// The output that holds the ``FleetReport``.
    static let reportOutput = Output<FleetReport>("fleet_report")

    /// Builds the pipeline with its inputs bound.
    ///
    /// - Parameters:
    ///   - files: The number of log files.
    ///   - batches: The number of hosts the files are spread over.
    ///   - linesPerFile: The nominal number of lines per file (±25 %).
    ///   - seed: Fixes every file.
    ///   - pace: How long `read_log` waits before reading each file.
    ///   - cache: Where `build_baseline` is cached, or `nil`.
    ///   - callbacks: Observers of the run.
    ///   - maxConcurrency: The most items of each map processed at once.
    static func make(
        files: Int, batches: Int, linesPerFile: Int, seed: UInt64, pace: Duration, cache: (any CacheStore)?,
        callbacks: [any PipelineCallback], maxConcurrency: Int
    ) throws -> Pipeline {
        let fileAnalysis = try Pipeline(
            nodes: [readLogNode, parseLogNode, summarizeLogNode], name: "file_analysis")
        let analyzeFiles = try fileAnalysis.asNode(
            name: "analyze_files",
            inputMapping: ["files": "file"],
            outputMapping: ["file_report": "file_reports"],
            mapOver: ["files"])
        let hostAnalysis = try Pipeline(nodes: [listFilesNode, analyzeFiles, mergeHostNode], name: "host_analysis")
        let analyzeHosts = try hostAnalysis.asNode(
            name: "analyze_hosts",
            inputMapping: ["batches": "batch"],
            outputMapping: ["host_report": "host_reports"],
            mapOver: ["batches"])
        var pipeline = try Pipeline(
            nodes: [planBatchesNode, buildBaselineNode, analyzeHosts, reportNode],
            name: "longrun",
            cache: cache,
            callbacks: callbacks,
            maxConcurrency: maxConcurrency)
        try pipeline.bind([
            "seed": seed,
            "file_count": files,
            "batch_count": batches,
            "lines_per_file": linesPerFile,
            "pace_ms": milliseconds(pace),
        ])
        return pipeline
    }

    /// The pipeline that reads one file strictly: run it with the input `file`.
    static func strictCheck(
        pace: Duration, cache: (any CacheStore)?, callbacks: [any PipelineCallback]
    ) throws -> Pipeline {
        var pipeline = try Pipeline(
            nodes: [readLogNode, validateLogNode], name: "strict_check", cache: cache, callbacks: callbacks)
        try pipeline.bind(["pace_ms": milliseconds(pace)])
        return pipeline
    }

    /// The report in a result of the pipeline.
    static func fleetReport(of result: PipelineResult) throws -> FleetReport {
        try result.value(reportOutput.name, as: FleetReport.self)
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        Int((duration / .milliseconds(1)).rounded())
    }

    // MARK: Nodes

    // Nodes cache by default; every node but build_baseline opts out.

    /// Spreads the files over the hosts.
    @Node(output: "batches", name: "plan_batches", cache: false)
    static func planBatches(seed: UInt64, file_count files: Int, batch_count batches: Int, lines_per_file lines: Int)
        -> [LogBatch]
    {
        LogBatch.plan(seed: seed, fileCount: files, batchCount: batches, linesPerFile: lines)
    }

    /// Builds the latency baseline from a reference sample: the expensive, cached step.
    /// Its work is done by ``LatencyBaseline/build(seed:)``, which the source digest of
    /// this function does not cover, so the code version is pinned.
    @Node(output: "baseline", name: "build_baseline", codeVersion: baselineCodeVersion)
    static func buildBaseline(seed: UInt64) -> LatencyBaseline {
        LatencyBaseline.build(seed: seed)
    }

    /// The files of one host.
    @Node(output: "files", name: "list_files", cache: false)
    static func listFiles(batch: LogBatch) -> [LogFileSpec] {
        batch.files
    }

    /// Reads one file: waits `pace_ms` (a sleep, so it keeps no core busy), then
    /// generates the file's lines.
    @Node(output: "lines", name: "read_log", cache: false)
    static func readLog(file: LogFileSpec, pace_ms pace: Int) async throws -> [String] {
        if pace > 0 { try await Task.sleep(for: .milliseconds(pace)) }
        return LogGenerator.lines(of: file)
    }

    /// Parses every line, skipping the malformed ones.
    @Node(output: "parsed", name: "parse_log", cache: false)
    static func parseLog(lines: [String]) -> ParsedLog {
        LogParser.parse(lines)
    }

    /// Analyses one parsed file.
    @Node(output: "file_report", name: "summarize_log", cache: false)
    static func summarizeLog(file: LogFileSpec, parsed: ParsedLog, baseline: LatencyBaseline) -> FileReport {
        FileReport.analyse(file: file, parsed: parsed, baseline: baseline)
    }

    /// Merges the reports of one host's files.
    @Node(output: "host_report", name: "merge_host", cache: false)
    static func mergeHost(batch: LogBatch, file_reports reports: [FileReport]) -> HostReport {
        HostReport.merge(batch: batch, reports: reports)
    }

    /// Merges the host reports.
    @Node(output: reportOutput.name, name: "report", cache: false)
    static func report(host_reports hosts: [HostReport], baseline: LatencyBaseline) -> FleetReport {
        FleetReport.merge(hosts: hosts, baseline: baseline)
    }

    /// Reads one file strictly: throws ``LogFormatError`` at the first malformed line.
    @Node(output: "line_count", name: "validate_log", cache: false)
    static func validateLog(file: LogFileSpec, lines: [String]) throws -> Int {
        try LogParser.validate(lines, path: file.path)
    }
}

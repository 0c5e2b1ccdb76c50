import HyperNodes

/// The span trees of every run in a trace, built from its records.
///
/// Building is robust to damaged input: events of spans that never started,
/// parents missing from the trace (the span is attached to the run's root),
/// span ids used twice, records of runs without a header. Spans a truncated
/// trace leaves open end at their run's last timestamp and are marked
/// unfinished. Nothing in a trace makes building fail; what had to be
/// repaired is listed in ``issues``.
///
/// ```swift
/// let model = try TraceModel(path: "run.jsonl")
/// for run in model.runs {
///     print(run.name, run.status, run.duration, run.totals.nodes)
/// }
/// ```
public struct TraceModel: Sendable, Hashable {
    /// The runs, in the order their first record appears.
    public var runs: [TraceRun]
    /// Lines the reader could not read (empty when built from records).
    public var problems: [TraceProblem]

    /// Creates a model from runs.
    public init(runs: [TraceRun], problems: [TraceProblem] = []) {
        self.runs = runs
        self.problems = problems
    }

    /// Builds the model of `records`, given in file order.
    public init(records: some Sequence<TraceRecord>) {
        var builder = TraceModelBuilder()
        for record in records { builder.add(record) }
        self = builder.model
    }

    /// Reads every remaining record of `reader` (its header included) and
    /// builds their model, keeping the reader's problems.
    public init(reader: TraceReader) {
        var builder = TraceModelBuilder()
        builder.add(.header(reader.header), line: 1)
        var problems: [TraceProblem] = []
        for element in reader {
            switch element {
            case .record(let record, let line): builder.add(record, line: line)
            case .problem(let problem): problems.append(problem)
            }
        }
        self = builder.model
        self.problems = problems
    }

    /// Reads the trace at `path` and builds its model.
    ///
    /// - Throws: ``TraceReadError`` when the file cannot be read or is not a trace.
    public init(path: String) throws {
        self.init(reader: try TraceReader(path: path))
    }

    /// What was inconsistent in the runs' records, run by run.
    public var issues: [TraceModelIssue] { runs.flatMap(\.issues) }

    /// The totals of all runs.
    public var totals: RunTotals { runs.reduce(RunTotals()) { $0 + $1.totals } }

    /// The earliest wall-clock start of the runs that have a header, in ns
    /// since 1970 (0 when none has). Exporters place runs relative to it.
    public var earliestStart: UInt64 {
        runs.compactMap { $0.header?.startTime }.min() ?? 0
    }
}

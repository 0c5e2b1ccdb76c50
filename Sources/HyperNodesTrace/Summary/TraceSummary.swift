import HyperNodes

/// The text of `hypernodes summary`: per run, a header, a tree of
/// pipelines and nodes (status, duration, self time, cache hits, map counts
/// and throughput), a character waterfall, totals and the repairs made to a
/// damaged trace.
///
/// Pure functions of the model and the options: no terminal control codes
/// (control characters in names are replaced) unless ``Options/color`` asks
/// for the waterfall's colours, every line at most ``Options/width`` cells
/// wide, measured by display width (colour codes take no cells).
///
/// ```swift
/// let model = try TraceModel(path: "run.jsonl")
/// print(TraceSummary.render(model, width: 100), terminator: "")
/// ```
public enum TraceSummary {
    /// What to show and how wide.
    public struct Options: Sendable, Hashable {
        /// The width in terminal cells (at least 20).
        public var width: Int
        /// Tree levels shown before deeper spans are summed up in one line.
        public var treeDepth: Int
        /// Children shown under one span before the rest are summed up in one line.
        public var treeChildren: Int
        /// Waterfall rows: spans at most this deep…
        public var waterfallDepth: Int
        /// …and at most this many rows.
        public var waterfallRows: Int
        /// Issues of a damaged trace listed per run.
        public var issues: Int
        /// Whether the waterfall's markers and bars are coloured with ANSI SGR
        /// codes per ``WaterfallState``; everything else stays plain text.
        /// The caller decides (a terminal, `NO_COLOR`): the summary never does.
        public var color: Bool

        /// Creates options.
        public init(
            width: Int = 100, treeDepth: Int = 12, treeChildren: Int = 100, waterfallDepth: Int = 6,
            waterfallRows: Int = 40, issues: Int = 10, color: Bool = false
        ) {
            self.width = width
            self.treeDepth = treeDepth
            self.treeChildren = treeChildren
            self.waterfallDepth = waterfallDepth
            self.waterfallRows = waterfallRows
            self.issues = issues
            self.color = color
        }
    }

    /// The narrowest width rendered; narrower requests are widened to it.
    public static let minimumWidth = 20

    /// The summary of `model`, `width` cells wide, each line ending in a newline.
    public static func render(_ model: TraceModel, width: Int = 100) -> String {
        render(model, options: Options(width: width))
    }

    /// The summary of `model` with `options`, each line ending in a newline.
    public static func render(_ model: TraceModel, options: Options) -> String {
        let width = max(minimumWidth, options.width)
        // Finished lines: plain ones are finished as they are added, the waterfall finishes its own.
        var lines: [String] = []
        func add(_ plain: [String]) { lines += plain.map { finish($0, width: width) } }
        if model.runs.isEmpty { add(["The trace holds no runs."]) }
        for (position, run) in model.runs.enumerated() {
            if position > 0 { add([""]) }
            add(header(of: run, position: position, of: model.runs.count, width: width))
            add([""])
            add(tree(of: run, width: width, depth: options.treeDepth, children: options.treeChildren))
            add(["", "Waterfall"])
            lines += TraceWaterfall.lines(
                of: run,
                options: TraceWaterfall.Options(
                    width: width, maximumDepth: options.waterfallDepth, maximumRows: options.waterfallRows,
                    color: options.color))
            add([""])
            add(wrap("Totals:", totals(run.totals, duration: run.duration), width: width))
            add(issues(of: run, limit: options.issues, width: width))
        }
        if model.runs.count > 1 {
            add([""])
            let all = model.runs.reduce(UInt64(0)) { $0 + $1.duration }
            add(wrap("All \(model.runs.count) runs:", totals(model.totals, duration: all), width: width))
        }
        if !model.problems.isEmpty {
            add([""])
            let first = model.problems[0]
            add(
                DisplayWidth.wrap(
                    "\(SummaryFormat.count(model.problems.count, "line")) could not be read and "
                        + "\(model.problems.count == 1 ? "was" : "were") skipped; the first, \(first)", to: width,
                    indent: "  "))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A line cut to `width`, with control characters replaced and trailing spaces removed.
    static func finish(_ line: String, width: Int) -> String {
        var text = DisplayWidth.truncate(DisplayWidth.printable(line), to: width)
        while text.last == " " { text.removeLast() }
        return text
    }

    /// The title of run `position` (from 0) of `count` runs.
    static func title(of run: TraceRun, position: Int, of count: Int) -> String {
        "\(count > 1 ? "Run \(position + 1) of \(count)" : "Run"): \(run.name)"
    }

    private static func header(of run: TraceRun, position: Int, of count: Int, width: Int) -> [String] {
        var lines = [title(of: run, position: position, of: count), "  id       \(hex(run.runID))"]
        if let header = run.header {
            lines.append("  started  \(SummaryFormat.wallClock(header.startTime))")
            let process = header.process
            let executable = process.executable.split(separator: "/").last.map(String.init) ?? process.executable
            let command = ([executable] + process.arguments).joined(separator: " ")
            lines.append("  process  \(process.pid) on \(process.hostName): \(command)")
        } else {
            lines.append("  started  unknown (the trace has no header for this run)")
        }
        let outcome: String
        if run.end != nil {
            outcome = "\(run.status) in \(SummaryFormat.duration(run.duration))"
        } else {
            outcome =
                "unfinished: the trace stops at \(SummaryFormat.duration(run.duration)) without the run's end "
                + "(recording interrupted, or the run is still going)"
        }
        lines += DisplayWidth.wrap("  outcome  \(outcome)", to: width, indent: "           ")
        return lines
    }

    private static func totals(_ totals: RunTotals, duration: UInt64) -> [String] {
        var parts = [
            SummaryFormat.count(totals.spans, "span"),
            "\(SummaryFormat.count(totals.nodes, "node")) run",
            "\(SummaryFormat.count(totals.cachedNodes)) cached",
            // Failed spans, not failures: one error fails its node and every span around it
            // (the errors part below counts failures at their origin).
            totals.failed == 0 ? "0 failed" : "\(SummaryFormat.count(totals.failed, "span")) failed",
        ]
        if totals.maps > 0 {
            parts.append(SummaryFormat.count(totals.maps, "map"))
            parts.append(SummaryFormat.count(totals.mapItems, "item"))
        }
        if totals.errors > 0 { parts.append(SummaryFormat.count(totals.errors, "error")) }
        if totals.cancelled > 0 { parts.append("\(SummaryFormat.count(totals.cancelled)) cancelled") }
        if totals.unfinished > 0 { parts.append("\(SummaryFormat.count(totals.unfinished)) unfinished") }
        parts.append(SummaryFormat.duration(duration))
        return parts
    }

    /// `title` and `parts` joined by ` · `, wrapped to `width` with an indent.
    private static func wrap(_ title: String, _ parts: [String], width: Int) -> [String] {
        var lines: [String] = []
        var current = title
        for part in parts {
            let separator = current == title ? " " : " · "
            if DisplayWidth.of(current) + DisplayWidth.of(separator) + DisplayWidth.of(part) <= width {
                current += separator + part
            } else {
                lines.append(current)
                current = "  " + part
            }
        }
        lines.append(current)
        return lines
    }

    private static func issues(of run: TraceRun, limit: Int, width: Int) -> [String] {
        guard !run.issues.isEmpty else { return [] }
        var lines = ["Repairs to a damaged trace:"]
        for issue in run.issues.prefix(limit) {
            lines += DisplayWidth.wrap("  \(issue)", to: width, indent: "    ")
        }
        if run.issues.count > limit { lines.append("  … and \(run.issues.count - limit) more") }
        return lines
    }

    // MARK: - Tree layout

    private static let timeWidth = 8

    private static func tree(of run: TraceRun, width: Int, depth: Int, children: Int) -> [String] {
        let roots = SummaryTree(run: run, maximumDepth: depth, maximumChildren: children).rows()
        guard !roots.isEmpty else { return ["(no spans recorded)"] }
        var entries: [(name: String, continuation: String, row: SummaryTree.Row)] = []
        // Depth-first with an explicit stack; the tree's depth is bounded by `depth` anyway.
        var stack: [(row: SummaryTree.Row, prefix: String, continuation: String)] = roots.reversed().map {
            ($0, "", "")
        }
        while let (row, prefix, continuation) = stack.popLast() {
            entries.append((prefix + row.label, continuation, row))
            for (offset, child) in row.children.enumerated().reversed() {
                let isLast = offset == row.children.count - 1
                stack.append((child, continuation + (isLast ? "└ " : "├ "), continuation + (isLast ? "  " : "│ ")))
            }
        }
        let wide = width >= 72
        let statusWidth = max(6, entries.map { DisplayWidth.of($0.row.status) }.max() ?? 0)
        let fixed = 1 + statusWidth + 1 + timeWidth + (wide ? 1 + timeWidth : 0)
        let longest = entries.map { DisplayWidth.of($0.name) }.max() ?? 4
        let nameWidth =
            wide ? max(16, min(longest, width - fixed - 2 - 24)) : max(8, width - fixed)
        let detailsWidth = width - nameWidth - fixed - 2

        func columns(_ name: String, _ status: String, _ time: String, _ selfTime: String) -> String {
            var line =
                DisplayWidth.fit(name, to: nameWidth) + " " + DisplayWidth.fit(status, to: statusWidth) + " "
                + DisplayWidth.fit(time, to: timeWidth, alignRight: true)
            if wide { line += " " + DisplayWidth.fit(selfTime, to: timeWidth, alignRight: true) }
            return line
        }

        var lines = [columns("span", "status", "time", "self") + (wide ? "  details" : "")]
        for (name, continuation, row) in entries {
            let time = row.time.map(SummaryFormat.duration) ?? ""
            let selfTime = row.selfTime.map(SummaryFormat.duration) ?? ""
            var details = row.details
            if !wide, let own = row.selfTime, let total = row.time, own != total, !row.children.isEmpty {
                details.insert("self \(selfTime)", at: 0)
            }
            var line = columns(name, row.status, time, selfTime)
            let detailPrefix = continuation + (row.children.isEmpty ? "  " : "│ ")
            if wide {
                let wrapped = details.flatMap { DisplayWidth.wrap($0, to: detailsWidth, at: " · ", indent: "  ") }
                if let first = wrapped.first { line += "  " + first }
                lines.append(line)
                for detail in wrapped.dropFirst() {
                    lines.append(DisplayWidth.fit(detailPrefix, to: nameWidth + fixed) + "  " + detail)
                }
            } else {
                lines.append(line)
                let room = width - DisplayWidth.of(detailPrefix) - 2
                for detail in details {
                    for part in DisplayWidth.wrap(detail, to: room, at: " · ", indent: "  ") {
                        lines.append(detailPrefix + "  " + part)
                    }
                }
            }
        }
        return lines
    }
}

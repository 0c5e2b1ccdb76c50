import HyperNodes

/// The character waterfall of a trace: the section `hypernodes summary`
/// prints under "Waterfall", on its own. Per run, a time axis, then one row
/// per span (down to a depth and a row limit) with a bar placed by time; the
/// items of a map share one row, shaded by how many ran at once; a legend.
///
/// The summary draws its waterfall through ``lines(of:options:)``, so both
/// show the same text. Plain text by default, every line at most
/// ``Options/width`` cells wide; with ``Options/color``, markers and bars
/// carry ANSI SGR colours per ``WaterfallState`` (the legend says which).
/// Whether colour suits the output (a terminal, `NO_COLOR`) is the caller's
/// decision.
///
/// ```swift
/// let model = try TraceModel(path: "run.jsonl")
/// print(TraceWaterfall.render(model, width: 80), terminator: "")
/// ```
public enum TraceWaterfall {
    /// How wide, how much and whether in colour.
    public struct Options: Sendable, Hashable {
        /// The width in terminal cells; narrower than
        /// ``TraceSummary/minimumWidth`` is widened to it.
        public var width: Int
        /// Spans at most this deep get a row (deeper ones are counted in one line).
        public var maximumDepth: Int
        /// At most this many rows per run (the rest are counted in one line).
        public var maximumRows: Int
        /// Whether markers and bars are coloured with ANSI SGR codes.
        public var color: Bool

        /// Creates options; the defaults are those of `hypernodes summary`.
        public init(width: Int = 100, maximumDepth: Int = 6, maximumRows: Int = 40, color: Bool = false) {
            self.width = width
            self.maximumDepth = maximumDepth
            self.maximumRows = maximumRows
            self.color = color
        }
    }

    /// The waterfall of every run in `model`, `width` cells wide, each line
    /// ending in a newline; coloured when `color` is set.
    public static func render(_ model: TraceModel, width: Int = 100, color: Bool = false) -> String {
        render(model, options: Options(width: width, color: color))
    }

    /// The waterfall of every run in `model` with `options`, each line ending
    /// in a newline. A model of one run gives its waterfall alone; with several,
    /// each is titled like in the summary (`Run 2 of 3: name`) and separated
    /// from the next by an empty line.
    public static func render(_ model: TraceModel, options: Options) -> String {
        let width = max(TraceSummary.minimumWidth, options.width)
        guard !model.runs.isEmpty else { return "The trace holds no runs.\n" }
        var lines: [String] = []
        for (position, run) in model.runs.enumerated() {
            if model.runs.count > 1 {
                if position > 0 { lines.append("") }
                lines.append(
                    TraceSummary.finish(
                        TraceSummary.title(of: run, position: position, of: model.runs.count), width: width))
            }
            lines += self.lines(of: run, options: options)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The waterfall of `run`: its lines without line ends, the same ones the
    /// summary prints under "Waterfall".
    public static func lines(of run: TraceRun, options: Options) -> [String] {
        Waterfall(
            run: run, width: max(TraceSummary.minimumWidth, options.width), maximumDepth: options.maximumDepth,
            maximumRows: options.maximumRows, color: options.color
        ).lines()
    }
}

import HyperNodes

// Rendering from code, through the code paths of the `hypernodes` commands:
// the text of `summary`, its character waterfall, and the page of
// `export --format html`, of the runs a collector kept.

extension TraceCollector {
    /// The text `hypernodes summary` prints for the kept runs (every run, then
    /// totals over all of them), `width` cells wide, each line ending in a
    /// newline: ``TraceSummary/render(_:width:)`` of ``model``.
    public func summary(width: Int = 100) -> String {
        TraceSummary.render(model, width: width)
    }

    /// The character waterfall of the kept runs, `width` cells wide, each line
    /// ending in a newline: the summary's waterfall section
    /// (``TraceWaterfall/render(_:width:color:)`` of ``model``), each run titled
    /// when there are several. Plain text unless `color`, then ANSI SGR colours
    /// per ``WaterfallState``; whether the output suits colour (a terminal,
    /// `NO_COLOR`) is the caller's decision.
    public func waterfall(width: Int = 100, color: Bool = false) -> String {
        TraceWaterfall.render(model, width: width, color: color)
    }

    /// The self-contained HTML waterfall page of the kept runs, the one
    /// `hypernodes export FILE --format html` writes for the file
    /// ``write(to:)`` writes: ``HTMLWaterfallExporter`` on ``model``.
    /// `title` is the page's title (default: the runs' pipeline names).
    public func html(title: String? = nil) -> String {
        String(decoding: HTMLWaterfallExporter(title: title).export(model), as: UTF8.self)
    }
}

extension CollectedRun {
    /// The text `hypernodes summary` prints for this run alone, `width` cells
    /// wide: ``TraceSummary/render(_:width:)`` of ``model``.
    public func summary(width: Int = 100) -> String {
        TraceSummary.render(model, width: width)
    }

    /// The character waterfall of this run, `width` cells wide, each line
    /// ending in a newline: the summary's waterfall section
    /// (``TraceWaterfall/render(_:width:color:)`` of ``model``). Plain text
    /// unless `color`, then ANSI SGR colours per ``WaterfallState``.
    public func waterfall(width: Int = 100, color: Bool = false) -> String {
        TraceWaterfall.render(model, width: width, color: color)
    }

    /// The self-contained HTML waterfall page of this run alone:
    /// ``HTMLWaterfallExporter`` on ``model``. `title` is the page's title
    /// (default: the pipeline's name).
    public func html(title: String? = nil) -> String {
        String(decoding: HTMLWaterfallExporter(title: title).export(model), as: UTF8.self)
    }
}

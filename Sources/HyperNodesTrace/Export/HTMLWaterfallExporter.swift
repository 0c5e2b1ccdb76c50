import HyperNodes

/// Writes a trace as one self-contained HTML page: a waterfall per run, for
/// people who would rather look than read.
///
/// Each run gets a section with its pipeline, status, start time, duration
/// and counts, a time axis with 1-2-5 ticks that stays in view while the
/// rows scroll, and one row per span in tree order — the rows the monitor's
/// waterfall shows for the same run, with nothing collapsed. A row's bar is
/// solid where the span ran itself and pale where its children ran. The
/// states ok, cached, failed, unfinished (still running, or cut off, when
/// the trace ends) and cancelled each have a colour from a palette that
/// stays distinct for colour-blind readers, and also a fill pattern or shape
/// and a glyph (`✓ ⚡ ✗ ◌ ⊘`), explained in a legend. A map's items are
/// folded into one row that shows how many ran at once and where items
/// failed; a click opens one row per worker lane with the items as bars.
/// Hovering a row or an item shows its name, kind, times, status, cache
/// hits, item index, attributes and error. Dragging across a run's time axis
/// zooms its rows into that window; a double-click shows the whole run again.
///
/// The page needs nothing else: inline CSS, inline SVG and a small inline
/// script, no network access. Everything taken from the trace (names,
/// attributes, errors) is escaped. Without the script the page still shows
/// every row, with the browser's own tooltips; only opening lanes and
/// zooming need it.
/// Opening the page with `#expand=all` in its address opens every map.
///
/// ## Size
/// The page grows with the pipeline's shape, not with the number of map
/// items: at most 5,000 rows per run; a map's collapsed row is a couple of
/// SVG paths over 240 buckets; its lanes (kept in a `<template>`, so they
/// are not part of the page until opened) list items one by one only when
/// the map has at most 1,500 items, and are otherwise drawn as a few paths
/// over 600 columns per lane, for at most 256 lanes. A map of 100,000 items
/// adds a few tens of kilobytes.
///
/// ```swift
/// let model = try TraceModel(path: "run.jsonl")
/// let page = HTMLWaterfallExporter(title: "Nightly import").export(model)
/// ```
public struct HTMLWaterfallExporter: Sendable {
    /// The page's title; `nil` names it after the runs' pipelines.
    public var title: String?

    /// Creates an exporter whose page is called `title` (by default, after the runs' pipelines).
    public init(title: String? = nil) {
        self.title = title
    }

    /// The HTML page for `model`, in UTF-8.
    public func export(_ model: TraceModel) -> [UInt8] {
        Array(document(model).utf8)
    }

    /// The page's title for `model`.
    func pageTitle(_ model: TraceModel) -> String {
        if let title { return title }
        var names: [String] = []
        for run in model.runs where !names.contains(run.name) { names.append(run.name) }
        if names.isEmpty { return "Trace waterfall" }
        let shown = names.prefix(3).joined(separator: ", ") + (names.count > 3 ? ", …" : "")
        return "\(shown) · waterfall"
    }

    private func document(_ model: TraceModel) -> String {
        let title = HTMLWaterfallText.escapeLine(pageTitle(model))
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n"
        out +=
            "<meta name=\"color-scheme\" content=\"light\">\n<meta name=\"generator\" content=\"hypernodes\">\n<title>\(title)</title>\n"
        out += "<style>\n\(HTMLWaterfallAssets.css)\n</style>\n</head>\n<body>\n"
        out += HTMLWaterfallAssets.definitions + "\n<div class=\"page\">\n<header>\n<h1>\(title)</h1>\n"
        out += "<p class=\"sub\">\(subtitle(model))</p>\n"
        out += "<div class=\"bar-tools\">" + legend() + "<div class=\"tools\">"
        out += "<button type=\"button\" data-expand=\"all\">Open all maps</button>"
        out += "<button type=\"button\" data-expand=\"none\">Close all</button></div></div>\n"
        if !model.problems.isEmpty {
            out += "<details class=\"issues\"><summary>\(SummaryFormat.count(model.problems.count, "line"))"
            out += " of the file could not be read and \(model.problems.count == 1 ? "was" : "were") skipped"
            out += "</summary><ul>"
            for problem in model.problems.prefix(HTMLWaterfallSection.maximumIssues) {
                out += "<li>\(HTMLWaterfallText.escape(problem.description))</li>"
            }
            if model.problems.count > HTMLWaterfallSection.maximumIssues {
                out +=
                    "<li>… \(SummaryFormat.count(model.problems.count - HTMLWaterfallSection.maximumIssues)) more</li>"
            }
            out += "</ul></details>\n"
        }
        let sections = model.runs.enumerated().map { HTMLWaterfallSection(run: $0.element, position: $0.offset) }
        if sections.count > 1 {
            out += "<ul class=\"runs\">"
            for section in sections {
                out += "<li><a href=\"#\(section.anchor)\">\(section.state.glyph) "
                out += "\(HTMLWaterfallText.escapeLine(section.run.name))</a> "
                out += "<span class=\"t\">\(HTMLWaterfallText.duration(section.run.duration))</span></li>"
            }
            out += "</ul>\n"
        }
        out += "</header>\n<main>\n"
        if sections.isEmpty {
            out += "<p class=\"empty\">This trace holds no runs.</p>\n"
        }
        for section in sections { out += section.html() }
        out += "</main>\n<footer>Written by <code>hypernodes export --format html</code>. "
        out += "Times count from each run's start; hover a row for its details.</footer>\n</div>\n"
        out += "<script>\n\(HTMLWaterfallAssets.script)\n</script>\n</body>\n</html>\n"
        return out
    }

    private func subtitle(_ model: TraceModel) -> String {
        let totals = model.totals
        var parts = [SummaryFormat.count(model.runs.count, "run"), SummaryFormat.count(totals.spans, "span")]
        if let first = model.runs.compactMap(\.header).map(\.startTime).min() {
            parts.append("from \(SummaryFormat.wallClock(first))")
        }
        return "HyperNodes trace · " + parts.joined(separator: " · ")
    }

    private func legend() -> String {
        var out = "<div class=\"legend\" aria-label=\"Legend\">"
        for state in HTMLWaterfallState.allCases {
            out += "<span><svg class=\"sw\"><rect class=\"s-\(state.rawValue)\" x=\"0\" y=\"1\" width=\"34\" "
            out += "height=\"12\"/></svg><b class=\"g s-\(state.rawValue)\">\(state.glyph)</b> \(state.word)"
            out += "<span class=\"x\">\(state.meaning)</span></span>"
        }
        out += "<span><svg class=\"sw\"><rect class=\"s-ok ct\" x=\"0\" y=\"1\" width=\"34\" height=\"12\"/>"
        out += "<rect class=\"s-ok\" x=\"0\" y=\"1\" width=\"6\" height=\"12\"/></svg>children running</span>"
        out += "<span><svg class=\"sw\"><rect class=\"extent\" x=\"0\" y=\"6\" width=\"34\" height=\"2\"/>"
        out += "<path class=\"s-ok\" d=\"M0 13V8H6V3H14V1H22V6H30V13Z\" fill-opacity=\".8\"/>"
        out += "<path class=\"fails\" d=\"M26 0V14\"/></svg>map: items at once, "
        out += "<b class=\"g s-failed\">|</b> failed item</span>"
        out += "<span><svg class=\"sw\" viewBox=\"-17 0 34 14\"><path class=\"s-cached\" "
        out += "d=\"M0 1L6 7L0 13L-6 7Z\" style=\"fill:var(--cached)\"/></svg>no time (a cache hit)</span>"
        return out + "</div>"
    }
}

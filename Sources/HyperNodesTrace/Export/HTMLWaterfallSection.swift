import HyperNodes

/// One run's section of the HTML waterfall page: its header (pipeline,
/// status, start, duration, counts, what is wrong with the trace), a sticky
/// time axis, and the rows of ``HTMLWaterfallLayout`` with their bars.
struct HTMLWaterfallSection {
    /// The run drawn.
    let run: TraceRun
    /// The run's position in the model, for element ids.
    let position: Int
    /// The length of the time axis in nanoseconds, never zero.
    let total: UInt64

    /// The most repairs listed under a run's header.
    static let maximumIssues = 50

    init(run: TraceRun, position: Int) {
        self.run = run
        self.position = position
        total = max(1, max(run.duration, run.spans.map(\.end).max() ?? 0))
    }

    /// The element id of the section.
    var anchor: String { "run-\(position + 1)" }

    /// The state the run's badge shows.
    var state: HTMLWaterfallState {
        if run.end == nil && !(run.roots.first.map { run.spans[$0].isFinished } ?? false) { return .unfinished }
        switch run.status {
        case .ok: return .ok
        case .error: return .failed
        case .cancelled: return .cancelled
        case .cached: return .cached
        case .running: return .unfinished
        }
    }

    /// The section's HTML.
    func html() -> String {
        var out = "<section class=\"run\" id=\"\(anchor)\">\n"
        out += header()
        guard !run.spans.isEmpty else {
            return out
                + "<div class=\"wf\"><p class=\"empty\">No spans were recorded in this run.</p></div></section>\n"
        }
        let layout = HTMLWaterfallLayout(run: run)
        out += "<div class=\"wf\" data-total=\"\(total)\">\n" + axis() + "<div class=\"rows\">" + gridLines()
        for row in layout.rows {
            out += row.isMap && !HTMLWaterfallLayout.items(of: row.span, in: run).isEmpty ? mapRow(row) : spanRow(row)
        }
        out += "</div>\n"
        if layout.omitted > 0 {
            out += "<p class=\"more\">\(SummaryFormat.count(layout.omitted, "more span")) not drawn "
            out += "(at most \(SummaryFormat.count(HTMLWaterfallLayout.maximumRows)) rows per run).</p>\n"
        }
        return out + "</div>\n</section>\n"
    }

    // MARK: Header

    private func header() -> String {
        let state = state
        var out = "<header><h2><span class=\"badge s-\(state.rawValue)\">\(state.glyph) \(state.word)</span>"
        out += "<span class=\"n\">\(HTMLWaterfallText.escapeLine(run.name))</span></h2>\n<dl class=\"facts\">"
        func fact(_ term: String, _ value: String) {
            out += "<div><dt>\(term)</dt><dd>\(HTMLWaterfallText.escape(value))</dd></div>"
        }
        fact("started", run.header.map { SummaryFormat.wallClock($0.startTime) } ?? "unknown (no header)")
        fact("duration", HTMLWaterfallText.duration(run.duration))
        let totals = run.totals
        fact("spans", SummaryFormat.count(totals.spans))
        var nodes = "\(SummaryFormat.count(totals.nodes)) run"
        if totals.cachedNodes > 0 { nodes += " · \(SummaryFormat.count(totals.cachedNodes)) cached" }
        fact("nodes", nodes)
        if totals.maps > 0 {
            var maps = "\(SummaryFormat.count(totals.maps)) · \(SummaryFormat.count(totals.mapItems, "item")) done"
            let failed = run.maps.reduce(0) { $0 + $1.failed }
            if failed > 0 { maps += " · \(SummaryFormat.count(failed)) failed" }
            fact("maps", maps)
        }
        if totals.errors > 0 { fact("errors", SummaryFormat.count(totals.errors)) }
        if totals.unfinished > 0 { fact("unfinished", SummaryFormat.count(totals.unfinished, "span")) }
        if let process = run.header?.process {
            let program = process.executable.split(separator: "/").last.map(String.init) ?? process.executable
            fact("process", "\(program) (pid \(process.pid)) on \(process.hostName)")
        }
        fact("run", hex(run.runID))
        out += "</dl>\n"
        if run.end == nil {
            out += "<p class=\"note\">The trace ends before this run did (it was still running when the file was "
            out += "written, or was cut off by a crash)"
            if totals.unfinished > 0 {
                out += ": \(SummaryFormat.count(totals.unfinished, "span")) never closed; they are drawn "
                out += "unfinished, up to the run's last record at \(HTMLWaterfallText.offset(run.lastTimestamp))"
            }
            out += ".</p>\n"
        }
        if state == .failed, let failure = firstFailure() {
            out +=
                "<p class=\"note bad\">Failed in <b>\(HTMLWaterfallText.escapeLine(run.path(of: failure.span).joined(separator: " › ")))</b>"
            if let error = failure.error {
                out += ": \(HTMLWaterfallText.escape(error.type)): \(HTMLWaterfallText.escape(error.message))"
            }
            out += "</p>\n"
        }
        if !run.issues.isEmpty {
            out += "<details class=\"issues\"><summary>\(SummaryFormat.count(run.issues.count, "repair")) "
            out += "to this run's records</summary><ul>"
            for issue in run.issues.prefix(Self.maximumIssues) {
                out += "<li>\(HTMLWaterfallText.escape(issue.description))</li>"
            }
            if run.issues.count > Self.maximumIssues {
                out += "<li>… \(SummaryFormat.count(run.issues.count - Self.maximumIssues)) more</li>"
            }
            out += "</ul></details>\n"
        }
        return out + "</header>\n"
    }

    /// The deepest failed span on the first chain of failures from the top: where the run failed.
    private func firstFailure() -> (span: Int, error: ErrorInfo?)? {
        guard var span = run.roots.first(where: { run.spans[$0].failed }) else { return nil }
        while let next = run.spans[span].children.first(where: { run.spans[$0].failed }) {
            span = next
        }
        return (span, run.spans[span].error)
    }

    // MARK: Axis

    private func ticks() -> [UInt64] {
        let step = HTMLWaterfallText.tickStep(total: total)
        var ticks: [UInt64] = []
        var time: UInt64 = 0
        while time <= total && ticks.count < 100 {
            ticks.append(time)
            let (next, overflow) = time.addingReportingOverflow(step)
            if overflow { break }
            time = next
        }
        return ticks
    }

    private func axis() -> String {
        var out = "<div class=\"axis\"><div class=\"cap\"><span>time since the run started</span>"
        out += "<button class=\"reset\" type=\"button\" data-reset>whole run</button></div>"
        out += "<div class=\"ticks\" title=\"Drag across the axis to zoom in; double-click to see the whole run\">"
        for time in ticks() {
            let left = HTMLWaterfallText.percent(time, of: total)
            out += "<i style=\"left:\(left)%\"></i><span\(time == 0 ? " class=\"first\"" : "") "
            out += "style=\"left:\(left)%\">\(HTMLWaterfallText.escape(HTMLWaterfallText.tick(time)))</span>"
        }
        return out + "</div></div>\n"
    }

    private func gridLines() -> String {
        var out = "<div class=\"grid\" aria-hidden=\"true\">"
        for time in ticks() where time > 0 {
            out += "<i style=\"left:\(HTMLWaterfallText.percent(time, of: total))%\"></i>"
        }
        return out + "</div>\n"
    }

    // MARK: Rows

    private func label(
        depth: Int, toggle: String?, glyph: String, state: String, name: String, extra: String, time: String
    ) -> String {
        var out = "<div class=\"lab\" style=\"--d:\(min(depth, 24))\">"
        out += toggle ?? "<span class=\"nt\"></span>"
        out +=
            "<span class=\"g s-\(state)\">\(glyph)</span><span class=\"n\">\(HTMLWaterfallText.escapeLine(name))</span>"
        if !extra.isEmpty { out += "<span class=\"x\">\(extra)</span>" }
        return out + "<span class=\"t\">\(time)</span></div>"
    }

    private func durationText(_ span: TraceSpan) -> String {
        // A cache hit takes no time: its duration says nothing.
        span.duration == 0 && span.isCached ? "" : HTMLWaterfallText.duration(span.duration)
    }

    private func spanRow(_ row: HTMLWaterfallLayout.Row) -> String {
        let span = run.spans[row.span]
        let state = HTMLWaterfallState(span)
        var extra = span.kind == .nestedPipeline ? "nested" : ""
        // A map recorded without item spans: its counts come from its progress ticks.
        if span.kind == .map { extra = mapCounts(row.span, items: 0) }
        var out = "<div class=\"row k-\(span.kind.rawValue)\" data-state=\"\(state.rawValue)\" title=\""
        out += HTMLWaterfallText.escape(HTMLWaterfallTooltip.span(span, in: run)) + "\">"
        out += label(
            depth: row.depth, toggle: nil, glyph: state.glyph, state: state.rawValue, name: span.name, extra: extra,
            time: durationText(span))
        out += "<div class=\"chart\"><svg class=\"bar\">" + HTMLWaterfallBars.span(row.span, in: run, total: total)
        out += "</svg></div></div>\n"
        return out
    }

    /// A map's item count and failures, as HTML: `×30 4 failed`.
    private func mapCounts(_ map: Int, items: Int) -> String {
        let statistics = run.mapStatistics(of: map)
        var text = "×\(SummaryFormat.count(statistics?.items ?? items))"
        if let failed = statistics?.failed, failed > 0 {
            text += " <span class=\"bad\">\(SummaryFormat.count(failed)) failed</span>"
        }
        return text
    }

    private func mapRow(_ row: HTMLWaterfallLayout.Row) -> String {
        let span = run.spans[row.span]
        let state = HTMLWaterfallState(span)
        let drawing = HTMLWaterfallMap(run: run, map: row.span)
        let id = "r\(position)m\(row.span)"
        let extra = mapCounts(row.span, items: drawing.items.count)
        var out = "<div class=\"row map k-map\" data-map=\"\(id)\" data-state=\"\(state.rawValue)\" title=\""
        out += HTMLWaterfallText.escape(HTMLWaterfallTooltip.span(span, in: run)) + "\">"
        let toggle =
            "<button class=\"tog\" type=\"button\" aria-expanded=\"false\" "
            + "aria-label=\"Show the worker lanes of this map\"></button>"
        out += label(
            depth: row.depth, toggle: toggle, glyph: state.glyph, state: state.rawValue, name: span.name,
            extra: extra, time: durationText(span))
        out += "<div class=\"chart\"><svg class=\"bar\">" + drawing.densitySVG(total: total, state: state)
        if state == .failed {
            out +=
                "<text class=\"fx\" x=\"\(HTMLWaterfallText.percent(span.end, of: total))%\" dx=\"4\" y=\"16\">✗</text>"
        }
        out += "</svg></div></div>\n<template id=\"lanes-\(id)\">"
        let lanes = drawing.lanes
        for (lane, items) in lanes.prefix(HTMLWaterfallMap.maximumLanes) {
            var busy: UInt64 = 0
            var failed = 0
            for item in items {
                busy = busy.saturatingAdd(run.spans[item].duration)
                if run.spans[item].failed { failed += 1 }
            }
            var laneExtra = SummaryFormat.count(items.count, "item")
            if failed > 0 { laneExtra += " · <span class=\"bad\">\(SummaryFormat.count(failed)) failed</span>" }
            let width = max(1, drawing.to - drawing.from)
            let share = Int((Double(busy) / Double(width) * 100).rounded())
            var tip = "lane \(lane) of \(span.name)\n\(SummaryFormat.count(items.count, "item"))"
            if failed > 0 { tip += " · \(SummaryFormat.count(failed)) failed" }
            tip += "\nbusy \(HTMLWaterfallText.duration(busy)) of the map's \(HTMLWaterfallText.duration(width))"
            out += "<div class=\"row lane\" data-of=\"\(id)\" data-lane=\"\(lane)\" title=\""
            out += HTMLWaterfallText.escape(tip) + "\">"
            out += label(
                depth: row.depth + 1, toggle: nil, glyph: "≡", state: "lane", name: "lane \(lane)", extra: laneExtra,
                time: "busy \(min(share, 100))%")
            out += "<div class=\"chart\"><svg class=\"bar\">" + drawing.laneSVG(items, lane: lane, total: total)
            out += "</svg></div></div>"
        }
        if lanes.count > HTMLWaterfallMap.maximumLanes {
            out += "<div class=\"lane more\" data-of=\"\(id)\">… "
            out += "\(SummaryFormat.count(lanes.count - HTMLWaterfallMap.maximumLanes, "more lane")) not drawn</div>"
        }
        return out + "</template>\n"
    }
}

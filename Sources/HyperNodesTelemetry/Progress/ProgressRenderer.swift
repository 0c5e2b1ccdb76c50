import HyperNodes

/// The size of a terminal in character cells.
public struct TerminalSize: Sendable, Equatable {
    /// Cells per line.
    public var columns: Int
    /// Lines.
    public var rows: Int

    /// Creates a size.
    public init(columns: Int, rows: Int) {
        self.columns = columns
        self.rows = rows
    }
}

/// Draws a ``ProgressModel`` as lines of text: a pure function of the
/// model, the terminal size, the time and the style, so that every frame
/// can be tested without a terminal.
public enum ProgressRenderer {
    /// The live tree of the runs rooted at `roots`.
    ///
    /// Each line fits in `size.columns` cells (fields are dropped, then
    /// names cut, as the width shrinks), and the frame has at most
    /// `size.rows - 1` lines (the cursor waits on the line below): finished
    /// subtrees are folded to their first line first, then the tail is cut
    /// and replaced by `… N more`.
    ///
    /// - Parameter now: The wall-clock time in nanoseconds since 1970.
    public static func frame(
        _ model: ProgressModel, roots: [Int], size: TerminalSize, now: UInt64, style: ProgressStyle
    ) -> [String] {
        let maxLines = max(1, size.rows - 1)
        var folded = Set<Int>()
        var entries = flatten(model, roots: roots, folded: folded, style: style)
        if entries.count > maxLines {
            // Fold finished subtrees, oldest first, until the tree fits.
            for entry in entries where entries.count > maxLines {
                guard let id = entry.id, let row = model[id], !row.children.isEmpty, isDone(id, in: model) else {
                    continue
                }
                folded.insert(id)
                entries = flatten(model, roots: roots, folded: folded, style: style)
            }
        }
        if entries.count > maxLines {
            // Hide finished rows, oldest first, behind one "… N finished" line.
            let excess = entries.count - (maxLines - 1)
            let hidden = Set(
                entries.indices.filter { index in
                    guard let id = entries[index].id, model[id]?.parent != nil else { return false }
                    return isDone(id, in: model)
                }.prefix(excess))
            if let first = hidden.min() {
                var kept: [Entry] = []
                for (index, entry) in entries.enumerated() where !hidden.contains(index) || index == first {
                    kept.append(
                        index == first
                            ? Entry(id: nil, prefix: entry.prefix, note: "\(style.ellipsis) \(hidden.count) finished")
                            : entry)
                }
                entries = kept
            }
        }
        if entries.count > maxLines {
            let more = entries.count - (maxLines - 1)
            entries = Array(entries.prefix(maxLines - 1))
            entries.append(Entry(id: nil, prefix: "", note: "\(style.ellipsis) \(more) more"))
        }
        return layout(model, entries: entries, width: size.columns, now: now, style: style)
    }

    /// The lines a finished run leaves on screen: its root, each completed
    /// subtree folded to one line, and failed subtrees in full so that the
    /// failing node shows.
    public static func summary(
        _ model: ProgressModel, root: Int, width: Int, now: UInt64, style: ProgressStyle
    ) -> [String] {
        var folded = Set<Int>()
        for id in model.subtree(root) where id != root {
            if let row = model[id], !row.children.isEmpty, !hasFailure(id, in: model) { folded.insert(id) }
        }
        let entries = flatten(model, roots: [root], folded: folded, style: style)
        return layout(model, entries: entries, width: width, now: now, style: style)
    }

    /// One plain line (no escape codes) for a row that finished, or for a
    /// running map's status: glyph, path of names, then the details.
    public static func plainLine(_ model: ProgressModel, row id: Int, now: UInt64, style: ProgressStyle) -> String? {
        guard let row = model[id] else { return nil }
        var path: [String] = []
        var next: Int? = id
        while let current = next, let r = model[current] {
            path.append(r.name)
            next = r.parent
        }
        let parts = details(row, id: id, model: model, now: now, style: style, barWidth: 0)
        let glyph = isDone(id, in: model) ? parts.glyph.plainText : style.glyph(.progress)
        var line = glyph + " " + path.reversed().joined(separator: " > ")
        if row.map != nil && row.parent != nil { line += " [map]" }
        for segment in parts.segments { line += "  " + segment.text.plainText }
        return line
    }

    // MARK: Tree

    /// A line of the tree: a row, or a note standing for rows left out.
    struct Entry {
        let id: Int?
        let prefix: String
        var note: String? = nil
    }

    /// Rows in depth-first order with their tree prefixes; children of `folded` rows are left out.
    static func flatten(_ model: ProgressModel, roots: [Int], folded: Set<Int>, style: ProgressStyle) -> [Entry] {
        var entries: [Entry] = []
        func walk(_ id: Int, prefix: String, childPrefix: String) {
            guard let row = model[id] else { return }
            entries.append(Entry(id: id, prefix: prefix))
            if folded.contains(id) { return }
            for (index, child) in row.children.enumerated() {
                let last = index == row.children.count - 1
                walk(
                    child, prefix: childPrefix + (last ? style.lastBranch : style.branch),
                    childPrefix: childPrefix + (last ? style.blank : style.pipe))
            }
        }
        for root in roots { walk(root, prefix: "", childPrefix: "") }
        return entries
    }

    /// Whether a row has finished: its span ended, or, for a row aggregated
    /// over a map's items, nothing runs in it and its map ended.
    static func isDone(_ id: Int, in model: ProgressModel) -> Bool {
        guard let row = model[id] else { return true }
        guard row.kind == .aggregate else { return row.isFinished }
        if (row.counts?.running ?? 0) > 0 { return false }
        var next = row.parent
        while let current = next, let ancestor = model[current] {
            if ancestor.map != nil { return ancestor.isFinished }
            next = ancestor.parent
        }
        return true
    }

    static func hasFailure(_ id: Int, in model: ProgressModel) -> Bool {
        model.subtree(id).contains { model[$0]?.status == .error || (model[$0]?.counts?.failed ?? 0) > 0 }
    }

    // MARK: Lines

    /// A field after a row's name; fields with higher `drop` go first when space runs out.
    struct Segment {
        var text: StyledText
        let drop: Int
        var isBar = false
        /// A shorter form used before the field is dropped.
        var short: StyledText? = nil
    }

    /// Lays out `entries`: names in one column, padded to a common width, then the fields.
    static func layout(
        _ model: ProgressModel, entries: [Entry], width: Int, now: UInt64, style: ProgressStyle
    ) -> [String] {
        let labels = entries.map { entry in label(entry, model: model, style: style) }
        let widest = labels.map(\.width).max() ?? 0
        let column = min(widest, max(8, width * 2 / 5))
        let barWidth = max(6, min(30, (width - column) / 3))
        return zip(entries, labels).map { entry, label in
            if let note = entry.note {
                var text = StyledText(entry.prefix, .dim)
                text.append(note, .dim)
                return text.truncated(to: width, ellipsis: "").rendered(color: style.color)
            }
            guard let id = entry.id, let row = model[id] else { return "" }
            let parts = details(row, id: id, model: model, now: now, style: style, barWidth: barWidth)
            return fit(
                label: label, column: column, glyph: parts.glyph, segments: parts.segments, width: width,
                style: style
            ).rendered(color: style.color)
        }
    }

    static func label(_ entry: Entry, model: ProgressModel, style: ProgressStyle) -> StyledText {
        guard entry.note == nil, let id = entry.id, let row = model[id] else { return StyledText() }
        var text = StyledText(entry.prefix, .dim)
        text.append(row.name, row.parent == nil ? .bold : .plain)
        if row.map != nil && row.parent != nil { text.append(" [map]", .dim) }
        return text
    }

    /// Label, glyph and as many fields as fit in `width`: fields that can
    /// be dropped go first (highest `drop` first), then fields are shortened,
    /// then the last droppable ones go, then the line is cut.
    static func fit(
        label: StyledText, column: Int, glyph: StyledText, segments: [Segment], width: Int, style: ProgressStyle
    ) -> StyledText {
        var kept = segments
        let head = column + (glyph.width > 0 ? 2 + glyph.width : 1)
        func total(_ list: [Segment]) -> Int {
            list.enumerated().reduce(head) { sum, item in
                sum + (item.offset == 0 || item.element.isBar ? 1 : 2) + item.element.text.width
            }
        }
        while total(kept) > width {
            let worst = kept.indices.max { kept[$0].drop < kept[$1].drop }
            if let worst, kept[worst].drop > 1 {
                kept.remove(at: worst)
            } else if let index = kept.firstIndex(where: { $0.short != nil }) {
                kept[index].text = kept[index].short!
                kept[index].short = nil
            } else if let worst, kept[worst].drop > 0 {
                kept.remove(at: worst)
            } else {
                break
            }
        }
        var line = label.truncated(to: column, ellipsis: style.ellipsis).padded(to: column)
        line.append(glyph.width > 0 ? "  " : " ")
        line.append(glyph)
        for (index, segment) in kept.enumerated() {
            line.append(index == 0 && glyph.width == 0 ? " " : (index == 0 || segment.isBar ? " " : "  "))
            line.append(segment.text)
        }
        return line.truncated(to: width, ellipsis: style.ellipsis)
    }

    /// A row's status glyph and fields.
    static func details(
        _ row: ProgressRow, id: Int, model: ProgressModel, now: UInt64, style: ProgressStyle, barWidth: Int
    ) -> (glyph: StyledText, segments: [Segment]) {
        let running = StyledText(style.spinner(at: now), .cyan)
        let elapsed = now > row.start ? now - row.start : 0
        func glyph(_ outcome: ProgressStyle.Outcome) -> StyledText {
            StyledText(style.glyph(outcome), style.tone(outcome))
        }
        func finishedGlyph() -> StyledText {
            switch row.status {
            case .error: glyph(.failed)
            case .cancelled: glyph(.cancelled)
            case .cached: glyph(.cached)
            default: glyph(.ok)
            }
        }
        func time(_ ns: UInt64) -> Segment {
            Segment(text: StyledText(ProgressFormat.duration(ns, micro: style.micro), .dim), drop: 2)
        }
        func bar(_ fraction: Double, tone: Tone) -> Segment? {
            guard barWidth > 0 else { return nil }
            let (filled, empty) = style.bar(fraction, width: barWidth)
            var text = StyledText(filled, tone)
            text.append(empty, .dim)
            return Segment(text: text, drop: 3, isBar: true)
        }
        func error() -> Segment? {
            row.error.map { Segment(text: StyledText($0, .red), drop: 3) }
        }

        if row.kind == .aggregate, let counts = row.counts {
            var segments: [Segment] = []
            if counts.running > 0 {
                var text = running
                text.append(" \(counts.running)", .cyan)
                segments.append(Segment(text: text, drop: 4))
            }
            var ok = glyph(.ok)
            ok.append(" \(counts.ok)")
            segments.append(Segment(text: ok, drop: 0))
            if counts.cached > 0 {
                var text = glyph(.cached)
                text.append(" \(counts.cached)")
                segments.append(Segment(text: text, drop: 1))
            }
            if counts.failed > 0 {
                var text = glyph(.failed)
                text.append(" \(counts.failed)")
                segments.append(Segment(text: text, drop: 0))
            }
            if counts.cancelled > 0 {
                var text = glyph(.cancelled)
                text.append(" \(counts.cancelled)")
                segments.append(Segment(text: text, drop: 3))
            }
            if let median = counts.medianDuration {
                segments.append(
                    Segment(
                        text: StyledText("p50 " + ProgressFormat.duration(median, micro: style.micro), .dim), drop: 2))
            }
            return (StyledText(), segments)
        }

        if let map = row.map {
            var segments: [Segment] = []
            let fraction = map.total == 0 ? 1 : Double(map.ended) / Double(map.total)
            if !row.isFinished, let bar = bar(fraction, tone: .cyan) { segments.append(bar) }
            segments.append(Segment(text: StyledText("\(map.ended)/\(map.total)"), drop: 0))
            if !row.isFinished {
                segments.append(Segment(text: StyledText(ProgressFormat.percent(fraction)), drop: 1))
            }
            let end = row.end ?? now
            if let rate = map.rate(start: row.start, now: end) {
                segments.append(Segment(text: StyledText(ProgressFormat.rate(rate), .dim), drop: 6))
                if !row.isFinished {
                    let remaining = Double(max(0, map.total - map.ended)) / max(rate, 1e-9)
                    let eta = remaining < 1e7 ? ProgressFormat.clock(UInt64(remaining * 1e9)) : "--:--"
                    segments.append(Segment(text: StyledText("ETA " + eta, .dim), drop: 5))
                }
            } else if !row.isFinished {
                segments.append(Segment(text: StyledText("ETA --:--", .dim), drop: 5))
            }
            if row.isFinished { segments.append(time(row.duration ?? 0)) }
            if let share = map.cacheHitShare, map.cacheHits > 0 {
                var text = glyph(.cached)
                text.append(" " + ProgressFormat.percent(share))
                segments.append(Segment(text: text, drop: 7))
            }
            if map.failed > 0 {
                var text = glyph(.failed)
                text.append(" \(map.failed)")
                segments.append(Segment(text: text, drop: 0))
            }
            if row.isFinished, let error = error() { segments.append(error) }
            return (row.isFinished ? finishedGlyph() : running, segments)
        }

        if let total = row.nodesTotal {
            var segments: [Segment] = []
            if !row.isFinished, let bar = bar(total == 0 ? 1 : Double(row.nodesDone) / Double(total), tone: .cyan) {
                segments.append(bar)
            }
            segments.append(
                Segment(
                    text: StyledText("\(row.nodesDone)/\(total) nodes"), drop: 1,
                    short: StyledText("\(row.nodesDone)/\(total)")))
            if row.isFinished {
                segments.append(time(row.duration ?? 0))
                if let error = error() { segments.append(error) }
            } else {
                segments.append(Segment(text: StyledText(ProgressFormat.clock(elapsed), .dim), drop: 2))
            }
            return (row.isFinished ? finishedGlyph() : running, segments)
        }

        switch row.status {
        case .running:
            return (running, [time(elapsed)])
        case .cached:
            return (glyph(.cached), [Segment(text: StyledText("cached", .dim), drop: 2)])
        case .cancelled:
            return (
                glyph(.cancelled), [Segment(text: StyledText("cancelled", .dim), drop: 2), time(row.duration ?? 0)]
            )
        case .error:
            return (glyph(.failed), [time(row.duration ?? 0)] + (error().map { [$0] } ?? []))
        case .ok:
            return (glyph(.ok), [time(row.duration ?? 0)])
        }
    }
}

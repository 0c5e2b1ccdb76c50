import Foundation
import HyperNodes
import HyperNodesMonitor
import HyperNodesTrace

/// Reading back what the HTML waterfall wrote, for tests: its rows, in
/// order, with their label, depth and state.
struct HTMLWaterfallPage {
    /// One row as the page shows it.
    struct Row: Hashable, CustomStringConvertible {
        var name: String
        var depth: Int
        var state: String
        var description: String { "\(String(repeating: "  ", count: depth))\(name) [\(state)]" }
    }

    let text: String

    init(_ bytes: [UInt8]) {
        text = String(decoding: bytes, as: UTF8.self)
    }

    /// The page without the lane templates: what a browser shows before a map is opened.
    var collapsed: String {
        var out = ""
        var rest = text[...]
        while let open = rest.range(of: "<template") {
            out += rest[..<open.lowerBound]
            guard let close = rest.range(of: "</template>", range: open.upperBound..<rest.endIndex) else { break }
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    /// The lane templates' contents by map id.
    var templates: [String: String] {
        var result: [String: String] = [:]
        var rest = text[...]
        while let open = rest.range(of: "<template id=\"lanes-") {
            let idEnd = rest.range(of: "\">", range: open.upperBound..<rest.endIndex)!
            let close = rest.range(of: "</template>", range: idEnd.upperBound..<rest.endIndex)!
            result[String(rest[open.upperBound..<idEnd.lowerBound])] = String(rest[idEnd.upperBound..<close.lowerBound])
            rest = rest[close.upperBound...]
        }
        return result
    }

    /// The rows of `html` (span, map and lane rows), in order.
    static func rows(in html: String) -> [Row] {
        var rows: [Row] = []
        var rest = html[...]
        while let start = rest.range(of: "<div class=\"row ") {
            let tagEnd = rest.range(of: ">", range: start.upperBound..<rest.endIndex)!
            let tag = String(rest[start.lowerBound..<tagEnd.upperBound])
            rest = rest[tagEnd.upperBound...]
            guard let depthStart = rest.range(of: "--d:"), let nameStart = rest.range(of: "<span class=\"n\">"),
                let nameEnd = rest.range(of: "</span>", range: nameStart.upperBound..<rest.endIndex)
            else { break }
            let depth = Int(rest[depthStart.upperBound...].prefix { $0.isNumber }) ?? -1
            let state = attribute("data-state", in: tag) ?? "lane"
            rows.append(
                Row(name: unescape(String(rest[nameStart.upperBound..<nameEnd.lowerBound])), depth: depth, state: state)
            )
            rest = rest[nameEnd.upperBound...]
        }
        return rows
    }

    /// The value of `name` in an HTML start tag.
    static func attribute(_ name: String, in tag: String) -> String? {
        guard let start = tag.range(of: " \(name)=\"") else { return nil }
        guard let end = tag.range(of: "\"", range: start.upperBound..<tag.endIndex) else { return nil }
        return unescape(String(tag[start.upperBound..<end.lowerBound]))
    }

    /// Undoes the page's escaping.
    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// How many times `needle` occurs in `haystack`.
    static func count(_ needle: String, in haystack: String) -> Int {
        haystack.components(separatedBy: needle).count - 1
    }

    /// The rows the monitor's waterfall shows for `records` once they have all arrived, with
    /// nothing collapsed, as page rows; with `expanded`, every map opened into its lanes.
    static func monitorRows(_ records: [TraceRecord], expanded: Bool = false) -> [Row] {
        var model = RunModel()
        model.apply(records)
        model.markSourceEnded()
        var view = MonitorViewState()
        if expanded { view.expandedMaps = Set(model.mapSpans) }
        let rows = ScreenRows.build(model, view: view, now: model.latestTime, purpose: .waterfall)
        return rows.map { row in
            switch row.id {
            case .span(let index), .map(let index):
                return Row(
                    name: DisplayWidth.printable(model.name(of: index)), depth: row.depth,
                    state: state(model.phase(of: index, at: model.latestTime)))
            case .lane(_, let lane):
                return Row(name: "lane \(lane)", depth: row.depth, state: "lane")
            case .pending(_, let name):
                return Row(name: name, depth: row.depth, state: "pending")
            }
        }
    }

    /// The page's state word for a monitor phase.
    static func state(_ phase: SpanPhase) -> String {
        switch phase {
        case .notStarted: return "not started"
        case .running, .unfinished: return "unfinished"
        case .finished(let status, let cached):
            switch status {
            case .error: return "failed"
            case .cancelled: return "cancelled"
            case .running: return "unfinished"
            case .cached: return "cached"
            case .ok: return cached ? "cached" : "ok"
            }
        }
    }
}

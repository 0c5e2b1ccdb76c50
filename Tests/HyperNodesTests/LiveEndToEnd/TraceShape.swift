import HyperNodes
import HyperNodesTrace

/// What two views of the same run must agree on: every span (id, parent, kind, name,
/// status, cache hit, timing, item index), every map's final counts, and how the run
/// ended. Spans are ordered by id, so the order records arrived in does not matter
/// (a live client that attaches late receives the spans so far in another order).
struct TraceShape: Equatable, CustomStringConvertible {
    /// One span.
    struct Span: Equatable, CustomStringConvertible {
        var id: UInt64
        var parent: UInt64?
        var kind: SpanKind
        var name: String
        var status: SpanStatus
        var cached: Bool
        var finished: Bool
        var start: UInt64
        var end: UInt64
        var item: Int?
        var itemCount: Int?

        var description: String {
            "#\(id) ← \(parent.map { "#\($0)" } ?? "-") \(kind) \(name)\(item.map { "[\($0)]" } ?? "") "
                + "\(status)\(cached ? " cached" : "")\(finished ? "" : " unfinished") \(start)…\(end)"
                + (itemCount.map { " of \($0)" } ?? "")
        }
    }

    /// One map's final counts.
    struct Map: Equatable, CustomStringConvertible {
        var span: UInt64
        var name: String
        var items: Int
        var done: Int
        var failed: Int
        var cached: Int

        var description: String { "map #\(span) \(name): \(done)/\(items) done, \(failed) failed, \(cached) cached" }
    }

    /// One run.
    struct Run: Equatable, CustomStringConvertible {
        var id: UInt64
        var name: String
        var status: SpanStatus
        var ended: Bool
        var spans: [Span]
        var maps: [Map]

        var description: String {
            "run \(String(id, radix: 16)) \(name) \(status)\(ended ? "" : " (no run_end)"): "
                + "\(spans.count) spans, \(maps.count) maps"
        }
    }

    var runs: [Run]

    /// The shape of `model`, runs ordered by id.
    init(_ model: TraceModel) {
        runs = model.runs.map { run in
            let spans = run.spans.map { span in
                Span(
                    id: span.id.rawValue, parent: span.parent.map { run.spans[$0].id.rawValue }, kind: span.kind,
                    name: span.name, status: span.status, cached: span.isCached, finished: span.isFinished,
                    start: span.start, end: span.end, item: span.itemIndex, itemCount: span.itemCount)
            }
            let maps = run.maps.map { map in
                Map(
                    span: run.spans[map.span].id.rawValue, name: map.name, items: map.items, done: map.done,
                    failed: map.failed, cached: map.cached)
            }
            return Run(
                id: run.runID, name: run.name, status: run.status, ended: run.end != nil,
                spans: spans.sorted { $0.id < $1.id }, maps: maps.sorted { $0.span < $1.span })
        }
        .sorted { $0.id < $1.id }
    }

    var spanCount: Int { runs.reduce(0) { $0 + $1.spans.count } }

    var description: String { runs.map(\.description).joined(separator: "; ") }

    /// The first difference between `self` and `other`, in words, or `nil` when they agree.
    func difference(from other: TraceShape) -> String? {
        guard runs.count == other.runs.count else {
            return "\(runs.count) runs (\(self)) against \(other.runs.count) (\(other))"
        }
        for (mine, theirs) in zip(runs, other.runs) {
            if mine.id != theirs.id || mine.name != theirs.name || mine.status != theirs.status
                || mine.ended != theirs.ended
            {
                return "\(mine) against \(theirs)"
            }
            if mine.spans.count != theirs.spans.count {
                let missing = Set(theirs.spans.map(\.id)).subtracting(mine.spans.map(\.id)).sorted().prefix(5)
                let extra = Set(mine.spans.map(\.id)).subtracting(theirs.spans.map(\.id)).sorted().prefix(5)
                return "run \(mine.name): \(mine.spans.count) spans against \(theirs.spans.count) "
                    + "(missing ids \(Array(missing)), extra ids \(Array(extra)))"
            }
            for (span, expected) in zip(mine.spans, theirs.spans) where span != expected {
                return "run \(mine.name): span \(span) against \(expected)"
            }
            if mine.maps != theirs.maps {
                return "run \(mine.name): maps \(mine.maps) against \(theirs.maps)"
            }
        }
        return nil
    }
}

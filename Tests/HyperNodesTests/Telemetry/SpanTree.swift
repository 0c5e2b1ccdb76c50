import InMemoryTracing
import Tracing

/// The finished spans of an in-memory tracer, indexed for assertions about
/// their tree.
struct SpanTree {
    let spans: [FinishedInMemorySpan]
    private let byID: [String: FinishedInMemorySpan]

    init(_ spans: [FinishedInMemorySpan]) {
        self.spans = spans
        self.byID = Dictionary(spans.map { ($0.spanID, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Spans named `name`.
    func named(_ name: String) -> [FinishedInMemorySpan] { spans.filter { $0.operationName == name } }

    /// The only span named `name`, or `nil` when there is none or several.
    func one(_ name: String) -> FinishedInMemorySpan? {
        let found = named(name)
        return found.count == 1 ? found[0] : nil
    }

    /// The parent of `span`, if it is among the finished spans.
    func parent(of span: FinishedInMemorySpan) -> FinishedInMemorySpan? {
        span.parentSpanID.flatMap { byID[$0] }
    }

    /// The name of the parent of `span`, or `nil` for a root.
    func parentName(of span: FinishedInMemorySpan) -> String? { parent(of: span)?.operationName }

    /// The children of `span`, ordered by start time.
    func children(of span: FinishedInMemorySpan) -> [FinishedInMemorySpan] {
        spans.filter { $0.parentSpanID == span.spanID }
            .sorted { $0.startInstant.nanosecondsSinceEpoch < $1.startInstant.nanosecondsSinceEpoch }
    }

    /// Every span as `parent name > name`, sorted: the shape of the tree.
    var edges: [String] {
        spans.map { "\(parentName(of: $0) ?? "-") > \($0.operationName)" }.sorted()
    }
}

extension FinishedInMemorySpan {
    /// The attribute `name` as a string, whatever its type.
    func attribute(_ name: String) -> String? {
        switch attributes.get(name) {
        case .string(let value): value
        case .int64(let value): String(value)
        case .int32(let value): String(value)
        case .bool(let value): String(value)
        case .double(let value): String(value)
        case .none: nil
        case .some(let other): "\(other)"
        }
    }
}

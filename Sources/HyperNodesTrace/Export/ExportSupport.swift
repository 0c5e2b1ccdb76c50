import HyperNodes

/// What the exporters share: placing runs on one time line and naming spans.
enum ExportSupport {
    /// Nanoseconds from the model's earliest run start to `run`'s start, so
    /// that several runs of one file keep their places in time (0 for a run
    /// without a header).
    static func offset(of run: TraceRun, in model: TraceModel) -> UInt64 {
        guard let start = run.header?.startTime else { return 0 }
        let earliest = model.earliestStart
        return start >= earliest ? start - earliest : 0
    }

    /// The name a viewer shows for a span: the pipeline or node name, an
    /// item as `name[index]`.
    static func displayName(of span: TraceSpan) -> String {
        if span.kind == .mapItem, let index = span.itemIndex { return "\(span.name)[\(index)]" }
        return span.name
    }

    /// The frame name of a span in a profile: one frame per kind and name,
    /// items of a map sharing one.
    static func frameName(of span: TraceSpan) -> String {
        switch span.kind {
        case .pipeline, .node: span.name
        case .nestedPipeline: "\(span.name) (nested)"
        case .map: "\(span.name) (map)"
        case .mapItem: "\(span.name) (item)"
        }
    }

    /// Whether the model holds more than one run, so names say which run they belong to.
    static func runLabel(_ run: TraceRun, in model: TraceModel) -> String? {
        model.runs.count > 1 ? "run \(hex(run.runID))" : nil
    }
}

extension JSONBuffer {
    /// Appends nanoseconds as microseconds, exactly: `1234.567`.
    mutating func microseconds(_ nanoseconds: UInt64) {
        number(nanoseconds / 1000)
        let fraction = nanoseconds % 1000
        guard fraction > 0 else { return }
        byte(UInt8(ascii: "."))
        if fraction < 100 { byte(UInt8(ascii: "0")) }
        if fraction < 10 { byte(UInt8(ascii: "0")) }
        number(fraction)
    }

    /// Appends an unsigned integer as a quoted decimal string (64-bit values in OTLP JSON).
    mutating func quotedNumber(_ value: UInt64) {
        byte(UInt8(ascii: "\""))
        number(value)
        byte(UInt8(ascii: "\""))
    }
}

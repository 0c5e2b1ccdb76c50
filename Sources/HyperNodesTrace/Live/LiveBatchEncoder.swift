import HyperNodes

/// The live server's drain-thread work: turns a batch of events into trace
/// lines once (with the recorder's ``TraceLineWriter``), then, under the
/// hub's lock, appends them to the shared lines and to what late joiners
/// receive.
struct LiveBatchEncoder {
    /// What a trace line is, told apart by its type.
    enum LineKind {
        case header
        case event(Int)
        case progress
        case runEnd
    }

    private struct Produced {
        let kind: LineKind
        let start: Int
        let end: Int
    }

    private var writer: TraceLineWriter
    private var buffer = JSONBuffer(capacity: 64 * 1024)
    private var produced: [Produced] = []
    private var reportedQueueDrops = 0

    init(writer: TraceLineWriter) {
        self.writer = writer
    }

    /// Encodes `batch` and hands its lines to `hub`. `queueDrops` is the
    /// number of events the server's queue has dropped in all.
    mutating func deliver(_ batch: EventQueue.Batch, to hub: LiveHub, queueDrops: Int) {
        buffer.removeAll()
        produced.removeAll(keepingCapacity: true)
        for (index, entry) in batch.enumerated() {
            let start = buffer.count
            writer.append(entry.event, context: entry.context, to: &buffer)
            classify(from: start, event: index)
        }
        let newDrops = queueDrops - reportedQueueDrops
        reportedQueueDrops = queueDrops
        if produced.isEmpty && newDrops == 0 { return }
        buffer.withUnsafeBytes { bytes in
            hub.withState { state in
                for line in produced {
                    let slice = UnsafeRawBufferPointer(rebasing: bytes[line.start..<line.end])
                    let seq = state.log.append(slice)
                    switch line.kind {
                    case .header: state.retention.addHeader(slice)
                    case .event(let index): state.retention.addEvent(batch[index].event, line: slice, seq: seq)
                    case .progress: state.retention.addProgress(slice, seq: seq)
                    case .runEnd: state.retention.addRunEnd(slice)
                    }
                }
                state.settle(queueDrops: newDrops)
            }
        }
    }

    /// Records the lines appended from `start` on, telling them apart by
    /// their type: header, progress and run end lines have their own, any
    /// other line is the event's.
    private mutating func classify(from start: Int, event index: Int) {
        buffer.withUnsafeBytes { bytes in
            var lineStart = start
            var position = start
            while position < bytes.count {
                if bytes[position] == UInt8(ascii: "\n") {
                    let line = UnsafeRawBufferPointer(rebasing: bytes[lineStart..<position + 1])
                    produced.append(
                        Produced(kind: Self.kind(of: line, event: index), start: lineStart, end: position + 1))
                    lineStart = position + 1
                }
                position += 1
            }
        }
    }

    /// The kind of `line`, produced for the event at `index` of its batch.
    static func kind(of line: UnsafeRawBufferPointer, event index: Int) -> LineKind {
        if hasPrefix(line, "{\"type\":\"header\"") { return .header }
        if hasPrefix(line, "{\"type\":\"map_progress\"") { return .progress }
        if hasPrefix(line, "{\"type\":\"run_end\"") { return .runEnd }
        return .event(index)
    }

    private static func hasPrefix(_ line: UnsafeRawBufferPointer, _ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard line.count >= count else { return false }
        let expected = prefix.utf8Start
        for offset in 0..<count where line[offset] != expected[offset] { return false }
        return true
    }
}

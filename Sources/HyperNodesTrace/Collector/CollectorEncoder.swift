import HyperNodes

/// A collector's drain-thread work: turns a batch of events into trace lines
/// with the recorder's ``TraceLineWriter``, then, under the store's lock,
/// hands the lines to the retention and the events to the runs' statistics.
struct CollectorEncoder {
    private struct Produced {
        let kind: LiveBatchEncoder.LineKind
        /// The index in the batch of the event that produced the line.
        let event: Int
        let start: Int
        let end: Int
    }

    /// Lines are handed over in slices of about this many bytes, to bound the buffer.
    static let sliceBytes = 1 << 20

    private var writer: TraceLineWriter
    private var buffer = JSONBuffer(capacity: 64 * 1024)
    private var produced: [Produced] = []
    /// The number of lines handed over so far: their sequence numbers.
    private var seq = 0

    init(writer: TraceLineWriter) {
        self.writer = writer
    }

    /// Encodes `batch` and hands its lines to `store`.
    mutating func deliver(_ batch: EventQueue.Batch, to store: CollectorStore) {
        buffer.removeAll()
        produced.removeAll(keepingCapacity: true)
        for (index, entry) in batch.enumerated() {
            let start = buffer.count
            writer.append(entry.event, context: entry.context, to: &buffer)
            classify(from: start, event: index)
            if buffer.count >= Self.sliceBytes {
                handOver(batch, to: store)
                buffer.removeAll()
                produced.removeAll(keepingCapacity: true)
            }
        }
        handOver(batch, to: store)
    }

    private mutating func handOver(_ batch: EventQueue.Batch, to store: CollectorStore) {
        guard !produced.isEmpty else { return }
        let first = seq
        seq += produced.count
        buffer.withUnsafeBytes { bytes in
            store.withState { state in
                for (offset, line) in produced.enumerated() {
                    let seq = first + offset
                    let slice = UnsafeRawBufferPointer(rebasing: bytes[line.start..<line.end])
                    switch line.kind {
                    case .header:
                        state.retention.addHeader(slice)
                        state.statistics[batch[line.event].event.runID] = RunStatistics()
                    case .event:
                        let event = batch[line.event].event
                        state.retention.addEvent(event, line: slice, seq: seq)
                        state.statistics[event.runID]?.add(event)
                    case .progress: state.retention.addProgress(slice, seq: seq)
                    case .runEnd: state.retention.addRunEnd(slice)
                    }
                }
                state.pruneStatistics()
            }
        }
    }

    private mutating func classify(from start: Int, event index: Int) {
        buffer.withUnsafeBytes { bytes in
            var lineStart = start
            var position = start
            while position < bytes.count {
                if bytes[position] == UInt8(ascii: "\n") {
                    let line = UnsafeRawBufferPointer(rebasing: bytes[lineStart..<position + 1])
                    produced.append(
                        Produced(
                            kind: LiveBatchEncoder.kind(of: line, event: index), event: index, start: lineStart,
                            end: position + 1))
                    lineStart = position + 1
                }
                position += 1
            }
        }
    }
}

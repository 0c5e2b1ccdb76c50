/// The recent record lines of a live server, shared by all its streaming
/// clients: every line is encoded once and numbered, and each client keeps
/// only its position (the sequence number of the next line it takes).
///
/// Lines live in chunks of about 64 KiB; whole chunks are let go once every
/// client has taken them, so memory is bounded by the most lines a client
/// may have waiting (its buffer bound) plus one chunk.
struct LiveRecordLog {
    private struct Chunk {
        let firstSeq: Int
        var bytes: [UInt8] = []
        /// The end offset (exclusive) of each line in `bytes`.
        var ends: [Int] = []

        var endSeq: Int { firstSeq + ends.count }
    }

    static let chunkBytes = 64 * 1024

    private var chunks: [Chunk] = []
    /// The sequence number the next line gets.
    private(set) var endSeq = 0

    /// The sequence number of the oldest line still held.
    var startSeq: Int { chunks.first?.firstSeq ?? endSeq }

    /// The bytes held, for reports.
    var byteCount: Int { chunks.reduce(0) { $0 + $1.bytes.count } }

    /// Appends one whole line (newline included) and returns its sequence number.
    @discardableResult
    mutating func append(_ line: UnsafeRawBufferPointer) -> Int {
        if chunks.isEmpty || chunks[chunks.count - 1].bytes.count >= Self.chunkBytes {
            var chunk = Chunk(firstSeq: endSeq)
            chunk.bytes.reserveCapacity(Self.chunkBytes + 1024)
            chunks.append(chunk)
        }
        let last = chunks.count - 1
        chunks[last].bytes.append(contentsOf: line)
        chunks[last].ends.append(chunks[last].bytes.count)
        endSeq += 1
        return endSeq - 1
    }

    /// Appends lines from `seq` on to `output` until about `maxBytes` were
    /// appended (at least one line when there is one), and returns the
    /// sequence number of the next line. A `seq` older than the oldest line
    /// held starts at the oldest line.
    mutating func copy(from seq: Int, maxBytes: Int, into output: inout [UInt8]) -> Int {
        var seq = max(seq, startSeq)
        guard seq < endSeq else { return seq }
        var index = chunkIndex(of: seq)
        var copied = 0
        while index < chunks.count && copied < maxBytes {
            let chunk = chunks[index]
            let first = seq - chunk.firstSeq
            let startOffset = first == 0 ? 0 : chunk.ends[first - 1]
            // Whole lines up to the budget, at least one.
            var last = first
            while last < chunk.ends.count && (last == first || chunk.ends[last] - startOffset <= maxBytes - copied) {
                last += 1
            }
            let endOffset = chunk.ends[last - 1]
            chunk.bytes.withUnsafeBufferPointer { output.append(contentsOf: $0[startOffset..<endOffset]) }
            copied += endOffset - startOffset
            seq = chunk.firstSeq + last
            if last < chunk.ends.count { break }
            index += 1
        }
        return seq
    }

    /// Lets go of the chunks whose lines all come before `seq`.
    mutating func discard(before seq: Int) {
        var count = 0
        while count < chunks.count && chunks[count].endSeq <= seq { count += 1 }
        if count > 0 { chunks.removeFirst(count) }
    }

    private func chunkIndex(of seq: Int) -> Int {
        var low = 0
        var high = chunks.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if chunks[middle].firstSeq <= seq { low = middle } else { high = middle - 1 }
        }
        return low
    }
}

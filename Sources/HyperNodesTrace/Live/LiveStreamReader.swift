#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a live stream on a ``LiveConnection``'s reader thread: splits it
/// into lines, decodes trace records with ``TraceDecoder`` and the `live_`
/// lines itself, and copies trace lines verbatim to the record file.
struct LiveStreamReader: Sendable {
    let socketPath: String
    let descriptor: Int32
    let recordFile: Int32
    let recordPath: String?
    let onMessage: @Sendable (LiveMessage) -> Void

    /// Reads until the connection ends; returns `nil` when it ended cleanly
    /// (`live_end` received, or cancelled), else why it ended.
    func run(isCancelled: () -> Bool) -> LiveConnectionError? {
        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var toRecord: [UInt8] = []
        var lineNumber = 0
        var sawEnd = false
        var recordFailed = false
        let decoder = TraceDecoder()
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress!, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 {
                if sawEnd || isCancelled() { return nil }
                let how = count < 0 ? " (\(errnoText()))" : ""
                return LiveConnectionError(
                    socketPath: socketPath,
                    reason: "connection lost\(how): the stream ended without live_end (the process was killed, "
                        + "or the connection dropped)")
            }
            pending.append(contentsOf: chunk[0..<count])
            var start = 0
            while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                lineNumber += 1
                var end = newline
                if end > start && pending[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                pending.withUnsafeBufferPointer { bytes in
                    let line = UnsafeBufferPointer(rebasing: bytes[start..<end])
                    if handle(line, number: lineNumber, decoder: decoder, sawEnd: &sawEnd), recordFile >= 0 {
                        toRecord.append(contentsOf: bytes[start...newline])
                    }
                }
                start = newline + 1
            }
            pending.removeFirst(start)
            if pending.count > TraceReader.maximumLineLength {
                lineNumber += 1
                onMessage(.problem(TraceProblem(line: lineNumber, reason: "line longer than 64 MiB; skipped")))
                pending.removeAll()
            }
            if !toRecord.isEmpty && !recordFailed {
                recordFailed = !writeAll(toRecord)
                if recordFailed {
                    let reason = "cannot write the record file \(recordPath ?? ""): \(errnoText()); recording stopped"
                    onMessage(.problem(TraceProblem(line: lineNumber, reason: reason)))
                }
                toRecord.removeAll(keepingCapacity: true)
            }
        }
    }

    /// Delivers one line; returns whether it is a trace line (to be recorded).
    private func handle(
        _ line: UnsafeBufferPointer<UInt8>, number: Int, decoder: TraceDecoder, sawEnd: inout Bool
    ) -> Bool {
        if line.isEmpty { return false }
        if LiveControlLine.looksLikeControl(line) {
            deliverControl(line, number: number, sawEnd: &sawEnd)
            return false
        }
        do {
            if let record = try decoder.decode(line) {
                onMessage(.record(record))
                return true
            }
            // Not a trace record: a control line with its fields in another order, or a newer record type.
            if let control = try? LiveControlLine.decode(line) {
                deliver(control, sawEnd: &sawEnd)
                return false
            }
            return true
        } catch {
            onMessage(.problem(TraceProblem(line: number, reason: error.reason)))
            return true
        }
    }

    private func deliverControl(_ line: UnsafeBufferPointer<UInt8>, number: Int, sawEnd: inout Bool) {
        do {
            if let control = try LiveControlLine.decode(line) { deliver(control, sawEnd: &sawEnd) }
        } catch {
            onMessage(.problem(TraceProblem(line: number, reason: error.reason)))
        }
    }

    private func deliver(_ control: LiveControlLine, sawEnd: inout Bool) {
        switch control {
        case .status(let status): onMessage(.status(status))
        case .dropped(let count): onMessage(.dropped(count))
        case .end:
            sawEnd = true
            onMessage(.end)
        }
    }

    private func writeAll(_ bytes: [UInt8]) -> Bool {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes {
                posixWrite(recordFile, $0.baseAddress! + written, bytes.count - written)
            }
            if count < 0 {
                if errno == EINTR { continue }
                return false
            }
            written += count
        }
        return true
    }
}

/// The lines of the live protocol that are not trace records: the client's
/// request, and the server's `live_status`, `live_dropped` and `live_end`
/// (see "The live stream" in `docs/trace-format.md`).
enum LiveControlLine: Sendable, Hashable {
    case status(LiveStatus)
    case dropped(Int)
    case end

    /// What a client asks for in its first line.
    enum Request: Sendable, Hashable {
        case status
        case stream

        /// The request's line, newline included.
        var line: [UInt8] {
            switch self {
            case .status: Array("{\"request\":\"status\"}\n".utf8)
            case .stream: Array("{\"request\":\"stream\"}\n".utf8)
            }
        }

        /// The request a line (without its line end) asks for.
        static func parse(_ line: [UInt8]) throws(LiveControlLine.Failure) -> Request {
            var request: String?
            do throws(JSONScanner.Failure) {
                try line.withUnsafeBufferPointer { (bytes) throws(JSONScanner.Failure) in
                    var scanner = JSONScanner(bytes)
                    try scanner.object { (scanner, key) throws(JSONScanner.Failure) in
                        if key.matches("request") { request = try scanner.string() } else { try scanner.skipValue() }
                    }
                    if scanner.peek() != nil { throw scanner.fail("unexpected text after the object") }
                }
            } catch {
                throw Failure(reason: "the request is not a JSON object: \(error.message)")
            }
            switch request {
            case "status": return .status
            case "stream": return .stream
            case nil: throw Failure(reason: "the request has no field 'request'")
            case let other?: throw Failure(reason: "unknown request '\(other)' (expected 'status' or 'stream')")
            }
        }
    }

    /// Why a line is not a valid control line.
    struct Failure: Error, Sendable, Hashable {
        var reason: String
    }

    static let endLine: [UInt8] = Array("{\"type\":\"live_end\"}\n".utf8)

    /// Appends the line of `control` to `buffer`.
    static func append(_ control: LiveControlLine, to buffer: inout JSONBuffer) {
        switch control {
        case .end:
            buffer.append(contentsOf: endLine)
        case .dropped(let count):
            buffer.raw("{\"type\":\"live_dropped\",\"count\":")
            buffer.number(count)
            buffer.raw("}\n")
        case .status(let status):
            buffer.raw("{\"type\":\"live_status\",\"pid\":")
            buffer.number(Int(status.pid))
            buffer.raw(",\"program\":")
            buffer.string(status.program)
            buffer.raw(",\"arguments\":[")
            for (index, argument) in status.arguments.enumerated() {
                if index > 0 { buffer.byte(UInt8(ascii: ",")) }
                buffer.string(argument)
            }
            buffer.raw("],\"started_unix_ns\":")
            buffer.number(status.started)
            buffer.raw(",\"clients\":")
            buffer.number(status.clients)
            if let launcher = status.launcher {
                buffer.raw(",\"launcher\":")
                buffer.number(Int(launcher))
            }
            buffer.raw(",\"runs\":[")
            for (index, run) in status.runs.enumerated() {
                if index > 0 { buffer.byte(UInt8(ascii: ",")) }
                buffer.raw("{\"run\":")
                buffer.hexID(run.runID)
                buffer.raw(",\"pipeline\":")
                buffer.string(run.pipeline)
                buffer.raw(run.finished ? ",\"state\":\"finished\"" : ",\"state\":\"running\"")
                buffer.raw(",\"start_unix_ns\":")
                buffer.number(run.startTime)
                buffer.byte(UInt8(ascii: "}"))
            }
            buffer.raw("]}\n")
        }
    }

    /// The line of `control`, newline included.
    static func line(_ control: LiveControlLine) -> [UInt8] {
        var buffer = JSONBuffer(capacity: 256)
        append(control, to: &buffer)
        return buffer.bytes
    }

    /// Whether `line` starts like a control line of this server (`{"type":"live_`).
    static func looksLikeControl(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        let prefix = StaticString("{\"type\":\"live_")
        guard line.count >= prefix.utf8CodeUnitCount else { return false }
        let expected = prefix.utf8Start
        for index in 0..<prefix.utf8CodeUnitCount where line[index] != expected[index] { return false }
        return true
    }

    /// Decodes a control line (without its line end); `nil` when its type is not a `live_` one.
    static func decode(_ line: UnsafeBufferPointer<UInt8>) throws(Failure) -> LiveControlLine? {
        var type: String?
        var count: Int?
        var status = LiveStatus(pid: 0, program: "", arguments: [], started: 0, clients: 0, launcher: nil, runs: [])
        var sawPID = false
        do throws(JSONScanner.Failure) {
            var scanner = JSONScanner(line)
            try scanner.object { (scanner, key) throws(JSONScanner.Failure) in
                if key.matches("type") {
                    type = try scanner.string()
                } else if key.matches("count") {
                    count = try scanner.count()
                } else if key.matches("pid") {
                    status.pid = Int32(clamping: try scanner.count())
                    sawPID = true
                } else if key.matches("program") {
                    status.program = try scanner.string()
                } else if key.matches("arguments") {
                    try scanner.array { (scanner) throws(JSONScanner.Failure) in
                        status.arguments.append(try scanner.string())
                    }
                } else if key.matches("started_unix_ns") {
                    status.started = try scanner.unsigned()
                } else if key.matches("clients") {
                    status.clients = try scanner.count()
                } else if key.matches("launcher") {
                    if scanner.peek() == UInt8(ascii: "n") {
                        try scanner.skipValue()
                    } else {
                        status.launcher = Int32(clamping: try scanner.count())
                    }
                } else if key.matches("runs") {
                    try scanner.array { (scanner) throws(JSONScanner.Failure) in
                        status.runs.append(try readRun(&scanner))
                    }
                } else {
                    try scanner.skipValue()
                }
            }
            if scanner.peek() != nil { throw scanner.fail("unexpected text after the object") }
        } catch {
            throw Failure(reason: error.message)
        }
        switch type {
        case "live_end": return .end
        case "live_dropped":
            guard let count else { throw Failure(reason: "missing field 'count' in a 'live_dropped' record") }
            return .dropped(count)
        case "live_status":
            guard sawPID else { throw Failure(reason: "missing field 'pid' in a 'live_status' record") }
            return .status(status)
        default: return nil
        }
    }

    private static func readRun(_ scanner: inout JSONScanner) throws(JSONScanner.Failure) -> LiveStatus.Run {
        var run = LiveStatus.Run(runID: 0, pipeline: "", finished: false, startTime: 0)
        try scanner.object { (scanner, key) throws(JSONScanner.Failure) in
            if key.matches("run") {
                run.runID = try scanner.hexID()
            } else if key.matches("pipeline") {
                run.pipeline = try scanner.string()
            } else if key.matches("state") {
                run.finished = try scanner.string() == "finished"
            } else if key.matches("start_unix_ns") {
                run.startTime = try scanner.unsigned()
            } else {
                try scanner.skipValue()
            }
        }
        return run
    }
}

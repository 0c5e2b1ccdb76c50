#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a trace file as a stream of records, line by line.
///
/// The first line must be a header: ``init(path:)`` reads it and refuses a
/// file that is not a trace, or that was written by a newer major version of
/// the format, with one ``TraceReadError``. Iterating then yields every
/// further record as soon as its line is read, so the first event is
/// available without reading the rest of the file, and memory stays bounded
/// (one chunk plus the longest line) however large the file is.
///
/// Damage is reported, not fatal: a line that is not a valid record is
/// yielded as a ``TraceProblem`` with its line number and reason, and
/// reading carries on. A last line cut off without its line end (a crash
/// while recording) is such a problem too. CRLF line ends and a UTF-8 byte
/// order mark are accepted; blank lines and records of unknown types are
/// skipped.
///
/// ```swift
/// let reader = try TraceReader(path: "run.jsonl")
/// for element in reader {
///     switch element {
///     case .record(let record, _): print(record.runID)
///     case .problem(let problem): print("warning:", problem)
///     }
/// }
/// ```
public final class TraceReader: Sequence, IteratorProtocol {
    /// What iteration yields.
    public enum Element: Sendable {
        /// A record and the number of the line it was read from.
        case record(TraceRecord, line: Int)
        /// A line that could not be read.
        case problem(TraceProblem)
    }

    /// The longest line read; longer lines are skipped and reported.
    public static let maximumLineLength = 64 << 20

    /// The file's path, as given.
    public let path: String
    /// The first run's header (the file's first line).
    public let header: TraceHeader
    /// The number of records of unknown types skipped so far.
    public var skippedUnknownRecords: Int { cursor.skippedUnknownRecords }
    /// The bytes read from the source so far.
    var bytesRead: Int { cursor.bytesRead }

    /// The reading state, in one value so that a record costs one access to
    /// the class's storage rather than one per field.
    private var cursor: Cursor

    /// Opens the trace at `path` and reads its header.
    ///
    /// - Throws: ``TraceReadError`` when the file cannot be opened or read,
    ///   is not a trace, or has a newer major version.
    public convenience init(path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw TraceReadError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        var status = stat()
        if fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
            close(descriptor)
            throw TraceReadError.cannotOpen(path: path, reason: "it is a directory")
        }
        let chunk = UnsafeMutableRawPointer.allocate(byteCount: ByteSource.chunkSize, alignment: 16)
        try self.init(source: .file(descriptor, chunk), path: path)
    }

    /// Reads a trace held in memory; `name` stands for the path in messages.
    public convenience init(bytes: [UInt8], name: String = "<memory>") throws {
        try self.init(source: .memory(bytes), path: name)
    }

    /// Reads a trace held in memory with a smaller line limit (for tests).
    convenience init(bytes: [UInt8], name: String, maximumLineLength: Int) throws {
        try self.init(source: .memory(bytes), path: name, maximumLineLength: maximumLineLength)
    }

    private init(source: ByteSource, path: String, maximumLineLength: Int = TraceReader.maximumLineLength) throws {
        var source = source
        var buffer: [UInt8] = []
        var start = 0
        let header: TraceHeader
        do {
            header = try Cursor.readHeader(source: &source, buffer: &buffer, start: &start, path: path)
        } catch {
            source.close()
            throw error
        }
        self.path = path
        self.header = header
        cursor = Cursor(source: source, buffer: buffer, start: start, maximumLineLength: maximumLineLength)
    }

    deinit {
        cursor.source.close()
    }

    /// The next record or problem, or `nil` at the end of the file.
    public func next() -> Element? {
        cursor.next()
    }

    /// Reads everything that is left: the records and the problems.
    public func readAll() -> (records: [TraceRecord], problems: [TraceProblem]) {
        var records: [TraceRecord] = [.header(header)]
        var problems: [TraceProblem] = []
        for element in self {
            switch element {
            case .record(let record, _): records.append(record)
            case .problem(let problem): problems.append(problem)
            }
        }
        return (records, problems)
    }
}

/// Splits a byte source into lines and decodes them.
private struct Cursor {
    typealias Element = TraceReader.Element

    var source: ByteSource
    var buffer: [UInt8]
    var start: Int
    var lineNumber = 1
    var finished = false
    var skippedUnknownRecords = 0
    var bytesRead = 0
    let decoder = TraceDecoder()
    let maximumLineLength: Int

    init(source: ByteSource, buffer: [UInt8], start: Int, maximumLineLength: Int) {
        self.maximumLineLength = maximumLineLength
        self.source = source
        self.buffer = buffer
        self.start = start
        bytesRead = buffer.count
    }

    mutating func next() -> Element? {
        while !finished {
            guard let line = nextLine() else { return nil }
            if case .problem(let problem) = line { return .problem(problem) }
            guard case .line(let range, let complete) = line else { continue }
            let element = decodeLine(range, complete: complete)
            if let element { return element }
        }
        return nil
    }

    private enum Line {
        case line(Range<Int>, complete: Bool)
        case problem(TraceProblem)
    }

    private mutating func decodeLine(_ range: Range<Int>, complete: Bool) -> Element? {
        var trimmed = range
        if trimmed.upperBound > trimmed.lowerBound, buffer[trimmed.upperBound - 1] == 0x0D {
            trimmed = trimmed.lowerBound..<(trimmed.upperBound - 1)
        }
        if buffer[trimmed].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return nil }
        do {
            let record = try buffer.withUnsafeBufferPointer { (all) throws(TraceDecoder.Failure) in
                try decoder.decode(UnsafeBufferPointer(rebasing: all[trimmed]))
            }
            guard let record else {
                skippedUnknownRecords += 1
                return nil
            }
            if case .header(let header) = record, let problem = Self.versionProblem(header.version) {
                return .problem(TraceProblem(line: lineNumber, reason: problem + "; the run's records may be misread"))
            }
            return .record(record, line: lineNumber)
        } catch {
            if !complete {
                return .problem(
                    TraceProblem(
                        line: lineNumber,
                        reason: "the last line is cut off after \(trimmed.count) bytes (the recording was "
                            + "interrupted): \(error.reason)"))
            }
            return .problem(TraceProblem(line: lineNumber, reason: error.reason))
        }
    }

    /// The next line in `buffer[start...]`, reading more when needed.
    private mutating func nextLine() -> Line? {
        while true {
            if let newline = Self.newline(in: buffer, from: start) {
                let range = start..<newline
                start = newline + 1
                lineNumber += 1
                if range.count > maximumLineLength {
                    return .problem(overlong(line: lineNumber))
                }
                return .line(range, complete: true)
            }
            if buffer.count - start > maximumLineLength {
                lineNumber += 1
                skipToNextLine()
                return .problem(overlong(line: lineNumber))
            }
            switch fill() {
            case .read: continue
            case .end:
                finished = true
                guard start < buffer.count else { return nil }
                let range = start..<buffer.count
                start = buffer.count
                lineNumber += 1
                return .line(range, complete: false)
            case .failed(let reason):
                finished = true
                return .problem(TraceProblem(line: lineNumber + 1, reason: "read failed: \(reason)"))
            }
        }
    }

    private func overlong(line: Int) -> TraceProblem {
        let limit = maximumLineLength >= 1 << 20 ? "\(maximumLineLength >> 20) MiB" : "\(maximumLineLength) bytes"
        return TraceProblem(line: line, reason: "line longer than \(limit), skipped")
    }

    /// The index of the first line feed in `buffer[start...]`.
    static func newline(in buffer: [UInt8], from start: Int) -> Int? {
        guard start < buffer.count else { return nil }
        return buffer.withUnsafeBytes { raw in
            guard let found = memchr(raw.baseAddress! + start, 0x0A, raw.count - start) else { return nil }
            return raw.baseAddress!.distance(to: UnsafeRawPointer(found))
        }
    }

    private mutating func skipToNextLine() {
        buffer.removeAll(keepingCapacity: true)
        start = 0
        while true {
            switch fill() {
            case .read:
                if let newline = Self.newline(in: buffer, from: 0) {
                    start = newline + 1
                    return
                }
                buffer.removeAll(keepingCapacity: true)
            case .end, .failed:
                finished = true
                return
            }
        }
    }

    private mutating func fill() -> TraceReaderFill {
        if start > 0 && start >= buffer.count / 2 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        let before = buffer.count
        let result = source.read(into: &buffer)
        bytesRead += buffer.count - before
        return result
    }

    static func readHeader(
        source: inout ByteSource, buffer: inout [UInt8], start: inout Int, path: String
    ) throws -> TraceHeader {
        // The header line: at most 16 MiB (a graph of thousands of nodes fits).
        let limit = 16 << 20
        var newline: Int?
        while newline == nil {
            newline = Cursor.newline(in: buffer, from: 0)
            if newline != nil { break }
            if buffer.count > limit {
                throw TraceReadError.notATrace(path: path, reason: "the first line is longer than 16 MiB")
            }
            switch source.read(into: &buffer) {
            case .read: continue
            case .end:
                if buffer.isEmpty { throw TraceReadError.notATrace(path: path, reason: "the file is empty") }
                newline = buffer.count
            case .failed(let reason):
                throw TraceReadError.readFailed(path: path, reason: reason)
            }
        }
        var lineStart = 0
        if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { lineStart = 3 }
        var lineEnd = newline!
        if lineEnd > lineStart, buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
        let line = buffer[lineStart..<lineEnd]
        if line.contains(0) || buffer.prefix(4096).contains(0) {
            throw TraceReadError.notATrace(path: path, reason: "it contains binary data")
        }
        let record: TraceRecord?
        do {
            record = try TraceDecoder().decode(line)
        } catch {
            throw TraceReadError.notATrace(path: path, reason: "the first line is not a trace header: \(error.reason)")
        }
        guard case .header(let header) = record else {
            throw TraceReadError.notATrace(path: path, reason: "the first line is not a trace header")
        }
        if versionProblem(header.version) != nil {
            throw TraceReadError.unsupportedVersion(path: path, found: header.version, supported: TraceFormat.version)
        }
        start = Swift.min(newline! + 1, buffer.count)
        return header
    }

    /// A message when `version` has a major version this build cannot read.
    static func versionProblem(_ version: String) -> String? {
        let major = version.split(separator: ".", maxSplits: 1).first.flatMap { Int($0) }
        guard let major else { return "invalid format version '\(version)'" }
        if major > TraceFormat.majorVersion {
            return "format version \(version) is newer than this build's \(TraceFormat.version)"
        }
        return nil
    }
}

/// Where a reader's bytes come from.
private enum ByteSource {
    /// A file and the chunk it is read into (allocated once, freed by `close`).
    case file(Int32, UnsafeMutableRawPointer)
    case memory([UInt8])
    case closed

    static let chunkSize = 1 << 20

    mutating func read(into buffer: inout [UInt8]) -> TraceReaderFill {
        switch self {
        case .file(let descriptor, let chunk):
            var readCount = 0
            while true {
                readCount = posixRead(descriptor, chunk, Self.chunkSize)
                if readCount < 0 && errno == EINTR { continue }
                break
            }
            if readCount < 0 { return .failed(String(cString: strerror(errno))) }
            if readCount == 0 { return .end }
            buffer.append(
                contentsOf: UnsafeBufferPointer(start: chunk.assumingMemoryBound(to: UInt8.self), count: readCount))
            return .read
        case .memory(let bytes):
            self = .closed
            if bytes.isEmpty { return .end }
            buffer.append(contentsOf: bytes)
            return .read
        case .closed:
            return .end
        }
    }

    mutating func close() {
        if case .file(let descriptor, let chunk) = self {
            posixClose(descriptor)
            chunk.deallocate()
        }
        self = .closed
    }
}

/// The outcome of one read from a ``ByteSource``.
private enum TraceReaderFill {
    case read, end
    case failed(String)
}

/// A log line that does not have the form `<time> <LEVEL> <service> <message>`.
struct LogFormatError: Error, CustomStringConvertible, Sendable, Hashable {
    /// The file's path in the fleet.
    var path: String
    /// The 1-based line number.
    var line: Int
    /// What is wrong with it.
    var problem: String

    var description: String { "\(path):\(line): \(problem)" }
}

/// Reads log lines: leniently (malformed lines are counted and skipped) or strictly
/// (the first malformed line is an error naming the file and the line).
enum LogParser {
    /// Every line of `lines`: the entries of the well-formed ones, the numbers of the others.
    static func parse(_ lines: [String]) -> ParsedLog {
        var entries: [LogEntry] = []
        entries.reserveCapacity(lines.count)
        var malformed: [Int] = []
        var checksum: UInt64 = 0xCBF2_9CE4_8422_2325
        for (offset, line) in lines.enumerated() {
            checksum = LongRunRandom.hash(line, from: checksum)
            switch entry(line) {
            case .success(let entry): entries.append(entry)
            case .failure: malformed.append(offset + 1)
            }
        }
        return ParsedLog(entries: entries, malformedLines: malformed, lineCount: lines.count, checksum: checksum)
    }

    /// Checks every line of `lines` and returns how many there are.
    ///
    /// - Throws: ``LogFormatError`` for the first malformed line.
    static func validate(_ lines: [String], path: String) throws(LogFormatError) -> Int {
        for (offset, line) in lines.enumerated() {
            if case .failure(let problem) = entry(line) {
                throw LogFormatError(path: path, line: offset + 1, problem: problem.description)
            }
        }
        return lines.count
    }

    /// What is wrong with a line, without its place.
    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    /// One line parsed, or what is wrong with it.
    static func entry(_ line: String) -> Result<LogEntry, Problem> {
        let fields = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
        guard fields.count == 4 else {
            return .failure(Problem(description: "cut off after \(fields.count) of 4 fields: '\(line)'"))
        }
        guard let millisecond = millisecond(of: fields[0]) else {
            return .failure(Problem(description: "bad time '\(fields[0])'"))
        }
        guard let level = LogLevel(rawValue: String(fields[1])) else {
            return .failure(Problem(description: "unknown level '\(fields[1])'"))
        }
        guard !fields[2].isEmpty, let kind = MessageKind(message: fields[3]) else {
            return .failure(Problem(description: "unknown message '\(fields[3])'"))
        }
        return .success(
            LogEntry(
                millisecond: millisecond, level: level, service: String(fields[2]), kind: kind,
                latency: latency(in: fields[3])))
    }

    /// The millisecond of the day of `2026-11-26T08:15:32.123Z`, or `nil`.
    static func millisecond(of text: Substring) -> Int? {
        let bytes = Array(text.utf8)
        guard bytes.count == 24, bytes[10] == UInt8(ascii: "T"), bytes[23] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let hours = number(11..<13), let minutes = number(14..<16), let seconds = number(17..<19),
            let milliseconds = number(20..<23), hours < 24, minutes < 60, seconds < 60
        else { return nil }
        return ((hours * 60 + minutes) * 60 + seconds) * 1_000 + milliseconds
    }

    /// The number before the first `ms` that ends a word of `message`, if any.
    static func latency(in message: Substring) -> Int? {
        for word in message.split(separator: " ") where word.hasSuffix("ms") {
            if let value = Int(word.dropLast(2)) { return value }
        }
        return nil
    }
}

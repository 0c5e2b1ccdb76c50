/// The severity of a log line.
enum LogLevel: String, Codable, Sendable, CaseIterable, Comparable {
    case debug = "DEBUG"
    case info = "INFO"
    case warn = "WARN"
    case error = "ERROR"

    /// Levels order by severity.
    static func < (lhs: LogLevel, rhs: LogLevel) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// What a log line's message is about, recognised from its first words.
enum MessageKind: String, Codable, Sendable, CaseIterable {
    case request, write, query, cacheMiss = "cache_miss", timeout, reset, retry, login, declined, disk

    /// The kind of `message`, or `nil` for a message of no known kind.
    init?(message: Substring) {
        let prefixes: [(String, MessageKind)] = [
            ("GET ", .request), ("POST ", .write), ("db query ", .query), ("cache miss ", .cacheMiss),
            ("upstream ", .timeout), ("connection reset ", .reset), ("retrying ", .retry), ("user ", .login),
            ("payment declined ", .declined), ("disk usage ", .disk),
        ]
        guard let match = prefixes.first(where: { message.hasPrefix($0.0) }) else { return nil }
        self = match.1
    }
}

/// One well-formed log line, parsed.
struct LogEntry: Codable, Sendable, Hashable {
    /// The millisecond of the day the line was written.
    var millisecond: Int
    /// The line's severity.
    var level: LogLevel
    /// The service that wrote it.
    var service: String
    /// What the message is about.
    var kind: MessageKind
    /// The latency the message reports (`… 35ms`, `took 12ms`, `after 2000ms`), if any.
    var latency: Int?
}

/// A log file read leniently: its well-formed lines, and the numbers of the others.
struct ParsedLog: Codable, Sendable, Hashable {
    /// The well-formed lines, in file order.
    var entries: [LogEntry]
    /// The 1-based numbers of the lines that could not be read.
    var malformedLines: [Int]
    /// The total number of lines.
    var lineCount: Int
    /// A checksum of every line's text, in order.
    var checksum: UInt64
}

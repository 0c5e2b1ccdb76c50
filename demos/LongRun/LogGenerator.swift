/// Writes the lines of a simulated log file: `<time> <LEVEL> <service> <message>`.
///
/// Every line is a function of the file's seed, so a file reads the same in every run.
/// A damaged file has about one line in five cut off mid-write; a healthy one has
/// a cut-off line now and then (about one in 500), which the lenient parser skips.
enum LogGenerator {
    /// The lines of `file`.
    static func lines(of file: LogFileSpec) -> [String] {
        var random = LongRunRandom(seed: file.seed)
        var millisecond = (file.index * 7_919 % 86_400) * 1_000
        var lines: [String] = []
        lines.reserveCapacity(file.lineCount)
        for _ in 0..<file.lineCount {
            millisecond = (millisecond + 1 + random.next(below: 900)) % 86_400_000
            let kind = MessageKind.allCases[weightedKind(&random)]
            let (level, message) = message(kind, service: file.service, random: &random)
            var line = timestamp(millisecond) + " " + level.rawValue + " " + file.service + " " + message
            let cutChance = file.damaged ? 0.2 : 0.002
            if random.nextUnit() < cutChance {
                line = String(line.prefix(4 + random.next(below: 24)))
            }
            lines.append(line)
        }
        return lines
    }

    /// `2026-11-26T08:15:32.123Z` for a millisecond of the day.
    static func timestamp(_ millisecond: Int) -> String {
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let fraction = millisecond % 1_000
        let seconds = millisecond / 1_000
        let milli = fraction < 10 ? "00\(fraction)" : fraction < 100 ? "0\(fraction)" : "\(fraction)"
        return "2026-11-26T\(two(seconds / 3_600)):\(two(seconds / 60 % 60)):\(two(seconds % 60)).\(milli)Z"
    }

    /// The index of a message kind, the common ones more often.
    private static func weightedKind(_ random: inout LongRunRandom) -> Int {
        let weights = [30, 14, 16, 10, 4, 3, 5, 9, 3, 2]  // one per MessageKind, in order
        var roll = random.next(below: weights.reduce(0, +))
        for (index, weight) in weights.enumerated() {
            if roll < weight { return index }
            roll -= weight
        }
        return 0
    }

    /// A latency in milliseconds with a long tail: mostly `typical`, sometimes ten times more.
    private static func latency(_ typical: Int, _ random: inout LongRunRandom) -> Int {
        let base = typical / 2 + random.next(below: typical)
        return random.nextUnit() < 0.03 ? base * (5 + random.next(below: 10)) : base
    }

    private static func message(
        _ kind: MessageKind, service: String, random: inout LongRunRandom
    ) -> (LogLevel, String) {
        switch kind {
        case .request:
            let status = random.nextUnit() < 0.04 ? 500 + random.next(below: 4) : 200 + random.next(below: 2)
            let path = ["/orders/", "/users/", "/items/", "/carts/"][random.next(below: 4)]
            return (
                status >= 500 ? .error : .info,
                "GET \(path)\(random.next(below: 100_000)) \(status) \(latency(40, &random))ms"
            )
        case .write:
            let status = random.nextUnit() < 0.05 ? 409 : 201
            return (status == 201 ? .info : .warn, "POST /checkout \(status) \(latency(120, &random))ms")
        case .query:
            let table = ["orders", "users", "items", "invoices", "sessions"][random.next(below: 5)]
            return (.debug, "db query on \(table) took \(latency(15, &random))ms")
        case .cacheMiss:
            return (.debug, "cache miss for key \(String(random.next() & 0xFF_FFFF, radix: 16))")
        case .timeout:
            let upstream = LogBatch.services.filter { $0 != service }[random.next(below: LogBatch.services.count - 1)]
            return (.error, "upstream \(upstream) timed out after \(latency(2_000, &random))ms")
        case .reset:
            return (.warn, "connection reset by peer 10.0.\(random.next(below: 256)).\(random.next(below: 256))")
        case .retry:
            return (.warn, "retrying job \(random.next(below: 1_000_000)) (attempt \(2 + random.next(below: 4)))")
        case .login:
            return (.info, "user \(random.next(below: 1_000_000)) signed in")
        case .declined:
            let reason = ["insufficient funds", "card expired", "fraud suspected"][random.next(below: 3)]
            return (.warn, "payment declined for order \(random.next(below: 100_000)): \(reason)")
        case .disk:
            let percent = 60 + random.next(below: 40)
            return (percent >= 95 ? .error : .info, "disk usage at \(percent)%")
        }
    }
}

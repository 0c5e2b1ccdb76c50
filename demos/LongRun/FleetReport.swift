/// The whole fleet: every host's report and the totals.
struct FleetReport: Codable, Sendable, Hashable {
    /// One report per host, in host order.
    var hosts: [HostReport]
    /// The number of reference lines behind the latency baseline.
    var baselineLines: Int

    /// Merges the host reports.
    static func merge(hosts: [HostReport], baseline: LatencyBaseline) -> FleetReport {
        FleetReport(hosts: hosts, baselineLines: baseline.sampleLines)
    }

    /// The number of files, lines, malformed lines and slow lines in all hosts.
    var files: Int { hosts.reduce(0) { $0 + $1.files } }
    var lines: Int { hosts.reduce(0) { $0 + $1.lines } }
    var malformed: Int { hosts.reduce(0) { $0 + $1.malformed } }
    var slow: Int { hosts.reduce(0) { $0 + $1.slow } }

    /// Lines per level, in ``LogLevel`` order.
    var levels: [Int] {
        hosts.reduce([Int](repeating: 0, count: LogLevel.allCases.count)) { totals, host in
            zip(totals, host.levels).map { $0 + $1 }
        }
    }

    /// Lines per message kind, in ``MessageKind`` order.
    var kinds: [Int] {
        hosts.reduce([Int](repeating: 0, count: MessageKind.allCases.count)) { totals, host in
            zip(totals, host.kinds).map { $0 + $1 }
        }
    }

    /// The quarantined files of all hosts, in fleet order.
    var quarantined: [String] { hosts.flatMap(\.quarantined) }

    /// Every figure of the report as text, one host a line: what the digest covers.
    var canonicalText: String {
        var lines = ["baseline \(baselineLines)"]
        for host in hosts {
            lines.append(
                "\(host.host) files \(host.files) lines \(host.lines) malformed \(host.malformed) slow \(host.slow) "
                    + "levels \(host.levels) kinds \(host.kinds) quarantined \(host.quarantined) "
                    + "slowest \(host.slowestFile) burst \(host.worstErrorMinute) "
                    + "checksum \(LongRunRandom.hex(host.checksum))")
        }
        return lines.joined(separator: "\n")
    }
}

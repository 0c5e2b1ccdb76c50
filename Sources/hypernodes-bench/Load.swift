import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Estimates how much CPU other processes used while a group was measured,
/// so that figures taken on a busy machine are flagged on stderr.
///
/// Linux only: busy jiffies of all CPUs from `/proc/stat`, minus this
/// process's own CPU time (`getrusage`), over the elapsed time.
struct ForeignLoad {
    private let busy: Double?
    private let own: Double
    private let start: ContinuousClock.Instant

    init() {
        busy = Self.systemBusySeconds()
        own = Self.ownCPUSeconds()
        start = Harness.clock.now
    }

    /// Average number of cores used by other processes since `init`, or `nil`
    /// where `/proc/stat` is unavailable.
    func cores() -> Double? {
        guard let before = busy, let after = Self.systemBusySeconds() else { return nil }
        let elapsed = Harness.nanoseconds(Harness.clock.now - start) / 1e9
        guard elapsed > 0 else { return nil }
        return max(0, ((after - before) - (Self.ownCPUSeconds() - own)) / elapsed)
    }

    static func systemBusySeconds() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let line = text.split(separator: "\n").first, line.hasPrefix("cpu ")
        else { return nil }
        let fields = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard fields.count >= 8 else { return nil }
        // user nice system idle iowait irq softirq steal
        let busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7]
        return busy / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    static func ownCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}

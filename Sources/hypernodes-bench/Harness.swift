import Foundation
import Synchronization

/// Timing and statistics helpers. Everything here runs outside the measured
/// loops or once per batch, never once per measured run.
enum Harness {
    static let clock = ContinuousClock()

    /// Nanoseconds in a `Duration`.
    @inline(__always)
    static func nanoseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1e9 + Double(attoseconds) / 1e9
    }

    static func median(_ samples: [Double]) -> Double {
        precondition(!samples.isEmpty, "no samples")
        let sorted = samples.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    /// A one-line summary of a sample set for stderr.
    static func spread(_ samples: [Double], scale: Double = 1, unit: String) -> String {
        let m = median(samples)
        let lo = samples.min()!, hi = samples.max()!
        let pct = m == 0 ? 0 : 100 * (hi - lo) / m
        return String(
            format: "median %.3f %@, min %.3f, max %.3f, spread %.1f%% (n=%d)",
            m * scale, unit, lo * scale, hi * scale, pct, samples.count)
    }

    /// Writes a diagnostic line to stderr.
    static func log(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    /// Prints one result line, `name value unit`, on stdout.
    static func report(_ name: String, _ value: Double, _ unit: String, decimals: Int) {
        print("\(name) \(String(format: "%.\(decimals)f", value)) \(unit)")
    }

    /// Stops the benchmark: a figure could not be measured or a result is wrong.
    static func fail(_ message: String) -> Never {
        log("hypernodes-bench: FAILED: \(message)")
        removeTemporaries()
        exit(1)
    }

    /// Runs each variant once per repetition, rotating which variant goes
    /// first so that slow drift (thermal, frequency, other processes) hits
    /// every variant alike. Returns one sample list per variant.
    static func interleaved(
        warmups: Int, samples: Int, _ variants: [() async throws -> Double]
    ) async throws -> [[Double]] {
        for _ in 0..<warmups {
            for variant in variants { _ = try await variant() }
        }
        var results = Array(repeating: [Double](), count: variants.count)
        for rep in 0..<samples {
            for k in 0..<variants.count {
                let v = (rep + k) % variants.count
                results[v].append(try await variants[v]())
            }
        }
        return results
    }
}

extension Harness {
    /// Temporary directories to delete at the end, also when the benchmark fails.
    static let temporaries = Mutex<[URL]>([])

    static func registerTemporary(_ url: URL) {
        temporaries.withLock { $0.append(url) }
    }

    static func removeTemporaries() {
        let urls = temporaries.withLock { list in
            defer { list.removeAll() }
            return list
        }
        for url in urls { try? FileManager.default.removeItem(at: url) }
    }
}

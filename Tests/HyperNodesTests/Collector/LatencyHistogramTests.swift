import Testing

@testable import HyperNodesTrace

@Suite("Latency histogram")
struct LatencyHistogramTests {
    @Test("up to 256 values the percentiles are exact (nearest rank)")
    func exact() throws {
        var histogram = LatencyHistogram()
        for value in (1...200).reversed() { histogram.record(UInt64(value) * 1_000) }
        let latency = try #require(histogram.latency)
        #expect(latency.isExact)
        #expect(latency.count == 200)
        #expect(latency.p50 == 100_000 && latency.p95 == 190_000 && latency.p99 == 198_000)
        #expect(latency.minimum == 1_000 && latency.maximum == 200_000 && latency.mean == 100_500)
    }

    @Test("beyond, every percentile is within 0.8 % of the true one, over a wide range of values")
    func bucketed() throws {
        var histogram = LatencyHistogram()
        var values: [UInt64] = []
        var value: UInt64 = 7
        for _ in 0..<100_000 {
            value = value &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let sample = 100 + (value >> 20) % 50_000_000_000  // 100 ns to 50 s
            values.append(sample)
            histogram.record(sample)
        }
        values.sort()
        let latency = try #require(histogram.latency)
        #expect(!latency.isExact && latency.count == 100_000)
        #expect(latency.minimum == values.first && latency.maximum == values.last)
        for (percent, got) in [(50, latency.p50), (95, latency.p95), (99, latency.p99)] {
            let expected = values[(percent * values.count + 99) / 100 - 1]
            let error = abs(Double(got) - Double(expected)) / Double(expected)
            #expect(error <= 0.008, "p\(percent): \(got) against \(expected)")
        }
    }

    @Test("every bucket's midpoint is within 0.8 % of every value in it, up to UInt64.max")
    func buckets() {
        var value: UInt64 = 1
        while true {
            for probe in [value, value + value / 3, value + value / 2] {
                let midpoint = LatencyHistogram.midpoint(of: LatencyHistogram.bucket(of: probe))
                let error = abs(Double(midpoint) - Double(probe)) / Double(probe)
                #expect(error <= 0.008, "\(probe) → \(midpoint)")
            }
            if value > UInt64.max / 2 { break }
            value *= 2
        }
        #expect(LatencyHistogram.midpoint(of: LatencyHistogram.bucket(of: .max)) <= .max)
        #expect(LatencyHistogram.bucket(of: 127) == 127 && LatencyHistogram.midpoint(of: 127) == 127)
    }

    @Test("no values: no percentiles")
    func empty() {
        #expect(LatencyHistogram().latency == nil)
    }
}

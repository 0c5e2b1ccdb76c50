import Testing

@testable import HyperNodesTrace

@Suite("Waterfall")
struct WaterfallTests {
    @Test("bars: full cells, eighth-block right ends, half and eighth left ends, never invisible")
    func bars() {
        #expect(String(Waterfall.bar(start: 0, end: 100, total: 100, cells: 4)) == "████")
        #expect(String(Waterfall.bar(start: 0, end: 50, total: 100, cells: 4)) == "██  ")
        // 1/16 of 2 cells is one eighth of the first cell.
        #expect(String(Waterfall.bar(start: 0, end: 1, total: 16, cells: 2)) == "▏ ")
        #expect(String(Waterfall.bar(start: 0, end: 7, total: 16, cells: 2)) == "▉ ")
        #expect(String(Waterfall.bar(start: 0, end: 12, total: 16, cells: 2)) == "█▌")
        // Left ends: starting half-way into a cell draws a right half block.
        #expect(String(Waterfall.bar(start: 4, end: 16, total: 16, cells: 2)) == "▐█")
        #expect(String(Waterfall.bar(start: 7, end: 16, total: 16, cells: 2)) == "▕█")
        #expect(String(Waterfall.bar(start: 1, end: 16, total: 16, cells: 2)) == "██")
        // A zero-length span still shows one eighth, also at the very end.
        #expect(String(Waterfall.bar(start: 8, end: 8, total: 16, cells: 2)) == " ▏")
        #expect(String(Waterfall.bar(start: 16, end: 16, total: 16, cells: 2)) == " ▕")
        #expect(String(Waterfall.bar(start: 0, end: 0, total: 0, cells: 3)) == "▏  ")
    }

    @Test("map rows shade each cell by the share of the peak concurrency running in it")
    func density() {
        // Two items over the first half, one over the third quarter, none in the last.
        let intervals: [(UInt64, UInt64)] = [(0, 50), (0, 50), (50, 75)]
        #expect(String(Waterfall.density(of: intervals, peak: 2, total: 100, cells: 4)) == "██▒ ")
        #expect(String(Waterfall.density(of: [(0, 10)], peak: 4, total: 100, cells: 2)) == "░ ")
        #expect(String(Waterfall.density(of: [(30, 30)], peak: 1, total: 100, cells: 2)) == "░ ")
    }

    @Test("axis steps are 1, 2 or 5 × 10ⁿ ns and labels exact and short")
    func axis() {
        #expect(Waterfall.tickStep(total: 1_000_000_000, cells: 100) == 100_000_000)
        #expect(Waterfall.tickStep(total: 2_000_000_000, cells: 68) == 500_000_000)
        #expect(Waterfall.tickStep(total: 7, cells: 100) == 1)
        #expect(Waterfall.tickStep(total: .max, cells: 4) > 0)
        #expect(Waterfall.axisLabel(0) == "0")
        #expect(Waterfall.axisLabel(1_500_000_000) == "1.5 s")
        #expect(Waterfall.axisLabel(250_000) == "250 µs")
        #expect(Waterfall.axisLabel(20_000_000) == "20 ms")
        #expect(Waterfall.axisLabel(1_250_000) == "1.25 ms")
        #expect(Waterfall.axisLabel(7) == "7 ns")
    }
}

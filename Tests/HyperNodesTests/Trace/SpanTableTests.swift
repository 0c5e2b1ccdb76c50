import HyperNodes
import Testing

@testable import HyperNodesTrace

@Suite("Span table")
struct SpanTableTests {
    @Test("random inserts, updates and removals agree with Dictionary", arguments: [1, 2, 3])
    func matchesDictionary(seed: UInt64) {
        var random = SeededGenerator(state: seed)
        var table = SpanTable<Int>(capacity: 4)
        var reference: [UInt64: Int] = [:]
        for step in 0..<20_000 {
            // A small key space makes collisions, reinsertion and long probe runs common.
            let key = UInt64.random(in: 1...3_000, using: &random)
            switch Int.random(in: 0..<3, using: &random) {
            case 0, 1:
                table[SpanID(rawValue: key)] = step
                reference[key] = step
            default:
                #expect(table.remove(SpanID(rawValue: key)) == reference.removeValue(forKey: key))
            }
            if step % 997 == 0 {
                for probe in 1...3_000 as ClosedRange<UInt64> {
                    #expect(table[SpanID(rawValue: probe)] == reference[probe])
                }
            }
        }
        #expect(table.count == reference.count)
        table.removeAll()
        #expect(table.isEmpty && table[SpanID(rawValue: 1)] == nil)
    }

    @Test("span id 0 is never stored")
    func zeroKey() {
        var table = SpanTable<Int>()
        table[SpanID(rawValue: 0)] = 1
        #expect(table.isEmpty)
    }
}

import Foundation
import HyperNodes
import Testing

@testable import HyperNodesTrace

@Suite("Trace reader fuzzing")
struct TraceFuzzTests {
    /// A realistic trace recorded from a map with a nested pipeline and a failure.
    static let recorded: [UInt8] = {
        var lines: [[UInt8]] = [TraceEncoder().encode(.header(SampleTrace.header))]
        var t: UInt64 = 0
        for item in 0..<40 {
            let span = UInt64(10 + item * 3)
            t += 7
            var start = SampleTrace.event(.mapItemStart, span: span, parent: 1, t: t)
            start.itemIndex = item
            start.attributes = ["input.x": "value \"\(item)\"\n日本"]
            lines.append(TraceEncoder().encode(.event(start)))
            var end = SampleTrace.event(.mapItemEnd, span: span, parent: 1, t: t + 3)
            end.itemIndex = item
            if item % 9 == 0 {
                end.status = .error
                end.error = ErrorInfo(type: "Demo.Failure", message: "item \(item) failed: \\ path")
            }
            lines.append(TraceEncoder().encode(.event(end)))
            lines.append(
                TraceEncoder().encode(
                    .progress(
                        MapProgress(
                            runID: 0xAB, spanID: SpanID(rawValue: 1), name: "m", timestamp: t + 3, total: 40,
                            done: item + 1, failed: item / 9 + 1, cached: 0, inFlight: 0))))
        }
        return lines.flatMap { $0 }
    }()

    enum Mutation: CaseIterable {
        case truncate, flipBytes, shuffleLines, hugeNumbers, deepNesting, hugeLine, insertGarbage, duplicateLines
    }

    static func mutate(_ input: [UInt8], _ mutation: Mutation, _ random: inout SeededGenerator) -> [UInt8] {
        var bytes = input
        switch mutation {
        case .truncate:
            bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &random)))
        case .flipBytes:
            for _ in 0..<Int.random(in: 1...20, using: &random) {
                let index = Int.random(in: 0..<bytes.count, using: &random)
                bytes[index] ^= UInt8.random(in: 1...255, using: &random)
            }
        case .shuffleLines:
            var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
            lines.shuffle(using: &random)
            bytes = Array(lines.joined(separator: [0x0A]))
        case .hugeNumbers:
            let text = String(decoding: bytes, as: UTF8.self)
            bytes = Array(
                text.replacingOccurrences(
                    of: "\"t\":",
                    with: "\"t\":" + String(repeating: "9", count: Int.random(in: 15...400, using: &random))
                )
                .utf8)
        case .deepNesting:
            let depth = Int.random(in: 100...200_000, using: &random)
            let insert =
                Array(#"{"type":"node_start","x":"#.utf8) + [UInt8](repeating: UInt8(ascii: "["), count: depth)
                + [0x0A]
            let lines = bytes.split(separator: 0x0A)
            let at = Int.random(in: 1...max(1, lines.count), using: &random)
            bytes =
                Array(lines.prefix(at).joined(separator: [0x0A])) + [0x0A] + insert
                + Array(lines.dropFirst(at).joined(separator: [0x0A]))
        case .hugeLine:
            let line =
                Array(#"{"type":"node_start","name":""#.utf8)
                + [UInt8](repeating: UInt8(ascii: "a"), count: 10 << 20) + Array(#"","run":"1","t":1,"span":1}"#.utf8)
                + [0x0A]
            let firstNewline = bytes.firstIndex(of: 0x0A)!
            bytes.insert(contentsOf: line, at: firstNewline + 1)
        case .insertGarbage:
            for _ in 0..<Int.random(in: 1...5, using: &random) {
                let index = Int.random(in: 0...bytes.count, using: &random)
                let garbage = (0..<Int.random(in: 1...64, using: &random)).map { _ in
                    UInt8.random(in: 0...255, using: &random)
                }
                bytes.insert(contentsOf: garbage, at: index)
            }
        case .duplicateLines:
            var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
            for _ in 0..<Int.random(in: 1...10, using: &random) {
                lines.append(lines[Int.random(in: 0..<lines.count, using: &random)])
            }
            bytes = Array(lines.joined(separator: [0x0A]))
        }
        return bytes
    }

    @Test("seeded mutations of a valid trace never crash or hang the reader", arguments: Mutation.allCases)
    func mutations(_ mutation: Mutation) throws {
        let rounds = mutation == .hugeLine || mutation == .deepNesting ? 3 : 100
        for seed in 0..<UInt64(rounds) {
            var random = SeededGenerator(state: seed &* 7919 &+ UInt64(Mutation.allCases.firstIndex(of: mutation)!))
            let bytes = Self.mutate(Self.recorded, mutation, &random)
            let lineCount = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).count
            let reader: TraceReader
            do {
                reader = try TraceReader(bytes: bytes, name: "fuzz-\(seed)")
            } catch let error as TraceReadError {
                // Refusing the whole file is allowed only when its first line is damaged.
                #expect(!"\(error)".isEmpty)
                continue
            }
            var records = 0
            for element in reader {
                switch element {
                case .record(_, let line):
                    records += 1
                    #expect(line >= 2 && line <= lineCount, "seed \(seed): record on line \(line) of \(lineCount)")
                case .problem(let problem):
                    #expect(problem.line >= 1 && problem.line <= lineCount + 1, "seed \(seed): \(problem)")
                    #expect(!problem.reason.isEmpty)
                }
            }
            #expect(records <= lineCount)
        }
    }

    @Test("byte flips outside the header still leave every undamaged line readable")
    func undamagedLinesSurvive() throws {
        let lines = Self.recorded.split(separator: 0x0A)
        var random = SeededGenerator(state: 42)
        for _ in 0..<50 {
            var damaged = lines.map(Array.init)
            let victim = Int.random(in: 1..<damaged.count, using: &random)
            damaged[victim] = Array(damaged[victim].prefix(damaged[victim].count / 2))
            let bytes = Array(damaged.joined(separator: [0x0A])) + [0x0A]
            let (records, problems) = try TraceReader(bytes: bytes).readAll()
            #expect(records.count == lines.count - 1)
            #expect(problems.map(\.line) == [victim + 1])
        }
    }
}

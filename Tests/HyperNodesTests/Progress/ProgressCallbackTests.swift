import Foundation
import HyperNodes
import HyperNodesTelemetry
import Logging
import Testing

/// ProgressCallback end to end: real runs, output written to a file and
/// read back (through ``ScreenEmulator`` for the live tree).
@Suite("ProgressCallback")
struct ProgressCallbackTests {
    static let double = Node("double", inputs: "x", output: "doubled") { (x: Int) in x * 2 }
    static let addOne = Node("add_one", inputs: "doubled", output: "result") { (d: Int) in d + 1 }
    static let escape = "\u{1B}"

    /// Runs `body` with options writing to a fresh file, then returns what was written.
    func capture(
        mode: ProgressMode, size: TerminalSize = TerminalSize(columns: 70, rows: 20),
        _ body: (ProgressOptions) async throws -> Void
    ) async throws -> String {
        let directory = TemporaryDirectory()
        let url = directory.url.appendingPathComponent("progress")
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let file = try FileHandle(forWritingTo: url)
        let options = ProgressOptions(
            mode: mode, output: .fileDescriptor(file.fileDescriptor), size: size,
            environment: ["TERM": "xterm-256color"])
        try await body(options)
        try file.close()
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// The screen left by live output, checked for unsupported escape sequences.
    func screen(_ output: String) -> [String] {
        var emulator = ScreenEmulator()
        emulator.feed(output)
        #expect(emulator.unsupported.isEmpty, "\(emulator.unsupported)")
        return emulator.screen
    }

    @Test("plain mode: one line per finished node and run, no escape codes, no carriage returns")
    func plainLines() async throws {
        let output = try await capture(mode: .plain) { options in
            let progress = try ProgressCallback(options: options)
            let pipeline = try Pipeline(nodes: [Self.double, Self.addOne], name: "arith", callbacks: [progress])
            _ = try await pipeline.run(inputs: ["x": 1])
            progress.close()
        }
        #expect(!output.contains(Self.escape) && !output.contains("\r"))
        let lines = output.split(separator: "\n").map { $0.components(separatedBy: "  ")[0] }
        #expect(lines == ["✓ arith > double", "✓ arith > add_one", "✓ arith"], "\(output)")
    }

    @Test("tty mode: the tree is redrawn in place, printed lines land above it, the summary stays")
    func liveTreeAndPrint() async throws {
        let output = try await capture(mode: .tty) { options in
            let progress = try ProgressCallback(options: options)
            let sum = Node("sum", inputs: "result", output: "total") { (r: [Int]) in r.reduce(0, +) }
            let slow = Node("slow", inputs: "total", output: "done") { (total: Int) async throws -> Int in
                progress.print("hello from slow", to: options.output)
                try await Task.sleep(for: .milliseconds(350))
                return total
            }
            let items = try Pipeline(nodes: [Self.double, Self.addOne], name: "per_item")
            let pipeline = try Pipeline(
                nodes: [try items.asNode(name: "each", mapOver: ["x"]), sum, slow], name: "outer",
                callbacks: [progress])
            _ = try await pipeline.run(inputs: ["x": Array(0..<50)])
            progress.close()
            progress.close()  // twice is fine
        }
        #expect(!output.contains("\u{1B}[2J"), "never clears the screen")
        #expect(output.contains("\u{1B}[K"))
        #expect(output.range(of: "\u{1B}\\[[0-9]+A", options: .regularExpression) != nil, "moves the cursor up")
        let lines = screen(output)
        #expect(lines.count == 5, "\(lines)")
        #expect(lines.first == "hello from slow", "\(lines)")
        #expect(lines.dropFirst().first?.hasPrefix("outer") == true && lines[1].contains("✓ 3/3 nodes"), "\(lines)")
        #expect(lines.contains { $0.hasPrefix("├─ each [map]") && $0.contains("✓ 50/50") }, "\(lines)")
        #expect(lines.last?.hasPrefix("└─ slow") == true, "\(lines)")
        #expect(!lines.joined().contains("⠋"), "no spinner is left on screen: \(lines)")
    }

    @Test("many runs at once: every run is summarised or counted, none is lost")
    func manyConcurrentRuns() async throws {
        let runs = 40
        let output = try await capture(mode: .tty) { options in
            let progress = try ProgressCallback(options: options)
            let pipeline = try Pipeline(nodes: [Self.double, Self.addOne], name: "small", callbacks: [progress])
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<runs { group.addTask { _ = try await pipeline.run(inputs: ["x": i]) } }
                try await group.waitForAll()
            }
            progress.close()
        }
        let lines = screen(output)
        let summarised = lines.filter { $0.hasPrefix("small") }.count
        let folded = lines.compactMap { line -> Int? in
            guard line.hasPrefix("… "), line.hasSuffix("more runs finished") else { return nil }
            return Int(line.split(separator: " ")[1])
        }.reduce(0, +)
        #expect(summarised + folded == runs, "\(lines)")
        #expect(summarised >= 4)
    }

    @Test("many short runs in a row: runs never on screen are counted, failures included, none is kept")
    func manyShortRuns() async throws {
        struct Odd: Error {}
        let runs = 500
        var model = ProgressModel()
        let output = try await capture(mode: .tty) { options in
            let progress = try ProgressCallback(options: options)
            let check = Node("check", inputs: "doubled", output: "checked") { (d: Int) throws -> Int in
                if d % 20 == 0 { throw Odd() }
                return d
            }
            let pipeline = try Pipeline(nodes: [Self.double, check], name: "short", callbacks: [progress])
            for i in 0..<runs { _ = try? await pipeline.run(inputs: ["x": i]) }
            progress.close()
            model = progress.model
        }
        #expect(model.isEmpty && model.roots.isEmpty)
        let lines = screen(output)
        let summarised = lines.filter { $0.hasPrefix("short") }
        var folded = 0
        var foldedFailures = 0
        for line in lines where line.hasPrefix("… ") && line.contains("more runs finished") {
            let words = line.split(separator: " ")
            folded += Int(words[1]) ?? 0
            if let failed = line.range(of: #"(\d+) failed"#, options: .regularExpression) {
                foldedFailures += Int(line[failed].split(separator: " ")[0]) ?? 0
            }
        }
        #expect(summarised.count + folded == runs, "\(lines)")
        #expect(summarised.filter { $0.contains("✗") }.count + foldedFailures == runs / 10, "\(lines)")
    }

    @Test("a failing run leaves its failure in the summary")
    func failure() async throws {
        struct Broken: Error, CustomStringConvertible { var description: String { "disk on fire" } }
        let output = try await capture(mode: .tty) { options in
            let progress = try ProgressCallback(options: options)
            let boom = Node("boom", inputs: "doubled", output: "never") { (d: Int) throws -> Int in throw Broken() }
            let pipeline = try Pipeline(nodes: [Self.double, boom], name: "fragile", callbacks: [progress])
            await #expect(throws: NodeError.self) { try await pipeline.run(inputs: ["x": 1]) }
            progress.close()
        }
        let lines = screen(output)
        #expect(lines.count == 3, "\(lines)")
        #expect(lines[0].hasPrefix("fragile") && lines[0].contains("✗") && lines[0].contains("disk on fire"))
        #expect(lines[2].hasPrefix("└─ boom") && lines[2].contains("✗"), "\(lines)")
    }

    @Test("off mode writes nothing; print still writes its line")
    func off() async throws {
        let output = try await capture(mode: .off) { options in
            let progress = try ProgressCallback(options: options)
            let pipeline = try Pipeline(nodes: [Self.double], name: "quiet", callbacks: [progress])
            _ = try await pipeline.run(inputs: ["x": 1])
            progress.print("only this", to: options.output)
            progress.close()
        }
        #expect(output == "only this\n")
    }

    @Test("log lines through ProgressLogHandler land above the tree")
    func logHandler() async throws {
        let output = try await capture(mode: .tty) { options in
            let progress = try ProgressCallback(options: options)
            var configured = Logger(label: "ingest") { label in
                ProgressLogHandler(label: label, progress: progress, output: options.output)
            }
            configured[metadataKey: "file"] = "a.csv"
            let logger = configured
            let logging = Node("logging", inputs: "x", output: "y") { (x: Int) async throws -> Int in
                try await Task.sleep(for: .milliseconds(250))
                logger.info("read 3 rows")
                logger.debug("not shown below info")
                return x
            }
            let pipeline = try Pipeline(nodes: [logging], name: "logged", callbacks: [progress])
            _ = try await pipeline.run(inputs: ["x": 1])
            progress.close()
        }
        let lines = screen(output)
        #expect(lines.count == 3, "\(lines)")
        #expect(lines[0].hasSuffix(" info ingest: [file=a.csv] read 3 rows"), "\(lines)")
        #expect(lines[1].hasPrefix("logged"))
    }
}

import Foundation
import Testing

/// `hypernodes demo --progress …` and `HYPERNODES_PROGRESS`, run as a process
/// whose stderr is a file (not a terminal).
@Suite("hypernodes demo progress options")
struct DemoProgressTests {
    static let escape = "\u{1B}"

    @Test("auto on a file and --progress plain give plain lines on stderr; results on stdout are unchanged")
    func plainLines() async throws {
        let auto = try await Executable.run(["demo", "--items", "4", "--no-cache"])
        let plain = try await Executable.run(["demo", "--items", "4", "--no-cache", "--progress", "plain"])
        let off = try await Executable.run(["demo", "--items", "4", "--no-cache", "--progress", "off"])
        for run in [auto, plain, off] { #expect(run.status == 0, "\(run)") }
        for run in [auto, plain] {
            let lines = run.stderr.split(separator: "\n").map(String.init)
            #expect(!run.stderr.contains(Self.escape) && !run.stderr.contains("\r"), "\(run)")
            #expect(lines.contains { $0.hasPrefix("✓ demo > load_corpus  ") }, "\(run)")
            #expect(lines.contains { $0.hasPrefix("✓ demo > analyze [map]  4/4  ") }, "\(run)")
            #expect(lines.last?.hasPrefix("✓ demo  5/5 nodes  ") == true, "\(run)")
            #expect(!lines.contains { $0.contains("tokenize") }, "nodes inside map items get no line each: \(run)")
            #expect(run.resultLines == off.resultLines)
        }
        #expect(off.stderr.isEmpty, "\(off)")
    }

    @Test("HYPERNODES_PROGRESS chooses the mode; --progress wins over it")
    func environment() async throws {
        let off = try await Executable.run(
            ["demo", "--items", "2", "--no-cache"], environment: ["HYPERNODES_PROGRESS": "off"])
        #expect(off.status == 0 && off.stderr.isEmpty, "\(off)")
        let overridden = try await Executable.run(
            ["demo", "--items", "2", "--no-cache", "--progress", "plain"], environment: ["HYPERNODES_PROGRESS": "off"])
        #expect(overridden.status == 0 && overridden.stderr.contains("✓ demo  5/5 nodes"), "\(overridden)")
    }

    @Test("an unknown mode fails with a message naming the option or the variable")
    func badModes() async throws {
        let option = try await Executable.run(["demo", "--items", "2", "--no-cache", "--progress", "fancy"])
        #expect(option.status != 0, "\(option)")
        #expect(
            option.stderr.contains("--progress: unknown progress mode 'fancy'; expected one of auto, tty, plain, off"))
        #expect(!option.stdout.contains("Corpus"))
        let variable = try await Executable.run(
            ["demo", "--items", "2", "--no-cache"], environment: ["HYPERNODES_PROGRESS": "loud"])
        #expect(variable.status != 0, "\(variable)")
        #expect(variable.stderr.contains("HYPERNODES_PROGRESS: unknown progress mode 'loud'"), "\(variable)")
    }

    @Test("--progress tty draws with cursor movement even into a file; NO_COLOR keeps it but drops colour")
    func forcedTty() async throws {
        let colored = try await Executable.run(
            ["demo", "--items", "3", "--no-cache", "--progress", "tty"],
            environment: ["TERM": "xterm-256color", "NO_COLOR": ""])
        #expect(colored.status == 0, "\(colored)")
        #expect(colored.stderr.contains("\u{1B}[K") && colored.stderr.contains("\u{1B}[32m✓"), "\(colored)")
        let noColor = try await Executable.run(
            ["demo", "--items", "3", "--no-cache", "--progress", "tty"],
            environment: ["TERM": "xterm-256color", "NO_COLOR": "1"])
        #expect(noColor.status == 0, "\(noColor)")
        #expect(noColor.stderr.contains("\u{1B}[K"), "\(noColor)")
        #expect(!noColor.stderr.contains("m✓") && noColor.stderr.contains("✓ 5/5 nodes"), "\(noColor)")
        let dumb = try await Executable.run(
            ["demo", "--items", "3", "--no-cache", "--progress", "tty"], environment: ["TERM": "dumb"])
        #expect(dumb.stderr.contains("+ 5/5 nodes") && !dumb.stderr.contains("✓"), "\(dumb)")
    }
}

import Foundation
import Testing

@testable import HyperNodesTrace
@testable import hypernodes

/// `hypernodes summary --color auto|always|never`, through the built executable.
@Suite("hypernodes summary --color (executable)")
struct CollectorRenderingCommandTests {
    typealias Scripts = CollectorRenderingScripts

    /// A directory holding the scripted search run as `search.jsonl`.
    static func workspace() throws -> (TemporaryDirectory, String, TraceModel) {
        let directory = TemporaryDirectory("hn-color")
        let trace = directory.url.appendingPathComponent("search.jsonl").path
        try Data(Scripts.recordedBytes([(Scripts.search, "search")])).write(to: URL(fileURLWithPath: trace))
        return (directory, trace, try TraceModel(path: trace))
    }

    static func summary(_ model: TraceModel, color: Bool, width: Int = 100) -> String {
        TraceSummary.render(model, options: TraceSummary.Options(width: width, color: color))
    }

    @Test("--color always colours the waterfall, --color never does not, whatever NO_COLOR says")
    func alwaysAndNever() async throws {
        let (directory, trace, model) = try Self.workspace()
        defer { withExtendedLifetime(directory) {} }
        for environment in [[:], ["NO_COLOR": "1", "TERM": "dumb"]] {
            let always = try await Executable.run(["summary", trace, "--color", "always"], environment: environment)
            #expect(always.status == 0 && always.stderr.isEmpty, "\(always)")
            #expect(always.stdout == Self.summary(model, color: true))
            #expect(always.stdout.contains(WaterfallState.ok.sgr) && always.stdout.contains(WaterfallState.failed.sgr))
            let never = try await Executable.run(
                ["summary", trace, "--color", "never", "--width", "60"], environment: environment)
            #expect(never.status == 0, "\(never)")
            #expect(never.stdout == Self.summary(model, color: false, width: 60))
            #expect(!never.stdout.contains("\u{1B}"))
        }
        // Only the waterfall is coloured: without its colours the page is the plain summary but for its legend.
        let plain = Self.summary(model, color: false)
        let colored = Scripts.strippingColors(Self.summary(model, color: true))
        #expect(
            plain.components(separatedBy: "\nWaterfall\n")[0] == colored.components(separatedBy: "\nWaterfall\n")[0])
        #expect(plain.components(separatedBy: "\nTotals:")[1] == colored.components(separatedBy: "\nTotals:")[1])
    }

    @Test("--color auto (the default) is plain text when standard output is not a terminal")
    func autoToAFile() async throws {
        let (directory, trace, model) = try Self.workspace()
        defer { withExtendedLifetime(directory) {} }
        for arguments in [["summary", trace], ["summary", trace, "--color", "auto"]] {
            let run = try await Executable.run(arguments, environment: ["TERM": "xterm-256color"])
            #expect(run.status == 0, "\(run)")
            #expect(run.stdout == Self.summary(model, color: false))
        }
    }

    @Test("a bad --color value is refused with a message naming the choices")
    func badValue() async throws {
        let (directory, trace, _) = try Self.workspace()
        defer { withExtendedLifetime(directory) {} }
        let run = try await Executable.run(["summary", trace, "--color", "sometimes"])
        #expect(run.status != 0 && run.stdout.isEmpty, "\(run)")
        #expect(run.stderr.contains("--color") && run.stderr.contains("sometimes"), "\(run)")
        #expect(run.stderr.contains("auto") && run.stderr.contains("always") && run.stderr.contains("never"), "\(run)")
    }

    @Test("auto colours a terminal unless NO_COLOR is set (and not empty) or TERM is dumb")
    func autoDecision() {
        let mode = SummaryCommand.ColorMode.auto
        #expect(mode.colors(outputIsTerminal: true, environment: ["TERM": "xterm-256color"]))
        #expect(mode.colors(outputIsTerminal: true, environment: [:]))
        #expect(mode.colors(outputIsTerminal: true, environment: ["NO_COLOR": ""]))
        #expect(!mode.colors(outputIsTerminal: true, environment: ["NO_COLOR": "1"]))
        #expect(!mode.colors(outputIsTerminal: true, environment: ["TERM": "dumb"]))
        #expect(!mode.colors(outputIsTerminal: false, environment: ["TERM": "xterm-256color"]))
        #expect(SummaryCommand.ColorMode.always.colors(outputIsTerminal: false, environment: ["NO_COLOR": "1"]))
        #expect(!SummaryCommand.ColorMode.never.colors(outputIsTerminal: true, environment: [:]))
    }

    @Test("in a pseudo-terminal, auto colours; NO_COLOR=1 or TERM=dumb turn it off")
    func autoInATerminal() async throws {
        let (directory, trace, model) = try Self.workspace()
        defer { withExtendedLifetime(directory) {} }
        let binary = try Executable.executable().path
        let cases: [(String, Bool)] = [
            ("env -u NO_COLOR TERM=xterm-256color", true), ("env NO_COLOR=1 TERM=xterm-256color", false),
            ("env -u NO_COLOR TERM=dumb", false),
        ]
        for (index, (environment, colors)) in cases.enumerated() {
            // `script` runs the command in a pseudo-terminal and copies what it prints.
            let command = "\(environment) '\(binary)' summary '\(trace)' --width 100"
            let child = try ChildProcess(
                "script", ["-qec", command, "/dev/null"], directory: directory.url, label: "script-\(index)")
            let status = try await child.wait(timeout: .seconds(120), what: "script")
            #expect(status == 0, "\(child.tail())")
            // The terminal turns line ends into CR LF.
            let output = child.stdout.replacingOccurrences(of: "\r\n", with: "\n")
            #expect(output == Self.summary(model, color: colors), "\(environment)\n\(child.tail())")
        }
    }
}

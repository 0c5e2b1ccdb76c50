import ArgumentParser
import Foundation
import HyperNodes
import HyperNodesMonitor
import Synchronization
import Testing

@testable import hypernodes

/// Keeps `docs/guides/TELEMETRY_GUIDE.md` true: its Swift snippets compile
/// (they are in `GuideSnippets.swift`), its commands name real programs and
/// options, its key table is the monitor's own, its links lead somewhere, and
/// the scrubbed previews it shows are what the engine produces.
@Suite("Telemetry guide")
struct GuideTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let guidePath = "docs/guides/TELEMETRY_GUIDE.md"

    static func text(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    /// The contents of the guide's fenced blocks in `language` (`swift`, `sh`, or `""` for plain ones).
    static func blocks(_ language: String, in text: String) -> [String] {
        var blocks: [String] = []
        var current: [String]?
        var currentLanguage = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") {
                if let lines = current {
                    if currentLanguage == language { blocks.append(lines.joined(separator: "\n")) }
                    current = nil
                } else {
                    currentLanguage = String(line.dropFirst(3))
                    current = []
                }
            } else {
                current?.append(String(line))
            }
        }
        return blocks
    }

    /// Non-empty lines with indentation removed.
    static func lines(_ text: some StringProtocol) -> [String] {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    @Test("every Swift snippet of the guide is compiled, in GuideSnippets.swift or the demo it names")
    func everySnippetIsCompiled() throws {
        let guide = try Self.text(Self.guidePath)
        let snippets = Self.blocks("swift", in: guide)
        #expect(snippets.count >= 10)
        for snippet in snippets {
            var code = Self.lines(snippet)
            var source = "Tests/HyperNodesTests/Docs/GuideSnippets.swift"
            if let first = code.first, first.hasPrefix("// From ") {
                source = String(first.dropFirst("// From ".count))
                code.removeFirst()
            }
            let compiled = Self.lines(try Self.text(source))
            let imports = code.filter { $0.hasPrefix("import ") }
            for line in imports {
                #expect(compiled.contains(line), "\(source) lacks the guide's \(line)")
            }
            let body = "\n" + code.filter { !$0.hasPrefix("import ") }.joined(separator: "\n") + "\n"
            #expect(
                ("\n" + compiled.joined(separator: "\n") + "\n").contains(body),
                "guide snippet not in \(source):\n\(snippet)")
        }
    }

    /// The key table as the guide shows it, from the monitor's own list.
    static func keyTable() -> String {
        var rows = ["| group | keys | what they do |", "|---|---|---|"]
        var group: KeyBinding.Group?
        for binding in KeyBinding.all {
            let groupCell = binding.group == group ? "" : binding.group.rawValue
            group = binding.group
            rows.append("| \(groupCell) | `\(binding.label)` | \(binding.meaning) |")
        }
        return rows.joined(separator: "\n") + "\n"
    }

    @Test("the guide's key table is the monitor's help table")
    func keyTableIsTheMonitorsOwn() throws {
        let guide = try Self.text(Self.guidePath)
        #expect(guide.contains("\n" + Self.keyTable()), "the guide's key table should read:\n\(Self.keyTable())")
    }

    /// The words of one shell command line: environment assignments,
    /// redirections and a trailing comment removed.
    static func commandWords(_ line: String) -> [String] {
        let uncommented = line.components(separatedBy: " #").first ?? line
        var words = uncommented.split(separator: " ").map(String.init)
        while let first = words.first, first.contains("="), !first.hasPrefix("-") { words.removeFirst() }
        var kept: [String] = []
        var skipNext = false
        for word in words {
            if skipNext {
                skipNext = false
            } else if [">", "2>", ">>", "2>&1"].contains(word) {
                skipNext = word != "2>&1"
            } else if word.hasPrefix("2>") || word.hasPrefix(">") {
                continue
            } else {
                kept.append(word)
            }
        }
        return kept
    }

    /// The executables this package and the OTLP demo's package declare.
    static func executables() throws -> Set<String> {
        var names: Set<String> = []
        for manifest in ["Package.swift", "demos/OTLPDemo/Package.swift"] {
            let text = try Self.text(manifest)
            let declarations =
                text.components(separatedBy: ".executableTarget(").dropFirst()
                + text.components(separatedBy: ".executable(").dropFirst()
            for part in declarations {
                if let range = part.range(of: #"name: "([^"]+)""#, options: .regularExpression) {
                    names.insert(String(part[range].dropFirst(7).dropLast()))
                }
            }
        }
        return names
    }

    @Test("every swift run command of the guide names an executable, and hypernodes accepts its arguments")
    func commandsParse() throws {
        let guide = try Self.text(Self.guidePath)
        let executables = try Self.executables()
        var checked = 0
        for block in Self.blocks("sh", in: guide) {
            for line in block.split(separator: "\n").map(String.init) where !line.hasPrefix("#") {
                var words = Self.commandWords(line)
                guard let run = words.firstIndex(of: "run"), run > 0, words[run - 1] == "swift" else { continue }
                words.removeSubrange(...run)
                while let first = words.first, first.hasPrefix("-") {
                    words.removeFirst(first == "-c" || first == "--scratch-path" ? 2 : 1)
                }
                guard let product = words.first else {
                    Issue.record("no product in: \(line)")
                    continue
                }
                #expect(executables.contains(product), "\(line): no executable \(product)")
                if product == "hypernodes" {
                    #expect(throws: Never.self, "\(line)") {
                        _ = try HypernodesCommand.parseAsRoot(Array(words.dropFirst()))
                    }
                }
                checked += 1
            }
        }
        #expect(checked >= 20)
    }

    /// GitHub's anchor for a heading.
    static func anchor(_ heading: String) -> String {
        let kept = heading.lowercased().unicodeScalars.filter {
            CharacterSet.alphanumerics.contains($0) || $0 == " " || $0 == "-" || $0 == "_"
        }
        return String(String.UnicodeScalarView(kept)).replacingOccurrences(of: " ", with: "-")
    }

    static func anchors(in markdown: String) -> Set<String> {
        var inCode = false
        var anchors: Set<String> = []
        for line in markdown.split(separator: "\n") {
            if line.hasPrefix("```") { inCode.toggle() }
            if !inCode, line.hasPrefix("#") {
                anchors.insert(anchor(line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)))
            }
        }
        return anchors
    }

    @Test("the guide's links lead to files and headings that exist")
    func linksResolve() throws {
        let guide = try Self.text(Self.guidePath)
        let guideDirectory = "docs/guides"
        let pattern = #/\]\(([^)\s]+)\)/#
        var checked = 0
        for match in guide.matches(of: pattern) {
            let target = String(match.output.1)
            if target.hasPrefix("http") { continue }
            let parts = target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let relative = parts[0].isEmpty ? Self.guidePath : Self.relativePath(guideDirectory + "/" + parts[0])
            #expect(
                FileManager.default.fileExists(atPath: Self.root.appendingPathComponent(relative).path),
                "link \(target): no file \(relative)")
            if parts.count == 2, let text = try? Self.text(relative) {
                #expect(
                    Self.anchors(in: text).contains(parts[1]), "link \(target): no heading #\(parts[1]) in \(relative)")
            }
            checked += 1
        }
        #expect(checked >= 10)
    }

    @Test("the guide's collected-failures snippet returns the good items and prints what its comment says")
    func collectedFailuresSnippet() async throws {
        let values = try await parseAll(["12.5", "abc", "7"])
        #expect(values.map(\.index) == [0, 2])
        #expect(values.map(\.value) == [12.5, 7])
        let result = try await Pipeline(nodes: [parseAmountNode], name: "amounts").map(
            inputs: ["text": ["12.5", "abc", "7"]], over: ["text"], onItemFailure: .collect)
        let printed = result.failures.map { "\($0)" }
        #expect(printed.count == 1)
        let guide = try Self.text(Self.guidePath)
        #expect(guide.contains("print(failure)  // \(printed.first ?? "-")"), "the comment should read: \(printed)")
    }

    /// `a/b/../c` → `a/c`, without touching the file system.
    static func relativePath(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == ".." { _ = parts.popLast() } else if part != "." { parts.append(part) }
        }
        return parts.joined(separator: "/")
    }

    /// Collects the input previews of node starts.
    final class InputPreviews: PipelineCallback {
        let previews = Mutex<[String: String]>([:])
        var wantsValuePreviews: Bool { true }
        func onNodeStart(_ event: PipelineEvent, context: CallbackContext) {
            previews.withLock { $0.merge(event.attributes) { _, new in new } }
        }
    }

    @Test("the scrubbed previews the guide shows are what every callback receives")
    func scrubbedPreviewsAreWhatTheGuideShows() async throws {
        let collector = InputPreviews()
        let assistant = try scrubbedAssistant(callbacks: [collector])
        let result = try await assistant.run(inputs: [
            "prompt": "Summarise my invoices", "api_key": "sk-live-1234",
            "account": Account(plan: "pro", customerID: "C-778"),
        ])
        #expect(result["reply", as: String.self] == "pro: Summarise my invoices")
        let previews = collector.previews.withLock { $0 }.filter { $0.key.hasPrefix("input.") }
        #expect(previews.count == 3)
        let width = (previews.keys.map(\.count).max() ?? 0) + 2
        let shown = previews.sorted { $0.key < $1.key }.map {
            $0.key.padding(toLength: width, withPad: " ", startingAt: 0) + $0.value
        }.joined(separator: "\n")
        let guide = try Self.text(Self.guidePath)
        #expect(guide.contains("```\n" + shown + "\n```"), "the guide should show:\n\(shown)")
        #expect(!shown.contains("sk-live-1234") && !shown.contains("C-778"))
    }
}

import Foundation
import HyperNodes
import HyperNodesTelemetry
import HyperNodesTrace
import Logging

// The Swift snippets of docs/guides/TELEMETRY_GUIDE.md, compiled with the
// tests. `GuideTests` checks that each snippet in the guide appears here line
// by line (ignoring indentation; a snippet's `import` lines may be anywhere
// in this file), so the guide cannot show code that does not compile.

@Node(output: "words")
func splitWords(text: String) -> [String] {
    text.split(separator: " ").map(String.init)
}

@Node(output: "word_count")
func countWords(words: [String]) -> Int {
    words.count
}

func countAll(_ texts: [String]) async throws -> [Int] {
    let progress = try ProgressCallback()  // a live tree on a terminal, plain lines otherwise
    let recorder = try TraceRecorder(path: "words.jsonl")  // every event, for summary, replay and export
    let pipeline = try Pipeline(
        nodes: [splitWordsNode, countWordsNode], name: "words", callbacks: [progress, recorder])
    let result = try await pipeline.map(inputs: ["text": texts], over: ["text"])
    progress.close()  // draws the final summary: print results after this
    return try result.values("word_count", as: Int.self)
}

/// Progress, a trace file when asked for, and live serving when a monitor asks for it.
struct Observers {
    let progress: ProgressCallback
    let recorder: TraceRecorder?
    let live: LiveServer?

    init(recordTo path: String?) throws {
        progress = try ProgressCallback(options: .fromEnvironment())  // HYPERNODES_PROGRESS=auto|tty|plain|off
        recorder = try path.map { try TraceRecorder(path: $0) }
        live = try LiveServer.fromEnvironment()  // only under HYPERNODES_LIVE=1, as `hypernodes monitor --` sets it
    }

    var callbacks: [any PipelineCallback] {
        var all: [any PipelineCallback] = [progress]
        if let recorder { all.append(recorder) }
        if let live { all.append(live) }
        return all
    }

    /// Call once, after the last run and before printing results.
    func close() {
        progress.close()  // the final summary
        recorder?.close()
        live?.close()  // attached monitors are told the process is done
    }
}

/// Prints each failure as it happens, with where it happened.
struct FailureLog: PipelineCallback {
    func onError(_ event: PipelineEvent, context: CallbackContext) {
        let path = (context.hierarchyPath + [event.name]).joined(separator: " > ")
        print("failed: \(path): \(event.error?.message ?? "")")
    }
}

@Node(output: "reply")
func ask(prompt: String, api_key apiKey: String, account: Account) -> String {
    "\(account.plan): \(prompt)"
}

struct Account: Sendable, CustomStringConvertible {
    var plan: String
    var customerID: String
    var description: String { "Account(plan: \(plan), customerID: \(customerID))" }
}

func scrubbedAssistant(callbacks: [any PipelineCallback]) throws -> Pipeline {
    var assistant = try Pipeline(nodes: [askNode], name: "assistant", callbacks: callbacks)
    assistant.secretScrubbing = try SecretScrubbing(extraPatterns: ["customer_id"])
    return assistant
}

struct NotANumber: Error, CustomStringConvertible {
    let text: String
    var description: String { "not a number: '\(text)'" }
}

@Node(output: "amount")
func parseAmount(text: String) throws -> Double {
    guard let amount = Double(text) else { throw NotANumber(text: text) }
    return amount
}

func parseAll(_ texts: [String]) async throws -> [(index: Int, value: Double)] {
    let amounts = try Pipeline(nodes: [parseAmountNode], name: "amounts")
    let result = try await amounts.map(inputs: ["text": texts], over: ["text"], onItemFailure: .collect)
    for failure in result.failures {
        print(failure)  // item 1: amounts[1] > parseAmount: not a number: 'abc'
    }
    return try result.successfulValues("amount", as: Double.self)  // the items that succeeded
}

/// The guide's shorter snippets, each in a function of its own; none is run.
enum GuideSnippets {
    static func asyncCallback() throws -> Pipeline {
        let logged = try Pipeline(
            nodes: [splitWordsNode, countWordsNode], name: "words", callbacks: [AsyncCallback(FailureLog())])
        return logged
    }

    static func progressModes() throws -> [ProgressCallback] {
        var options = ProgressOptions(mode: .plain)
        options.plainInterval = 30  // a map status line every 30 s in CI logs
        let ciProgress = try ProgressCallback(options: options)
        let silent = try ProgressCallback(mode: .off)
        return [ciProgress, silent]
    }

    static func printing(progress: ProgressCallback) {
        progress.print("loaded 1,200 documents")  // above the tree, standard output by default
        LoggingSystem.bootstrap { label in ProgressLogHandler(label: label, progress: progress) }
    }

    static func serving() throws -> Pipeline {
        let live = try LiveServer()  // listening when it returns: `hypernodes ps` lists this process
        let served = try Pipeline(nodes: [splitWordsNode, countWordsNode], name: "words", callbacks: [live])
        return served
    }

    static func recording() throws -> [Pipeline] {
        let traceFile = try TraceRecorder(path: "run.jsonl")
        let traced = try Pipeline(nodes: [splitWordsNode, countWordsNode], name: "words", callbacks: [traceFile])
        var options = TraceRecorder.Options()
        options.itemSpans = false  // a map of millions of items: its counts and ticks only
        options.valuePreviews = true  // inputs and outputs as short previews, scrubbed of secrets
        let bigRun = try TraceRecorder(path: "big-run.jsonl", options: options)
        return [traced, try Pipeline(nodes: [splitWordsNode], name: "big", callbacks: [bigRun])]
    }

    static func reading() throws {
        let model = try TraceModel(path: "run.jsonl")
        print(TraceSummary.render(model, width: 100))
        for element in try TraceReader(path: "run.jsonl") {
            if case .record(.event(let event), _) = element, event.kind == .nodeEnd {
                print(event.name, event.duration ?? 0)
            }
        }
        let perfetto = ChromeTraceExporter().export(model)  // UTF-8 JSON
        try Data(perfetto).write(to: URL(fileURLWithPath: "run.json"))
        let page = HTMLWaterfallExporter(title: "Nightly run").export(model)  // UTF-8 HTML
        try Data(page).write(to: URL(fileURLWithPath: "run.html"))
    }

    static func collecting(_ texts: [String]) async throws {
        let collector = TraceCollector()  // keeps the runs in memory, as values
        let pipeline = try Pipeline(nodes: [splitWordsNode, countWordsNode], name: "words", callbacks: [collector])
        _ = try await pipeline.map(inputs: ["text": texts], over: ["text"])
        print(collector.waterfall(width: 100), terminator: "")  // complete: map returned
        if let run = collector.lastRun {
            print(run.summary(width: 100), terminator: "")  // what hypernodes summary prints for it
            try run.html(title: "words").write(toFile: "words.html", atomically: true, encoding: .utf8)
        }
        try collector.write(to: "words.jsonl")  // for hypernodes summary, replay and export
    }

    static func telemetry() throws -> [any PipelineCallback] {
        let telemetry = TelemetryCallback()  // spans of InstrumentationSystem.tracer
        let spanned = try Pipeline(nodes: [splitWordsNode, countWordsNode], name: "words", callbacks: [telemetry])
        let lean = TelemetryCallback(traceMapItems: false, previews: false)
        let blocking = AsyncCallback(TelemetryCallback())  // for a tracer whose calls block
        return spanned.callbacks + [lean, blocking]
    }
}

import Foundation

/// The text `hypernodes demo` prints: a header before the run and the
/// results after it.
struct DemoReport {
    /// The summary computed by the pipeline.
    var summary: DemoSummary
    /// The wall-clock duration of the run.
    var elapsed: Duration
    /// The nodes served from the cache, as counted from `nodeCached` events.
    var cachedNodes: [String]
    /// Whether the run had a cache at all.
    var cacheEnabled: Bool

    /// The lines printed before the run starts.
    static func header(documents: Int, seed: UInt64, concurrency: String, cache: String) -> [String] {
        [
            "HyperNodes demo: document analytics on \(documents) synthetic documents (seed \(seed))",
            "  pipeline   demo: load_corpus -> profile_corpus | build_vocabulary (cached) -> analyze -> summarize",
            "  analyze    map over documents of document_analysis: tokenize -> embed -> score",
            "  run        \(concurrency), cache \(cache)",
            "",
        ]
    }

    /// The lines printed after the run: results first, then how the run went.
    var lines: [String] {
        var lines: [String] = []
        func row(_ label: String, _ text: String) {
            lines.append(label.padding(toLength: 14, withPad: " ", startingAt: 0) + text)
        }
        let perDocument = summary.documentCount > 0 ? Double(summary.tokenCount) / Double(summary.documentCount) : 0
        row(
            "Corpus",
            "\(summary.documentCount) documents, \(summary.wordCount) words, \(summary.topicCount) topics")
        row("Vocabulary", "\(summary.vocabularySize) terms")
        row("Tokens", "\(summary.tokenCount) after tokenization (\(Self.fixed(perDocument, 1)) per document)")
        row(
            "Clusters",
            "\(summary.clusters.count) found by k-means, \(Self.percent(summary.clusterAgreement)) "
                + "agree with the generating topics")
        for cluster in summary.clusters {
            let size = String(cluster.size).leftPadded(to: 5)
            let topic = cluster.dominantTopic.padding(toLength: 10, withPad: " ", startingAt: 0)
            let purity = Self.percent(cluster.purity).leftPadded(to: 4)
            row("", "\(size) docs  \(topic) \(purity)  \(cluster.terms.joined(separator: ", "))")
        }
        row("Top keywords", summary.topKeywords.map { "\($0.term) (\($0.documents))" }.joined(separator: ", "))
        for (index, highlight) in summary.mostDistinctive.enumerated() {
            row(
                index == 0 ? "Distinctive" : "",
                "#\(highlight.id) \(highlight.title) (\(Self.fixed(highlight.distinctiveness, 3)))")
        }
        row("Fingerprint", summary.fingerprint)
        lines.append("")
        row("Elapsed", "\(Self.fixed(elapsed.seconds, 2)) s")
        row("From cache", cacheLine)
        return lines
    }

    /// How many nodes were served from the cache, and which.
    var cacheLine: String {
        guard cacheEnabled else { return "nothing (cache disabled)" }
        if cachedNodes.isEmpty { return "0 nodes" }
        let noun = cachedNodes.count == 1 ? "node" : "nodes"
        return "\(cachedNodes.count) \(noun): \(cachedNodes.joined(separator: ", "))"
    }

    /// `value` with `digits` decimals, independent of the locale.
    static func fixed(_ value: Double, _ digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }

    /// `fraction` as a whole percentage, such as `97%`.
    static func percent(_ fraction: Double) -> String {
        "\(Int((fraction * 100).rounded()))%"
    }
}

extension Duration {
    /// The duration in seconds.
    fileprivate var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}

extension String {
    /// The string with spaces in front, to at least `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: " ", count: max(0, width - count)) + self
    }
}

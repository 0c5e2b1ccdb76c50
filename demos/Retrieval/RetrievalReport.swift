import Foundation

/// The text `retrieval` prints: a header before the run and the results after it.
struct RetrievalReport {
    /// What the pipeline found.
    var outcome: RetrievalOutcome
    /// The wall-clock duration of the run.
    var elapsed: Duration
    /// The nodes served from the cache, in event order.
    var cachedNodes: [String]

    /// The lines printed before the run starts.
    static func header(documents: Int, queries: Int, concurrency: Int, pace: Duration) -> [String] {
        let paceMilliseconds = Int((pace / .milliseconds(1)).rounded())
        return [
            "retrieval: \(documents) documents, \(queries) queries, \(HashingEmbedder.dimensions)-dimensional "
                + "hashed embeddings, concurrency \(concurrency), "
                + (paceMilliseconds > 0 ? "paced at \(paceMilliseconds) ms per item" : "not paced"),
            "  pipeline         retrieval: load_corpus -> chunk_documents -> collect_chunks -> embed_chunks "
                + "-> build_index -> answer_queries -> evaluate",
            "  chunk_documents  map over documents of chunking: chunk",
            "  embed_chunks     map over passages of chunk_embedding: tokenize -> embed (cached)",
            "  answer_queries   map over queries of answer_query: embed_query (cached) -> search -> rerank",
            "",
        ]
    }

    /// Every result as text: the index's size, each answer's hits with their scores to
    /// four decimals, and the evaluation. What the digest covers.
    var canonicalText: String {
        let index = outcome.index
        var lines = ["index \(index.chunks.count) \(index.documentFrequency.count)"]
        for answer in outcome.answers {
            lines.append("query \(answer.query.text) expects \(answer.query.expected ?? "-")")
            for hit in answer.hits {
                lines.append(
                    "  \(hit.documentID) \(hit.chunkID) \(Self.fixed(hit.score, 4)) \(Self.fixed(hit.similarity, 4)) "
                        + Self.fixed(hit.lexical, 4))
            }
        }
        let evaluation = outcome.evaluation
        lines.append(
            "evaluation \(evaluation.judged) \(evaluation.firstHits) \(evaluation.anyHits) "
                + Self.fixed(evaluation.meanReciprocalRank, 4))
        return lines.joined(separator: "\n")
    }

    /// A digest of every result: the same for every run of the same queries, whatever
    /// the concurrency, pacing or cache.
    var digest: String { RetrievalHash.hex(RetrievalHash.fnv1a(canonicalText)) }

    /// The lines printed after the run.
    var lines: [String] {
        var lines: [String] = []
        func row(_ label: String, _ text: String) {
            lines.append(label.padding(toLength: 13, withPad: " ", startingAt: 0) + text)
        }
        let index = outcome.index
        let documents = Set(index.chunks.map(\.documentID)).count
        let terms = index.termCounts.reduce(0) { $0 + $1.values.reduce(0, +) }
        row(
            "Index",
            "\(documents) documents, \(index.chunks.count) passages, \(terms) terms "
                + "(\(index.documentFrequency.count) distinct), \(HashingEmbedder.dimensions) dimensions")
        let idWidth = max(12, outcome.answers.flatMap(\.hits).map(\.documentID.count).max() ?? 0)
        for (number, answer) in outcome.answers.enumerated() {
            let expects = answer.query.expected.map { "  (expects \($0))" } ?? ""
            row("Query \(number + 1)", "\(answer.query.text)\(expects)")
            if answer.hits.isEmpty { row("", "  no passage matched") }
            for (rank, hit) in answer.hits.enumerated() {
                let mark = hit.documentID == answer.query.expected ? "  ✓" : ""
                row(
                    "",
                    "  \(rank + 1). \(hit.documentID.padding(toLength: idWidth, withPad: " ", startingAt: 0))  "
                        + "\(Self.fixed(hit.score, 3))  (meaning \(Self.fixed(hit.similarity, 3)), "
                        + "words \(Self.fixed(hit.lexical, 3)))  \(hit.title)\(mark)")
            }
            if let expected = answer.query.expected, answer.expectedRank == nil {
                row("", "  ✗ \(expected) is not among the hits")
            }
        }
        let evaluation = outcome.evaluation
        if evaluation.judged > 0 {
            row(
                "Accuracy",
                "expected document first for \(evaluation.firstHits) of \(evaluation.judged) queries, "
                    + "among the hits for \(evaluation.anyHits); mean reciprocal rank "
                    + Self.fixed(evaluation.meanReciprocalRank, 3))
        } else {
            row("Accuracy", "not measured: no query names its expected document")
        }
        row("Digest", digest)
        lines.append("")
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        row("Elapsed", "\(Self.fixed(seconds, 1)) s")
        row("From cache", Self.cacheSummary(cachedNodes))
        return lines
    }

    /// `embed ×137, embed_query ×16`: the cached nodes by name, in the order of their
    /// first hit, or `nothing`.
    static func cacheSummary(_ names: [String]) -> String {
        var order: [String] = []
        var counts: [String: Int] = [:]
        for name in names {
            if counts[name] == nil { order.append(name) }
            counts[name, default: 0] += 1
        }
        guard !order.isEmpty else { return "nothing" }
        return order.map { counts[$0]! > 1 ? "\($0) ×\(counts[$0]!)" : $0 }.joined(separator: ", ")
    }

    /// `value` with `digits` digits after the point, without Foundation's locale.
    static func fixed(_ value: Double, _ digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = Int((value * scale).rounded())
        let sign = scaled < 0 ? "-" : ""
        let whole = abs(scaled) / Int(scale)
        let fraction = String(abs(scaled) % Int(scale))
        guard digits > 0 else { return sign + String(whole) }
        return "\(sign)\(whole).\(String(repeating: "0", count: digits - fraction.count))\(fraction)"
    }
}

import Foundation

/// What the `analyze` pipeline finds out about one document.
struct DemoDocumentAnalysis: Codable, Sendable, Equatable {
    /// The document's id.
    var id: Int
    /// The document's title.
    var title: String
    /// The topic the document was generated from.
    var topic: String
    /// The number of terms after tokenization.
    var tokenCount: Int
    /// The three terms with the highest TF-IDF weight, best first.
    var keywords: [String]
    /// How far the document is from the corpus as a whole: 1 − cosine
    /// similarity of its embedding and the corpus centroid.
    var distinctiveness: Double
    /// The document's unit embedding.
    var embedding: [Double]

    /// Scores a tokenized and embedded document.
    static func score(
        document: DemoDocument, tokens: [String], embedding: [Double], vocabulary: DemoVocabulary
    ) -> DemoDocumentAnalysis {
        var counts: [String: Int] = [:]
        for token in tokens { counts[token, default: 0] += 1 }
        let ranked = counts.map { term, count in
            (term: term, weight: Double(count) * vocabulary.inverseDocumentFrequency(of: term))
        }
        .sorted { $0.weight != $1.weight ? $0.weight > $1.weight : $0.term < $1.term }

        let similarity = zip(embedding, vocabulary.centroid).reduce(0) { $0 + $1.0 * $1.1 }
        return DemoDocumentAnalysis(
            id: document.id, title: document.title, topic: document.topic, tokenCount: tokens.count,
            keywords: ranked.prefix(3).map(\.term), distinctiveness: 1 - similarity, embedding: embedding)
    }
}

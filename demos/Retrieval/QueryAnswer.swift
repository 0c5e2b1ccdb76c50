/// The documents found for one query, best first.
struct QueryAnswer: Codable, Sendable, Hashable {
    /// One document found, with the passage that matched best.
    struct Hit: Codable, Sendable, Hashable {
        /// The document's identifier.
        var documentID: String
        /// The document's title.
        var title: String
        /// The passage that matched best.
        var chunkID: String
        /// The combined score: the mean of ``similarity`` and ``lexical``.
        var score: Double
        /// The cosine similarity of the query and the passage.
        var similarity: Double
        /// The passage's normalised BM25 score for the query's terms, in 0...1.
        var lexical: Double
    }

    /// The query.
    var query: RetrievalQuery
    /// The documents found, best first.
    var hits: [Hit]

    /// The weight of the vector similarity in the combined score (the rest is lexical).
    static let similarityWeight = 0.5

    /// Re-ranks the vector search's `candidates` for `query`: each passage's score
    /// combines its similarity with its lexical match of the query's terms, each
    /// document keeps its best passage, and the best `top` documents are returned
    /// (ties go to the document identifier that sorts first).
    static func rerank(query: RetrievalQuery, candidates: [SearchCandidate], index: SearchIndex, top: Int)
        -> QueryAnswer
    {
        let terms = TextTokenizer.terms(of: query.text)
        var best: [String: Hit] = [:]
        for candidate in candidates {
            let chunk = index.chunks[candidate.chunk]
            let lexical = index.lexicalScore(terms, chunk: candidate.chunk)
            let score = similarityWeight * candidate.similarity + (1 - similarityWeight) * lexical
            if let current = best[chunk.documentID], current.score >= score { continue }
            best[chunk.documentID] = Hit(
                documentID: chunk.documentID, title: chunk.title, chunkID: chunk.id, score: score,
                similarity: candidate.similarity, lexical: lexical)
        }
        let ranked = best.values.sorted {
            $0.score != $1.score ? $0.score > $1.score : $0.documentID < $1.documentID
        }
        return QueryAnswer(query: query, hits: Array(ranked.prefix(top)))
    }

    /// The 1-based rank of the expected document among the hits, or `nil` when it is
    /// not among them or the query has no expected document.
    var expectedRank: Int? {
        guard let expected = query.expected else { return nil }
        return hits.firstIndex { $0.documentID == expected }.map { $0 + 1 }
    }
}

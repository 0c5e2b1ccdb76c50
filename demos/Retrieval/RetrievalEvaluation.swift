/// How well the answers found the documents the bundled queries expect.
struct RetrievalEvaluation: Codable, Sendable, Hashable {
    /// The queries that name an expected document.
    var judged: Int
    /// Those whose expected document came first.
    var firstHits: Int
    /// Those whose expected document was among the hits.
    var anyHits: Int
    /// The mean of 1 / rank of the expected document (0 when it was not found).
    var meanReciprocalRank: Double

    /// Evaluates `answers`.
    static func of(_ answers: [QueryAnswer]) -> RetrievalEvaluation {
        let ranks = answers.filter { $0.query.expected != nil }.map(\.expectedRank)
        let reciprocal = ranks.reduce(0.0) { $0 + ($1.map { 1 / Double($0) } ?? 0) }
        return RetrievalEvaluation(
            judged: ranks.count, firstHits: ranks.filter { $0 == 1 }.count,
            anyHits: ranks.filter { $0 != nil }.count,
            meanReciprocalRank: ranks.isEmpty ? 0 : reciprocal / Double(ranks.count))
    }
}

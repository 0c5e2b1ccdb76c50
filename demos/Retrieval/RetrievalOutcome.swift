/// What a run of the retrieval pipeline found.
struct RetrievalOutcome: Sendable {
    /// The index built from the corpus.
    var index: SearchIndex
    /// One answer per question, in question order.
    var answers: [QueryAnswer]
    /// How well the answers found the expected documents.
    var evaluation: RetrievalEvaluation
}

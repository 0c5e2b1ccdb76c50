import Foundation
import HyperNodes

/// The retrieval demo: a bundled corpus is chunked, embedded and indexed, then a
/// query pipeline is mapped over the questions.
///
/// ```
/// retrieval
/// ├─ load_corpus       → documents
/// ├─ chunk_documents   map over documents → chunk_lists          (nested pipeline `chunking`)
/// │  └─ chunk          document, pace_ms → chunks
/// ├─ collect_chunks    chunk_lists → chunks
/// ├─ embed_chunks      map over chunks → embeddings              (nested pipeline `chunk_embedding`)
/// │  ├─ tokenize       chunk, pace_ms → terms
/// │  └─ embed          terms, projection_rounds → embedding      (cached)
/// ├─ build_index       chunks, embeddings → index
/// ├─ answer_queries    map over queries → answers                (nested pipeline `answer_query`)
/// │  ├─ embed_query    query, projection_rounds → query_vector   (cached)
/// │  ├─ search         query_vector, index, candidate_count, pace_ms → candidates
/// │  └─ rerank         query, candidates, index, hit_count → answer
/// └─ evaluate          answers → evaluation
/// ```
///
/// `embed` and `embed_query` are the expensive steps (the embedding model, in a real
/// system) and the only cached ones: a second run with the same cache serves every
/// embedding from it, and tokenizes, indexes and searches again. `pace_ms` adds a
/// pause to every `chunk`, `tokenize` and `search`, so that a run lasts long enough to
/// watch; it is not an input of a cached node, so pacing never changes a cache key.
enum RetrievalPipeline {
    /// The code version of the cached embedding nodes: change it when
    /// ``HashingEmbedder`` or ``TextTokenizer`` changes, or stale vectors are served.
    static let embeddingCodeVersion = "retrieval.embed.v1"
    /// The passages the vector search hands to the re-ranking.
    static let candidateCount = 12

    /// Builds the pipeline with its inputs bound.
    ///
    /// - Parameters:
    ///   - queries: The questions to answer.
    ///   - hits: The documents reported per question.
    ///   - pace: The pause in every `chunk`, `tokenize` and `search`.
    ///   - rounds: The work per feature and dimension of the embedding.
    ///   - cache: Where `embed` and `embed_query` are cached, or `nil`.
    ///   - callbacks: Observers of the run.
    ///   - maxConcurrency: The most items of each map processed at once.
    static func make(
        queries: [RetrievalQuery], hits: Int, pace: Duration, rounds: Int = HashingEmbedder.defaultRounds,
        cache: (any CacheStore)?, callbacks: [any PipelineCallback], maxConcurrency: Int
    ) throws -> Pipeline {
        let chunkDocuments = try Pipeline(nodes: [chunkNode], name: "chunking").asNode(
            name: "chunk_documents",
            inputMapping: ["documents": "document"],
            outputMapping: ["chunks": "chunk_lists"],
            mapOver: ["documents"])
        let embedChunks = try Pipeline(nodes: [tokenizeNode, embedNode], name: "chunk_embedding").asNode(
            name: "embed_chunks",
            inputMapping: ["chunks": "chunk"],
            outputMapping: ["embedding": "embeddings"],
            mapOver: ["chunks"])
        let answerQueries = try Pipeline(nodes: [embedQueryNode, searchNode, rerankNode], name: "answer_query")
            .asNode(
                name: "answer_queries",
                inputMapping: ["queries": "query"],
                outputMapping: ["answer": "answers"],
                mapOver: ["queries"])
        var pipeline = try Pipeline(
            nodes: [
                loadCorpusNode, chunkDocuments, collectChunksNode, embedChunks, buildIndexNode, answerQueries,
                evaluateNode,
            ],
            name: "retrieval",
            cache: cache,
            callbacks: callbacks,
            maxConcurrency: maxConcurrency)
        try pipeline.bind([
            "queries": queries,
            "hit_count": hits,
            "candidate_count": candidateCount,
            "projection_rounds": rounds,
            "pace_ms": Int((pace / .milliseconds(1)).rounded()),
        ])
        return pipeline
    }

    /// The index, answers and evaluation in a result of the pipeline.
    static func outcome(of result: PipelineResult) throws -> RetrievalOutcome {
        RetrievalOutcome(
            index: try result.value("index", as: SearchIndex.self),
            answers: try result.value("answers", as: [QueryAnswer].self),
            evaluation: try result.value("evaluation", as: RetrievalEvaluation.self))
    }

    // MARK: Nodes

    // Nodes cache by default; every node but embed and embed_query opts out.

    /// The bundled corpus.
    @Node(output: "documents", name: "load_corpus", cache: false)
    static func loadCorpus() -> [CorpusDocument] {
        RetrievalCorpus.documents
    }

    /// Splits one document into overlapping passages, after a pause of `pace_ms`.
    @Node(output: "chunks", name: "chunk", cache: false)
    static func chunk(document: CorpusDocument, pace_ms pace: Int) async throws -> [TextChunk] {
        if pace > 0 { try await Task.sleep(for: .milliseconds(pace)) }
        return TextChunk.chunks(of: document)
    }

    /// Every document's passages in one list, in corpus order.
    @Node(output: "chunks", name: "collect_chunks", cache: false)
    static func collectChunks(chunk_lists lists: [[TextChunk]]) -> [TextChunk] {
        lists.flatMap { $0 }
    }

    /// The search terms of one passage, after a pause of `pace_ms`.
    @Node(output: "terms", name: "tokenize", cache: false)
    static func tokenize(chunk: TextChunk, pace_ms pace: Int) async throws -> [String] {
        if pace > 0 { try await Task.sleep(for: .milliseconds(pace)) }
        return TextTokenizer.terms(of: chunk.searchableText)
    }

    /// Embeds one passage's terms: the expensive, cached step. Its work is done by
    /// ``HashingEmbedder``, which the source digest of this function does not cover,
    /// so the code version is pinned.
    @Node(output: "embedding", name: "embed", codeVersion: embeddingCodeVersion)
    static func embed(terms: [String], projection_rounds rounds: Int) -> [Float] {
        HashingEmbedder.embed(terms: terms, rounds: rounds)
    }

    /// Builds the search index from the passages and their embeddings.
    @Node(output: "index", name: "build_index", cache: false)
    static func buildIndex(chunks: [TextChunk], embeddings: [[Float]]) throws -> SearchIndex {
        try SearchIndex.build(chunks: chunks, embeddings: embeddings)
    }

    /// Embeds one question, as ``embed(terms:projection_rounds:)`` embeds a passage; cached.
    @Node(output: "query_vector", name: "embed_query", codeVersion: embeddingCodeVersion)
    static func embedQuery(query: RetrievalQuery, projection_rounds rounds: Int) -> [Float] {
        HashingEmbedder.embed(terms: TextTokenizer.terms(of: query.text), rounds: rounds)
    }

    /// The passages nearest to the question's vector, after a pause of `pace_ms`.
    @Node(output: "candidates", name: "search", cache: false)
    static func search(
        query_vector vector: [Float], index: SearchIndex, candidate_count count: Int, pace_ms pace: Int
    ) async throws -> [SearchCandidate] {
        if pace > 0 { try await Task.sleep(for: .milliseconds(pace)) }
        return SearchCandidate.nearest(to: vector, in: index, count: count)
    }

    /// Re-ranks the candidates by meaning and wording, one document per entry.
    @Node(output: "answer", name: "rerank", cache: false)
    static func rerank(query: RetrievalQuery, candidates: [SearchCandidate], index: SearchIndex, hit_count top: Int)
        -> QueryAnswer
    {
        QueryAnswer.rerank(query: query, candidates: candidates, index: index, top: top)
    }

    /// How well the answers found the expected documents.
    @Node(output: "evaluation", name: "evaluate", cache: false)
    static func evaluate(answers: [QueryAnswer]) -> RetrievalEvaluation {
        RetrievalEvaluation.of(answers)
    }
}

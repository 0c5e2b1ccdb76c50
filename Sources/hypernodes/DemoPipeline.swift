import Foundation
import HyperNodes

/// The built-in demo: document analytics over a synthetic corpus.
///
/// ```
/// demo
/// ├─ load_corpus        seed, document_count → documents
/// ├─ profile_corpus     documents → corpus_profile                 (runs beside build_vocabulary)
/// ├─ build_vocabulary   documents → vocabulary                     (cached, pinned code version)
/// ├─ analyze            map over documents → analyses              (nested pipeline `document_analysis`)
/// │  ├─ tokenize        document → tokens
/// │  ├─ embed           tokens, vocabulary, embedding_rounds → embedding
/// │  └─ score           document, tokens, embedding, vocabulary → analysis
/// └─ summarize          analyses, corpus_profile, vocabulary → summary
/// ```
///
/// Every step does real, deterministic CPU work whose result is used; there
/// is no sleeping. At scale 1 (300 documents) a debug build takes about
/// 5–10 s on two cores, a release build well under that. Only
/// `build_vocabulary` is cached, so a second run with the same cache shows
/// one cache hit.
///
/// The pipeline comes with its inputs bound, so `try await pipeline.run()`
/// is all it takes; ``summary(of:)`` reads the result.
enum DemoPipeline {
    /// The number of documents at scale 1.
    static let baseDocumentCount = 300
    /// The most documents a demo may have.
    static let maxDocumentCount = 100_000
    /// The seed of the corpus unless another is given.
    static let defaultSeed: UInt64 = 42
    /// The code version of the cached `build_vocabulary` node: change it when
    /// ``DemoVocabulary/build(from:)`` changes, or stale vocabularies are served.
    static let vocabularyCodeVersion = "demo.build_vocabulary.v1"
    /// The output that holds the ``DemoSummary``.
    static let summaryOutput = Output<DemoSummary>("summary")

    /// An invalid demo size.
    struct InvalidParameter: Error, CustomStringConvertible {
        /// What is wrong, naming the parameter and its value.
        let description: String
    }

    /// The number of documents for `scale`, or `items` when given.
    ///
    /// - Throws: ``InvalidParameter`` for a scale that is not a positive
    ///   number or a count outside `1...maxDocumentCount`.
    static func documentCount(scale: Double, items: Int? = nil) throws -> Int {
        if let items {
            guard (1...maxDocumentCount).contains(items) else {
                throw InvalidParameter(
                    description: "the number of items must be between 1 and \(maxDocumentCount), not \(items)")
            }
            return items
        }
        guard scale.isFinite, scale > 0 else {
            throw InvalidParameter(description: "the scale must be a positive number, not \(scale)")
        }
        let count = (Double(baseDocumentCount) * scale).rounded()
        guard count <= Double(maxDocumentCount) else {
            throw InvalidParameter(
                description: "scale \(scale) gives \(count) documents; the most is \(maxDocumentCount) "
                    + "(scale \(Double(maxDocumentCount) / Double(baseDocumentCount)))")
        }
        return max(1, Int(count))
    }

    /// Builds the demo pipeline with its inputs bound.
    ///
    /// - Parameters:
    ///   - scale: Multiplies the number of documents (300 at scale 1).
    ///   - items: The number of documents, overriding `scale`.
    ///   - seed: Fixes the synthetic corpus.
    ///   - embeddingRounds: Hashing rounds per pair of adjacent terms in
    ///     `embed`: the CPU work per document.
    ///   - cache: Where `build_vocabulary` is cached, or `nil`.
    ///   - callbacks: Observers of the run.
    ///   - maxConcurrency: The most nodes or documents processed at once.
    ///   - executionMode: Concurrent or sequential scheduling.
    ///   - itemDelay: A pause in every document's `tokenize` (which then also
    ///     takes the input `item_delay_ms`), so a run lasts long enough to be
    ///     watched in the monitor; zero (the default) builds the plain demo.
    /// - Throws: ``InvalidParameter`` for a bad scale or item count.
    static func make(
        scale: Double = 1,
        items: Int? = nil,
        seed: UInt64 = defaultSeed,
        embeddingRounds: Int = DemoEmbedding.defaultRounds,
        cache: (any CacheStore)? = nil,
        callbacks: [any PipelineCallback] = [],
        maxConcurrency: Int = ProcessInfo.processInfo.activeProcessorCount,
        executionMode: ExecutionMode = .concurrent,
        itemDelay: Duration = .zero
    ) throws -> Pipeline {
        let count = try documentCount(scale: scale, items: items)
        let paced = itemDelay > .zero
        let analyze = try documentAnalysis(paced: paced).asNode(
            name: "analyze",
            inputMapping: ["documents": "document"],
            outputMapping: ["analysis": "analyses"],
            mapOver: ["documents"])
        var pipeline = try Pipeline(
            nodes: [loadCorpusNode, profileCorpusNode, buildVocabularyNode, analyze, summarizeNode],
            name: "demo",
            cache: cache,
            callbacks: callbacks,
            maxConcurrency: maxConcurrency,
            executionMode: executionMode)
        try pipeline.bind([
            "seed": seed,
            "document_count": count,
            "embedding_rounds": embeddingRounds,
        ])
        if paced {
            try pipeline.bind(["item_delay_ms": Int((itemDelay / .milliseconds(1)).rounded())])
        }
        return pipeline
    }

    /// The summary in a result of the demo pipeline.
    static func summary(of result: PipelineResult) throws -> DemoSummary {
        try result.value(summaryOutput.name, as: DemoSummary.self)
    }

    /// The per-document pipeline that `analyze` maps over the corpus; when
    /// `paced`, its `tokenize` first waits `item_delay_ms` milliseconds.
    static func documentAnalysis(paced: Bool = false) throws -> Pipeline {
        try Pipeline(
            nodes: [paced ? pacedTokenizeNode : tokenizeNode, embedNode, scoreNode], name: "document_analysis")
    }

    // MARK: Nodes

    // Each node is a static function; @Node declares it as `<function>Node`.
    // Inputs are named by argument labels (`document_count count`), node names
    // by `name:` where they differ from the function's. Every node but
    // build_vocabulary opts out of caching: nodes cache by default.

    /// Generates the synthetic corpus.
    @Node(output: "documents", name: "load_corpus", cache: false)
    static func loadCorpus(seed: UInt64, document_count count: Int) -> [DemoDocument] {
        DemoDocument.corpus(count: count, seed: seed)
    }

    /// Counts words and topics.
    @Node(output: "corpus_profile", name: "profile_corpus", cache: false)
    static func profileCorpus(documents: [DemoDocument]) -> DemoCorpusProfile {
        DemoCorpusProfile.profile(documents)
    }

    /// Builds the vocabulary with its term vectors: the expensive, cached step.
    /// Its work is done by ``DemoVocabulary/build(from:)``, which the source
    /// digest of this function does not cover, so the code version is pinned.
    @Node(output: "vocabulary", name: "build_vocabulary", codeVersion: vocabularyCodeVersion)
    static func buildVocabulary(documents: [DemoDocument]) -> DemoVocabulary {
        DemoVocabulary.build(from: documents)
    }

    /// Splits one document into terms.
    @Node(output: "tokens", cache: false)
    static func tokenize(document: DemoDocument) -> [String] {
        DemoTokenizer.tokens(of: document.text)
    }

    /// `tokenize` with a pause first, for watching a run: the pause is a
    /// sleep, so it keeps no core busy.
    static let pacedTokenizeNode = Node(
        "tokenize", inputs: "document", "item_delay_ms", output: "tokens", cache: false
    ) { (document: DemoDocument, delay: Int) async throws in
        try await Task.sleep(for: .milliseconds(delay))
        return DemoTokenizer.tokens(of: document.text)
    }

    /// Embeds one document: the per-item CPU work.
    @Node(output: "embedding", cache: false)
    static func embed(tokens: [String], vocabulary: DemoVocabulary, embedding_rounds rounds: Int) -> [Double] {
        DemoEmbedding.embed(tokens: tokens, vocabulary: vocabulary, rounds: rounds)
    }

    /// Finds one document's keywords and distinctiveness.
    @Node(output: "analysis", cache: false)
    static func score(
        document: DemoDocument, tokens: [String], embedding: [Double], vocabulary: DemoVocabulary
    ) -> DemoDocumentAnalysis {
        DemoDocumentAnalysis.score(document: document, tokens: tokens, embedding: embedding, vocabulary: vocabulary)
    }

    /// Clusters the documents and condenses everything into a ``DemoSummary``.
    @Node(output: summaryOutput.name, cache: false)
    static func summarize(
        analyses: [DemoDocumentAnalysis], corpus_profile profile: DemoCorpusProfile, vocabulary: DemoVocabulary
    ) -> DemoSummary {
        DemoSummary.summarize(analyses, profile: profile, vocabulary: vocabulary)
    }
}

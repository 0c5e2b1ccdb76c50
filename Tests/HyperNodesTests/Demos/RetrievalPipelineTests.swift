import Foundation
import HyperNodes
import Testing

@testable import retrieval

/// The pieces of the `retrieval` demo: terms, passages, embeddings, the index and the
/// re-ranking, and the pipeline run in-process with a cache.
@Suite("retrieval pipeline")
struct RetrievalPipelineTests {
    @Test("terms are lowercase stems without common words, possessives or contraction endings")
    func terms() {
        #expect(
            TextTokenizer.terms(of: "The Moon's shadow falls; planets don't orbit running stars.")
                == ["moon", "shadow", "fall", "planet", "orbit", "run", "star"])
        #expect(TextTokenizer.terms(of: "What is the") == [])
        #expect(TextTokenizer.terms(of: "") == [])
        #expect(TextTokenizer.stem("batteries") == "battery")
        #expect(TextTokenizer.stem("seared") == "sear")
        #expect(TextTokenizer.stem("glass") == "glass")
    }

    @Test("passages are two sentences overlapping by one, and numbers and names with dots stay whole")
    func passages() {
        let document = CorpusDocument(
            id: "t-doc", title: "Title", text: "Wi-Fi uses 2.4 GHz. Visit example.com now! Why? Because.")
        let chunks = TextChunk.chunks(of: document)
        #expect(
            chunks.map(\.text) == [
                "Wi-Fi uses 2.4 GHz. Visit example.com now!", "Visit example.com now! Why?",
                "Why? Because.",
            ])
        #expect(chunks.map(\.id) == ["t-doc#1", "t-doc#2", "t-doc#3"])
        let short = CorpusDocument(id: "t-short", title: "Short", text: "Only one sentence.")
        #expect(TextChunk.chunks(of: short).map(\.text) == ["Only one sentence."])
        #expect(TextChunk.chunks(of: CorpusDocument(id: "t-empty", title: "Empty", text: " \n ")).isEmpty)
        // Every bundled document has at least three sentences, so every sentence is in two passages but the ends.
        for document in RetrievalCorpus.documents {
            let sentences = TextChunk.sentences(of: document.text)
            #expect(sentences.count >= 3, "\(document.id)")
            #expect(TextChunk.chunks(of: document).count == sentences.count - 1, "\(document.id)")
        }
    }

    @Test("the bundled corpus has unique identifiers and every question expects a document of it")
    func corpus() {
        let ids = RetrievalCorpus.documents.map(\.id)
        #expect(Set(ids).count == ids.count)
        #expect(ids.count == 40)
        for query in RetrievalCorpus.queries {
            #expect(query.expected.map(ids.contains) == true, "\(query.text)")
        }
    }

    @Test("embeddings are unit vectors, the same on every call, and closer for texts that share words")
    func embeddings() {
        let eclipse = HashingEmbedder.embed(terms: TextTokenizer.terms(of: "the moon hides the sun in an eclipse"))
        let again = HashingEmbedder.embed(terms: TextTokenizer.terms(of: "the moon hides the sun in an eclipse"))
        let related = HashingEmbedder.embed(terms: TextTokenizer.terms(of: "a solar eclipse darkens the sky"))
        let unrelated = HashingEmbedder.embed(terms: TextTokenizer.terms(of: "knead the pasta dough"))
        #expect(eclipse == again)
        #expect(eclipse.count == HashingEmbedder.dimensions)
        func dot(_ a: [Float], _ b: [Float]) -> Double { zip(a, b).reduce(0) { $0 + Double($1.0) * Double($1.1) } }
        #expect(abs(dot(eclipse, eclipse) - 1) < 1e-5)
        #expect(dot(eclipse, related) > dot(eclipse, unrelated) + 0.1)
        #expect(HashingEmbedder.embed(terms: []) == [Float](repeating: 0, count: HashingEmbedder.dimensions))
    }

    @Test("the index refuses embeddings that do not match the passages, naming the passage")
    func indexRejectsMismatchedEmbeddings() throws {
        let chunks = TextChunk.chunks(of: RetrievalCorpus.documents[0])
        let vectors = chunks.map { HashingEmbedder.embed(terms: TextTokenizer.terms(of: $0.searchableText)) }
        #expect(throws: SearchIndex.InputError.self) {
            try SearchIndex.build(chunks: chunks, embeddings: Array(vectors.dropLast()))
        }
        var short = vectors
        short[1] = [0, 1]
        do {
            _ = try SearchIndex.build(chunks: chunks, embeddings: short)
            Issue.record("a two-dimensional embedding was accepted")
        } catch let error as SearchIndex.InputError {
            #expect(error.description == "the embedding of astro-eclipse#2 has 2 dimensions, not 256")
        }
        let index = try SearchIndex.build(chunks: chunks, embeddings: vectors)
        #expect(index.vectors.count == chunks.count * HashingEmbedder.dimensions)
    }

    @Test("re-ranking keeps each document's best passage and orders documents by score")
    func reranking() throws {
        let documents = Array(RetrievalCorpus.documents.prefix(10))
        let chunks = documents.flatMap(TextChunk.chunks(of:))
        let index = try SearchIndex.build(
            chunks: chunks,
            embeddings: chunks.map { HashingEmbedder.embed(terms: TextTokenizer.terms(of: $0.searchableText)) })
        let query = RetrievalQuery(text: "knead the dough for fresh pasta", expected: "cook-pasta")
        let candidates = SearchCandidate.nearest(
            to: HashingEmbedder.embed(terms: TextTokenizer.terms(of: query.text)), in: index, count: 12)
        #expect(candidates.count == 12)
        #expect(zip(candidates, candidates.dropFirst()).allSatisfy { $0.similarity >= $1.similarity })
        let answer = QueryAnswer.rerank(query: query, candidates: candidates, index: index, top: 3)
        #expect(answer.hits.count == 3)
        #expect(Set(answer.hits.map(\.documentID)).count == 3)
        #expect(zip(answer.hits, answer.hits.dropFirst()).allSatisfy { $0.score >= $1.score })
        #expect(answer.expectedRank == 1)
        #expect(answer.hits[0].lexical > 0 && answer.hits[0].lexical <= 1)
    }

    @Test("the pipeline answers every bundled question and a second run serves every embedding from its cache")
    func pipelineWithCache() async throws {
        let directory = TemporaryDirectory("hn-retrieval-pipeline")
        let cache = DiskCache(directory: directory.url)
        let first = EventRecorder()
        let outcome = try RetrievalPipeline.outcome(
            of: try await RetrievalPipeline.make(
                queries: RetrievalCorpus.queries, hits: 3, pace: .zero, cache: cache, callbacks: [first],
                maxConcurrency: 2
            ).run())
        #expect(outcome.answers.map { $0.hits.first?.documentID } == RetrievalCorpus.queries.map(\.expected))
        #expect(outcome.evaluation.firstHits == 16 && outcome.evaluation.judged == 16)
        #expect(first.events.filter { $0.kind == .nodeCached }.isEmpty)

        let second = EventRecorder()
        let again = try RetrievalPipeline.outcome(
            of: try await RetrievalPipeline.make(
                queries: RetrievalCorpus.queries, hits: 3, pace: .zero, cache: cache, callbacks: [second],
                maxConcurrency: 1
            ).run())
        #expect(again.answers == outcome.answers)
        let hits = second.events.filter { $0.kind == .nodeCached }.map(\.name)
        #expect(hits.filter { $0 == "embed" }.count == outcome.index.chunks.count)
        #expect(hits.filter { $0 == "embed_query" }.count == 16)
        #expect(hits.count == outcome.index.chunks.count + 16)
    }
}

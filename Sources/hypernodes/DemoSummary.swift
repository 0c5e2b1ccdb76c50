/// The demo's final result: what the corpus is about, in a few numbers.
struct DemoSummary: Codable, Sendable, Equatable {
    /// A group of similar documents found by k-means over the embeddings.
    struct Cluster: Codable, Sendable, Equatable {
        /// The number of documents.
        var size: Int
        /// The generating topic of most of its documents.
        var dominantTopic: String
        /// The share of documents whose topic is ``dominantTopic``.
        var purity: Double
        /// The most frequent keywords of its documents, most frequent first.
        var terms: [String]
    }

    /// A term and the number of documents that have it as a keyword.
    struct Keyword: Codable, Sendable, Equatable {
        var term: String
        var documents: Int
    }

    /// A document worth a look.
    struct Highlight: Codable, Sendable, Equatable {
        var id: Int
        var title: String
        var distinctiveness: Double
    }

    /// The number of documents.
    var documentCount: Int
    /// The number of words in the corpus, stop words included.
    var wordCount: Int
    /// The number of topics the documents were generated from.
    var topicCount: Int
    /// The number of terms after tokenization, over all documents.
    var tokenCount: Int
    /// The number of distinct terms.
    var vocabularySize: Int
    /// The clusters, largest first.
    var clusters: [Cluster]
    /// The share of documents whose cluster's dominant topic is their own topic.
    var clusterAgreement: Double
    /// The most frequent keywords over all documents.
    var topKeywords: [Keyword]
    /// The documents least like the corpus as a whole, most distinctive first.
    var mostDistinctive: [Highlight]
    /// A hash of every document's analysis (keywords and exact embedding):
    /// equal fingerprints mean bit-for-bit equal results.
    var fingerprint: String

    /// Summarizes the per-document analyses.
    static func summarize(
        _ analyses: [DemoDocumentAnalysis], profile: DemoCorpusProfile, vocabulary: DemoVocabulary
    ) -> DemoSummary {
        let assignment = DemoClustering.kMeans(analyses.map(\.embedding), k: DemoLexicon.topics.count)

        var members: [Int: [DemoDocumentAnalysis]] = [:]
        for (analysis, cluster) in zip(analyses, assignment) {
            members[cluster, default: []].append(analysis)
        }
        var agreeing = 0
        var clusters: [Cluster] = []
        for cluster in members.keys.sorted() {
            let documents = members[cluster]!
            let topics = ranked(documents.map(\.topic))
            agreeing += topics[0].count
            clusters.append(
                Cluster(
                    size: documents.count, dominantTopic: topics[0].value,
                    purity: Double(topics[0].count) / Double(documents.count),
                    terms: ranked(documents.flatMap(\.keywords)).prefix(3).map(\.value)))
        }
        clusters.sort { $0.size != $1.size ? $0.size > $1.size : $0.dominantTopic < $1.dominantTopic }

        let distinctive = analyses.sorted {
            $0.distinctiveness != $1.distinctiveness ? $0.distinctiveness > $1.distinctiveness : $0.id < $1.id
        }
        return DemoSummary(
            documentCount: analyses.count, wordCount: profile.wordCount, topicCount: profile.topicCount,
            tokenCount: analyses.reduce(0) { $0 + $1.tokenCount }, vocabularySize: vocabulary.terms.count,
            clusters: clusters,
            clusterAgreement: analyses.isEmpty ? 0 : Double(agreeing) / Double(analyses.count),
            topKeywords: ranked(analyses.flatMap(\.keywords)).prefix(5).map {
                Keyword(term: $0.value, documents: $0.count)
            },
            mostDistinctive: distinctive.prefix(3).map {
                Highlight(id: $0.id, title: $0.title, distinctiveness: $0.distinctiveness)
            },
            fingerprint: fingerprint(of: analyses, clusters: assignment))
    }

    /// The distinct values of `values` with their counts, most frequent first, ties by value.
    private static func ranked(_ values: [String]) -> [(value: String, count: Int)] {
        var counts: [String: Int] = [:]
        for value in values { counts[value, default: 0] += 1 }
        return counts.map { (value: $0.key, count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.value < $1.value }
    }

    /// 16 hexadecimal digits of an FNV-1a hash over the analyses and cluster assignment.
    private static func fingerprint(of analyses: [DemoDocumentAnalysis], clusters: [Int]) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        func combine(_ value: UInt64) {
            hash = DemoRandom.mix(hash ^ value) &* 0x0000_0100_0000_01B3
        }
        for (analysis, cluster) in zip(analyses, clusters) {
            combine(UInt64(analysis.id))
            combine(UInt64(cluster))
            combine(UInt64(analysis.tokenCount))
            for keyword in analysis.keywords { combine(DemoRandom.hash(keyword)) }
            for value in analysis.embedding { combine(value.bitPattern) }
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

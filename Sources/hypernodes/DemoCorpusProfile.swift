/// Plain statistics of the corpus, computed beside the vocabulary.
struct DemoCorpusProfile: Codable, Sendable, Equatable {
    /// The number of documents.
    var documentCount: Int
    /// The number of words, stop words included.
    var wordCount: Int
    /// The number of distinct generating topics.
    var topicCount: Int

    /// Profiles `documents`.
    static func profile(_ documents: [DemoDocument]) -> DemoCorpusProfile {
        DemoCorpusProfile(
            documentCount: documents.count,
            wordCount: documents.reduce(0) { $0 + $1.text.split(separator: " ").count },
            topicCount: Set(documents.map(\.topic)).count)
    }
}

/// One document of the bundled corpus: a short article on one subject.
struct CorpusDocument: Codable, Sendable, Hashable {
    /// A stable identifier such as `astro-eclipse`: the topic, then the subject.
    var id: String
    /// The article's title.
    var title: String
    /// The article's text: a few sentences.
    var text: String

    /// The topic: the identifier up to its first hyphen.
    var topic: String { String(id.prefix { $0 != "-" }) }
}

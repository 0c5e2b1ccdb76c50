import Foundation

/// A passage of a document: the unit the index stores and the search ranks.
struct TextChunk: Codable, Sendable, Hashable {
    /// `<document id>#<ordinal>`, e.g. `astro-eclipse#2`.
    var id: String
    /// The document the passage comes from.
    var documentID: String
    /// That document's title.
    var title: String
    /// The passage's position in its document, from 1.
    var ordinal: Int
    /// The passage: consecutive sentences of the document.
    var text: String

    /// The text that is embedded and searched: the title, then the passage (the title
    /// gives every passage its document's subject).
    var searchableText: String { title + ". " + text }

    /// The sentences per passage.
    static let sentencesPerChunk = 2

    /// Splits `document` into passages of ``sentencesPerChunk`` sentences that overlap
    /// by one sentence, so that no pair of neighbouring sentences is cut apart. A
    /// document of one sentence is one passage; a document without text has none.
    static func chunks(of document: CorpusDocument) -> [TextChunk] {
        let sentences = Self.sentences(of: document.text)
        guard !sentences.isEmpty else { return [] }
        let starts = sentences.count <= sentencesPerChunk ? [0] : Array(0...(sentences.count - sentencesPerChunk))
        return starts.enumerated().map { offset, start in
            let end = min(sentences.count, start + sentencesPerChunk)
            return TextChunk(
                id: "\(document.id)#\(offset + 1)", documentID: document.id, title: document.title,
                ordinal: offset + 1, text: sentences[start..<end].joined(separator: " "))
        }
    }

    /// The sentences of `text`: split after `.`, `!` or `?` followed by a space (so
    /// `2.4 GHz` and `example.com` stay whole), trimmed, empty ones dropped.
    static func sentences(of text: String) -> [String] {
        var sentences: [String] = []
        var current = ""
        var previous: Character = " "
        for character in text {
            if character == " ", ".!?".contains(previous) {
                sentences.append(current)
                current = ""
            } else {
                current.append(character)
            }
            previous = character
        }
        sentences.append(current)
        return sentences.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }
}

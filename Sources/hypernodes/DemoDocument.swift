/// A synthetic document of the demo corpus.
struct DemoDocument: Codable, Sendable, Hashable {
    /// The document's position in the corpus, from 0.
    var id: Int
    /// A short title.
    var title: String
    /// The topic the document was generated from: the ground truth the
    /// clustering in `summarize` is compared with.
    var topic: String
    /// The text: sentences of words from the document's topics, shared words,
    /// stop words and place names.
    var text: String
}

extension DemoDocument {
    /// Generates `count` documents, all fixed by `seed`.
    ///
    /// Each document is drawn from its own generator (seeded by `seed` and its
    /// index), so document *i* is the same whatever the corpus size.
    static func corpus(count: Int, seed: UInt64) -> [DemoDocument] {
        (0..<count).map { generate(id: $0, seed: seed) }
    }

    /// Generates document `id` of the corpus of `seed`.
    static func generate(id: Int, seed: UInt64) -> DemoDocument {
        var random = DemoRandom(seed: DemoRandom.mix(seed ^ DemoRandom.mix(UInt64(id) &+ 1)))
        let topics = DemoLexicon.topics
        let primary = random.next(below: topics.count)
        let secondary = (primary + 1 + random.next(below: topics.count - 1)) % topics.count
        let places = (0..<(1 + random.next(below: 3))).map { _ in placeName(&random) }

        func word() -> String {
            let roll = random.nextUnit()
            switch roll {
            case ..<0.34: return random.skewedElement(of: DemoLexicon.stopWords)
            case ..<0.50: return random.skewedElement(of: DemoLexicon.general)
            case ..<0.86: return random.skewedElement(of: topics[primary].words)
            case ..<0.96: return random.skewedElement(of: topics[secondary].words)
            default: return places[random.next(below: places.count)]
            }
        }

        var sentences: [String] = []
        for _ in 0..<(6 + random.next(below: 8)) {
            var words = (0..<(8 + random.next(below: 9))).map { _ in word() }
            words[0] = capitalized(words[0])
            sentences.append(words.joined(separator: " ") + ".")
        }
        let mainWords = topics[primary].words
        let first = random.skewedElement(of: mainWords)
        var second = random.skewedElement(of: mainWords)
        while second == first { second = mainWords[random.next(below: mainWords.count)] }
        let title = capitalized(first) + " and " + second + " in " + places[0]
        return DemoDocument(
            id: id, title: title, topic: topics[primary].name, text: sentences.joined(separator: " "))
    }

    /// An invented, capitalized place name of two or three syllables.
    private static func placeName(_ random: inout DemoRandom) -> String {
        let syllables = DemoLexicon.syllables
        let name = (0..<(2 + random.next(below: 2))).map { _ in
            syllables[random.next(below: syllables.count)]
        }
        return capitalized(name.joined())
    }

    private static func capitalized(_ word: String) -> String {
        word.prefix(1).uppercased() + word.dropFirst()
    }
}

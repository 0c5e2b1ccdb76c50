/// Splits text into search terms: lowercase words without the most common English
/// words, each reduced to a rough stem so that `planets` finds `planet` and `seared`
/// finds `sear`.
enum TextTokenizer {
    /// Words too common to say anything about a text.
    static let stopWords: Set<String> = [
        "a", "about", "after", "all", "also", "an", "and", "any", "are", "around", "as", "at", "be", "because",
        "been", "before", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "don", "doesn",
        "didn", "isn", "aren", "wasn", "won", "during",
        "each", "either", "even", "every", "few", "for", "from", "get", "gets", "give", "gives", "go", "goes",
        "had", "has", "have", "how", "i", "if", "in", "into", "is", "it", "its", "just", "least", "let", "lets",
        "like", "make", "makes", "many", "may", "more", "most", "much", "my", "need", "needs", "no", "nor", "not",
        "of", "off", "often", "on", "one", "only", "or", "other", "our", "out", "over", "rather", "same", "should",
        "so", "some", "such", "than", "that", "the", "their", "them", "then", "there", "therefore", "these", "they",
        "this", "those", "through", "to", "too", "two", "under", "until", "up", "use", "uses", "using", "very",
        "was", "way", "we", "well", "were", "what", "when", "where", "which", "while", "who", "why", "will", "with",
        "within", "without", "would", "you", "your",
    ]

    /// The terms of `text`, in order.
    static func terms(of text: String) -> [String] {
        var terms: [String] = []
        var word = ""
        // A word that starts with an apostrophe is the end of a possessive or a contraction
        // ("moon's", "don't"): dropped.
        func flush() {
            if !word.isEmpty, !word.hasPrefix("'"), !stopWords.contains(word) { terms.append(stem(word)) }
            word = ""
        }
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                word.append(character)
            } else if character == "'" || character == "\u{2019}" {
                flush()
                word = "'"
            } else {
                flush()
            }
        }
        flush()
        return terms
    }

    /// A rough stem of a lowercase word: plural and verb endings removed.
    static func stem(_ word: String) -> String {
        var stem = word
        if stem.count > 4, stem.hasSuffix("ies") {
            stem = String(stem.dropLast(3)) + "y"
        } else if stem.hasSuffix("sses") {
            stem = String(stem.dropLast(2))
        } else if stem.count > 3, stem.hasSuffix("s"), !stem.hasSuffix("ss"), !stem.hasSuffix("us"),
            !stem.hasSuffix("is")
        {
            stem = String(stem.dropLast())
        }
        if stem.count > 5, stem.hasSuffix("ing") {
            stem = String(stem.dropLast(3))
        } else if stem.count > 4, stem.hasSuffix("ed") {
            stem = String(stem.dropLast(2))
        }
        // "running" → "runn" → "run", "stopped" → "stopp" → "stop".
        if stem.count > 3, let last = stem.last, stem.dropLast().last == last, !"aeiouls".contains(last) {
            stem = String(stem.dropLast())
        }
        return stem
    }
}

/// Splits demo documents into normalized terms.
enum DemoTokenizer {
    /// The lowercased words of `text` that are at least three letters long
    /// and not stop words, in text order.
    static func tokens(of text: String) -> [String] {
        var tokens: [String] = []
        var word = ""
        func flush() {
            if word.count >= 3 && !DemoLexicon.stopWordSet.contains(word) {
                tokens.append(word)
            }
            word.removeAll(keepingCapacity: true)
        }
        for character in text {
            if character.isLetter {
                word.append(contentsOf: character.lowercased())
            } else {
                flush()
            }
        }
        flush()
        return tokens
    }
}

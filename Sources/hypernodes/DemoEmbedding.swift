import Foundation

/// Turns a document's terms into a dense, unit-length vector.
enum DemoEmbedding {
    /// Hashing rounds per pair of adjacent terms at the default work level.
    static let defaultRounds = 20_000
    /// How much word order counts against the TF-IDF weighted term vectors.
    static let contextWeight = 0.3

    /// The embedding of `tokens`: term vectors weighted by TF-IDF, plus
    /// word-order features from hashing every pair of adjacent terms for
    /// `rounds` rounds. The cost is proportional to `tokens.count × rounds`.
    static func embed(tokens: [String], vocabulary: DemoVocabulary, rounds: Int) -> [Double] {
        let dimensions = DemoVocabulary.dimensions
        var vector = [Double](repeating: 0, count: dimensions)

        var counts: [String: Int] = [:]
        for token in tokens { counts[token, default: 0] += 1 }
        // Sorted, so that the floating-point sums do not depend on dictionary order.
        for term in counts.keys.sorted() {
            let weight = (1 + log(Double(counts[term]!))) * vocabulary.inverseDocumentFrequency(of: term)
            if let index = vocabulary.index(of: term) {
                let offset = index * dimensions
                for dimension in 0..<dimensions {
                    vector[dimension] += weight * vocabulary.vectors[offset + dimension]
                }
            } else {
                let termVector = DemoVocabulary.unknownTermVector(term)
                for dimension in 0..<dimensions {
                    vector[dimension] += weight * termVector[dimension]
                }
            }
        }

        // Word order: every pair of adjacent terms adds a hashed context vector.
        var context = [Double](repeating: 0, count: dimensions)
        let hashes = tokens.map(DemoRandom.hash)
        for position in hashes.indices.dropFirst() {
            DemoVocabulary.accumulateHashedVector(
                into: &context, seed: hashes[position - 1] &* 31 ^ hashes[position], rounds: rounds)
        }
        for dimension in 0..<dimensions {
            vector[dimension] += contextWeight * context[dimension]
        }
        return DemoVocabulary.normalized(vector)
    }
}

import Foundation

/// The corpus vocabulary: every term with its document frequency, inverse
/// document frequency and a dense term vector.
///
/// Building it is the demo's expensive, cached step: a term's vector sums a
/// hashed context vector for every document that contains it, each from many
/// rounds of hashing, standing in for training an embedding table. The cost
/// grows with the corpus: it is proportional to the number of distinct
/// (term, document) pairs.
struct DemoVocabulary: Codable, Sendable, Equatable {
    /// The length of term vectors and document embeddings.
    static let dimensions = 32
    /// Hashing rounds per (term, document) pair; sets the cost of ``build(from:)``.
    static let roundsPerOccurrence = 6_000

    /// The number of documents the vocabulary was built from.
    var documentCount: Int
    /// The terms, sorted.
    var terms: [String]
    /// For each term, the number of documents that contain it.
    var documentFrequencies: [Int]
    /// For each term, its smoothed inverse document frequency.
    var inverseDocumentFrequencies: [Double]
    /// The unit term vectors, `dimensions` numbers per term, in term order.
    var vectors: [Double]
    /// The unit vector of the whole corpus: term vectors weighted by frequency.
    var centroid: [Double]

    /// The position of `term` in ``terms``, or `nil` if the corpus lacks it.
    func index(of term: String) -> Int? {
        var low = 0
        var high = terms.count
        while low < high {
            let middle = (low + high) / 2
            if terms[middle] < term {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low < terms.count && terms[low] == term ? low : nil
    }

    /// The inverse document frequency of `term`; unknown terms count as the rarest.
    func inverseDocumentFrequency(of term: String) -> Double {
        index(of: term).map { inverseDocumentFrequencies[$0] } ?? Self.idf(frequency: 0, of: documentCount)
    }

    /// The smoothed inverse document frequency of a term found in `frequency` of `count` documents.
    static func idf(frequency: Int, of count: Int) -> Double {
        log(Double(count + 1) / Double(frequency + 1)) + 1
    }

    /// Builds the vocabulary of `documents`.
    static func build(from documents: [DemoDocument]) -> DemoVocabulary {
        var postings: [String: [Int]] = [:]
        for document in documents {
            for term in Set(DemoTokenizer.tokens(of: document.text)) {
                postings[term, default: []].append(document.id)
            }
        }
        let terms = postings.keys.sorted()
        let counts = terms.map { postings[$0]!.count }
        let idfs = counts.map { idf(frequency: $0, of: documents.count) }

        var vectors: [Double] = []
        vectors.reserveCapacity(terms.count * dimensions)
        var centroid = [Double](repeating: 0, count: dimensions)
        for (position, term) in terms.enumerated() {
            let termHash = DemoRandom.hash(term)
            var vector = [Double](repeating: 0, count: dimensions)
            for document in postings[term]! {
                accumulateHashedVector(
                    into: &vector, seed: termHash ^ DemoRandom.mix(UInt64(document)), rounds: roundsPerOccurrence)
            }
            vector = normalized(vector)
            let weight = Double(counts[position]) * idfs[position]
            for dimension in 0..<dimensions {
                centroid[dimension] += weight * vector[dimension]
            }
            vectors.append(contentsOf: vector)
        }
        return DemoVocabulary(
            documentCount: documents.count, terms: terms, documentFrequencies: counts,
            inverseDocumentFrequencies: idfs, vectors: vectors, centroid: normalized(centroid))
    }

    /// The vector of a term the vocabulary lacks: one hashed context vector.
    static func unknownTermVector(_ term: String) -> [Double] {
        var vector = [Double](repeating: 0, count: dimensions)
        accumulateHashedVector(into: &vector, seed: DemoRandom.hash(term), rounds: roundsPerOccurrence)
        return normalized(vector)
    }

    /// Adds `rounds` pseudo-random values, fixed by `seed`, to pseudo-random
    /// dimensions of `vector`, scaled so the sum has about unit length.
    static func accumulateHashedVector(into vector: inout [Double], seed: UInt64, rounds: Int) {
        let scale = 1 / Double(max(rounds, 1)).squareRoot()
        var state = seed
        for round in 0..<rounds {
            state = DemoRandom.mix(state &+ UInt64(round))
            vector[Int(state % UInt64(dimensions))] += scale * DemoRandom.signedUnit(state)
        }
    }

    /// `vector` scaled to length 1 (a zero vector stays zero).
    static func normalized(_ vector: [Double]) -> [Double] {
        let length = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return length > 0 ? vector.map { $0 / length } : vector
    }
}

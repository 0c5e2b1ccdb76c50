import Foundation

/// The searchable corpus: every passage with its vector and its term counts.
///
/// The vectors are centred (the mean of all passage vectors subtracted) and scaled to
/// length 1 again: what every passage shares, such as the features of common words,
/// then counts for nothing, and similarities spread out. A query vector is centred
/// with the same mean (``centred(_:)``) before it is compared.
struct SearchIndex: Codable, Sendable, Hashable {
    /// The passages, in corpus order.
    var chunks: [TextChunk]
    /// The centred unit vectors, ``HashingEmbedder/dimensions`` per passage, one after the other.
    var vectors: [Float]
    /// The mean of the passage vectors before centring.
    var mean: [Float]
    /// Each passage's terms with their counts.
    var termCounts: [[String: Int]]
    /// In how many passages each term appears.
    var documentFrequency: [String: Int]
    /// The average number of terms per passage.
    var averageLength: Double

    /// A problem with the index's inputs.
    struct InputError: Error, CustomStringConvertible {
        /// What is wrong.
        var description: String
    }

    /// Builds the index of `chunks` from their `embeddings` (one per passage, in the same order).
    ///
    /// - Throws: ``InputError`` when the counts differ or a vector has the wrong length.
    static func build(chunks: [TextChunk], embeddings: [[Float]]) throws -> SearchIndex {
        let dimensions = HashingEmbedder.dimensions
        guard chunks.count == embeddings.count else {
            throw InputError(description: "\(chunks.count) passages but \(embeddings.count) embeddings")
        }
        if let bad = embeddings.firstIndex(where: { $0.count != dimensions }) {
            throw InputError(
                description: "the embedding of \(chunks[bad].id) has \(embeddings[bad].count) dimensions, "
                    + "not \(dimensions)")
        }
        var mean = [Double](repeating: 0, count: dimensions)
        for vector in embeddings {
            for dimension in 0..<dimensions { mean[dimension] += Double(vector[dimension]) }
        }
        if !embeddings.isEmpty {
            for dimension in 0..<dimensions { mean[dimension] /= Double(embeddings.count) }
        }
        let meanFloats = mean.map { Float($0) }
        var vectors: [Float] = []
        vectors.reserveCapacity(chunks.count * dimensions)
        for vector in embeddings {
            vectors += centred(vector, mean: meanFloats)
        }

        var termCounts: [[String: Int]] = []
        var documentFrequency: [String: Int] = [:]
        var totalLength = 0
        for chunk in chunks {
            let terms = TextTokenizer.terms(of: chunk.searchableText)
            var counts: [String: Int] = [:]
            for term in terms { counts[term, default: 0] += 1 }
            for term in counts.keys { documentFrequency[term, default: 0] += 1 }
            termCounts.append(counts)
            totalLength += terms.count
        }
        return SearchIndex(
            chunks: chunks, vectors: vectors, mean: meanFloats, termCounts: termCounts,
            documentFrequency: documentFrequency,
            averageLength: chunks.isEmpty ? 0 : Double(totalLength) / Double(chunks.count))
    }

    /// `vector` minus `mean`, scaled to length 1.
    static func centred(_ vector: [Float], mean: [Float]) -> [Float] {
        HashingEmbedder.normalized(zip(vector, mean).map { Double($0) - Double($1) })
    }

    /// `vector` centred with this index's mean.
    func centred(_ vector: [Float]) -> [Float] { Self.centred(vector, mean: mean) }

    /// The cosine similarity of the centred unit `query` and passage `chunk`.
    func similarity(_ query: [Float], chunk: Int) -> Double {
        let dimensions = HashingEmbedder.dimensions
        let offset = chunk * dimensions
        var sum = 0.0
        for dimension in 0..<dimensions {
            sum += Double(query[dimension]) * Double(vectors[offset + dimension])
        }
        return sum
    }

    /// The inverse document frequency of `term` (BM25's, never negative).
    func inverseDocumentFrequency(of term: String) -> Double {
        let count = Double(chunks.count)
        let frequency = Double(documentFrequency[term] ?? 0)
        return log(1 + (count - frequency + 0.5) / (frequency + 0.5))
    }

    /// The BM25 score of passage `chunk` for the query terms `terms`, divided by the
    /// highest score those terms could reach, so that it lies in 0...1.
    func lexicalScore(_ terms: [String], chunk: Int) -> Double {
        let k1 = 1.2
        let b = 0.75
        let counts = termCounts[chunk]
        let length = Double(counts.values.reduce(0, +))
        var score = 0.0
        var best = 0.0
        for term in Set(terms).sorted() {
            let idf = inverseDocumentFrequency(of: term)
            best += idf
            let frequency = Double(counts[term] ?? 0)
            guard frequency > 0 else { continue }
            let norm = k1 * (1 - b + b * length / max(averageLength, 1))
            score += idf * frequency * (k1 + 1) / (frequency + norm) / (k1 + 1)
        }
        return best > 0 ? score / best : 0
    }
}

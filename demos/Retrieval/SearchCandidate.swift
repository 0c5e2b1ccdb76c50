/// A passage the vector search found close to a query.
struct SearchCandidate: Codable, Sendable, Hashable {
    /// The passage's position in ``SearchIndex/chunks``.
    var chunk: Int
    /// The cosine similarity of the centred query and passage vectors.
    var similarity: Double

    /// The `count` passages of `index` most similar to the unit `queryVector` (centred
    /// here), best first; ties go to the earlier passage.
    static func nearest(to queryVector: [Float], in index: SearchIndex, count: Int) -> [SearchCandidate] {
        let query = index.centred(queryVector)
        let all = index.chunks.indices.map {
            SearchCandidate(chunk: $0, similarity: index.similarity(query, chunk: $0))
        }
        return Array(
            all.sorted { $0.similarity != $1.similarity ? $0.similarity > $1.similarity : $0.chunk < $1.chunk }
                .prefix(count))
    }
}

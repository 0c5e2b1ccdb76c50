import HyperNodes

/// The demo's pipeline: documents are embedded by a nested pipeline mapped
/// over them, their centroid is computed, and a report is written with an
/// API key that telemetry must never show.
enum DemoPipeline {
    /// A document that cannot be embedded.
    struct EmptyDocument: Error, CustomStringConvertible {
        var description: String { "the document has no words; nothing to embed" }
    }

    static let dimensions = 4

    /// Lowercased words of a text.
    static let tokenize = Node("tokenize", inputs: "text", output: "words") { (text: String) in
        text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
    }

    /// A bag-of-letters vector: how often each letter falls in each of `dimensions` buckets, normalised.
    static let embed = Node("embed", inputs: "words", output: "vector") { (words: [String]) throws -> [Double] in
        guard !words.isEmpty else { throw EmptyDocument() }
        var vector = [Double](repeating: 0, count: dimensions)
        for scalar in words.joined().unicodeScalars {
            vector[Int(scalar.value) % dimensions] += 1
        }
        let norm = vector.map { $0 * $0 }.reduce(0, +).squareRoot()
        return vector.map { $0 / norm }
    }

    /// The mean of the vectors.
    static let centroid = Node("centroid", inputs: "vectors", output: "centroid") { (vectors: [[Double]]) in
        (0..<dimensions).map { k in vectors.map { $0[k] }.reduce(0, +) / Double(max(1, vectors.count)) }
    }

    /// A one-line summary; the API key only proves that it reached the node.
    static let report = Node("report", inputs: "centroid", "api_key", output: "report") {
        (centroid: [Double], apiKey: String) in
        let values = centroid.map { String(Int(($0 * 1000).rounded())) }.joined(separator: " ")
        return "centroid (x1000): \(values); key of \(apiKey.count) characters"
    }

    /// `embed_text` (tokenize → embed), nested in `otlp_demo` as the node
    /// `embed_documents` mapped over the documents, then centroid and report.
    static func make(cache: (any CacheStore)?, callbacks: [any PipelineCallback]) throws -> Pipeline {
        let embedText = try Pipeline(nodes: [tokenize, embed], name: "embed_text")
        let embedDocuments = try embedText.asNode(
            name: "embed_documents", inputMapping: ["documents": "text"], outputMapping: ["vector": "vectors"],
            mapOver: ["documents"])
        return try Pipeline(
            nodes: [embedDocuments, centroid, report], name: "otlp_demo", cache: cache, callbacks: callbacks)
    }

    static let documents = [
        "Spans arrive in the receiver",
        "Every node is a span, every map item too",
        "Cache hits get a short span of their own",
    ]
}

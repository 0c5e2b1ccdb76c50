import Foundation
import HyperNodes

// Nodes: named, typed inputs and outputs; plain Swift closures as bodies.
let clean = Node("clean", inputs: "text", output: "cleaned") { (text: String) in
    text.trimmingCharacters(in: .whitespaces).lowercased()
}
let count = Node("count", inputs: "cleaned", output: "word_count") { (cleaned: String) in
    cleaned.split(separator: " ").count
}

// A pipeline: the DAG is built and type-checked here.
let pipeline = try Pipeline(nodes: [clean, count], name: "text_processor")

// Run once…
let result = try await pipeline.run(inputs: ["text": "  Hello World  "])
print(result["word_count", as: Int.self]!)  // 2

// …or map over many items, concurrently, results in item order.
let many = try await pipeline.map(inputs: ["text": ["a b c", "  d  "]], over: ["text"])
print(many["word_count", as: Int.self]!)  // [3, 1]

// Pipelines nest: this one runs text_processor once per document.
let perDocument = try pipeline.asNode(name: "per_document", mapOver: ["text"])
let total = Node("total", inputs: "word_count", output: "total") { (counts: [Int]) in
    counts.reduce(0, +)
}
let corpus = try Pipeline(nodes: [perDocument, total], name: "corpus")
print(try await corpus.run(inputs: ["text": ["one two", "three"]])["total", as: Int.self]!)  // 3

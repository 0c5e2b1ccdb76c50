import Foundation
import HyperNodes

// Nodes are plain Swift functions: the parameters are the inputs, @Node names
// the output and declares the node beside the function (`cleanNode`).
@Node(output: "cleaned")
func clean(text: String) -> String {
    text.trimmingCharacters(in: .whitespaces).lowercased()
}

@Node(output: "word_count")
func count(cleaned: String) -> Int {
    cleaned.split(separator: " ").count
}

// A pipeline: the DAG is built and type-checked here.
let pipeline = try Pipeline(nodes: [cleanNode, countNode], name: "text_processor")

// Run once…
let result = try await pipeline.run(inputs: ["text": "  Hello World  "])
print(result["word_count", as: Int.self]!)  // 2

// …or map over many items, concurrently, results in item order.
let many = try await pipeline.map(inputs: ["text": ["a b c", "  d  "]], over: ["text"])
print(many["word_count", as: Int.self]!)  // [3, 1]

// Pipelines nest: this one runs text_processor once per document.
let perDocument = try pipeline.asNode(name: "per_document", mapOver: ["text"])

@Node(output: "total")
func total(word_count counts: [Int]) -> Int {  // input "word_count", read as `counts`
    counts.reduce(0, +)
}

let corpus = try Pipeline(nodes: [perDocument, totalNode], name: "corpus")
print(try await corpus.run(inputs: ["text": ["one two", "three"]])["total", as: Int.self]!)  // 3

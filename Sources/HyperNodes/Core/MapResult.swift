/// The results of a map: one ``PipelineResult`` per item, in item order.
///
/// ```swift
/// let results = try await pipeline.map(inputs: ["x": [1, 2, 3]], over: ["x"])
/// results.count                          // 3
/// results[0]["doubled", as: Int.self]    // 2
/// results["doubled", as: Int.self]       // [2, 4, 6]
/// ```
public struct MapResult: RandomAccessCollection, @unchecked Sendable {
    let graph: CompiledGraph
    let slots: [Int]
    let frames: [Frame]

    /// The index of the first item.
    public var startIndex: Int { 0 }
    /// One past the index of the last item.
    public var endIndex: Int { frames.count }

    /// The result of item `index`.
    public subscript(index: Int) -> PipelineResult {
        PipelineResult(graph: graph, slots: slots, frame: frames[index])
    }

    /// The output names each item holds.
    public var names: [String] { slots.map { graph.slotNames[$0] } }

    /// Output `name` of every item, in item order, or `nil` if an item lacks
    /// it or holds another type.
    public subscript<T>(name: String, as type: T.Type) -> [T]? {
        try? values(name, as: type)
    }

    /// A typed output of every item, in item order.
    public subscript<T>(output: Output<T>) -> [T]? {
        try? values(output.name, as: T.self)
    }

    /// Output `name` of every item, in item order.
    ///
    /// - Throws: ``ResultError`` naming the output and the first item that lacks it
    ///   or holds another type.
    public func values<T>(_ name: String, as type: T.Type = T.self) throws -> [T] {
        guard let slot = graph.slotOf[name], slots.contains(slot) else {
            throw ResultError.missing(name: name, available: names)
        }
        var out: [T] = []
        out.reserveCapacity(frames.count)
        for frame in frames {
            out.append(try ResultError.typed(frame[slot], name: name, available: names))
        }
        return out
    }
}

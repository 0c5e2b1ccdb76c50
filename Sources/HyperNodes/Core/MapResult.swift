/// The results of a map: one ``PipelineResult`` per item, in item order.
///
/// ```swift
/// let results = try await pipeline.map(inputs: ["x": [1, 2, 3]], over: ["x"])
/// results.count                          // 3
/// results[0]["doubled", as: Int.self]    // 2
/// results["doubled", as: Int.self]       // [2, 4, 6]
/// ```
///
/// A map run with ``MapFailurePolicy/collect`` may hold failed items: they are
/// listed in ``failures``, ``succeeded(_:)`` is `false` for them, reading
/// their outputs throws a ``ResultError`` naming the item and its error, and
/// ``successfulValues(_:as:)`` returns the other items' values with their indices.
public struct MapResult: RandomAccessCollection, @unchecked Sendable {
    let graph: CompiledGraph
    let slots: [Int]
    let frames: [Frame]
    /// The items that failed under ``MapFailurePolicy/collect``, in item order;
    /// always empty under ``MapFailurePolicy/stop``.
    public let failures: [MapItemFailure]

    init(graph: CompiledGraph, slots: [Int], frames: [Frame], failures: [MapItemFailure] = []) {
        self.graph = graph
        self.slots = slots
        self.frames = frames
        self.failures = failures
    }

    /// The index of the first item.
    public var startIndex: Int { 0 }
    /// One past the index of the last item.
    public var endIndex: Int { frames.count }

    /// The result of item `index`; for a failed item, a result that holds no
    /// outputs and whose ``PipelineResult/value(_:as:)`` throws naming the failure.
    public subscript(index: Int) -> PipelineResult {
        PipelineResult(graph: graph, slots: slots, frame: frames[index], failure: failure(at: index))
    }

    /// The output names each item holds.
    public var names: [String] { slots.map { graph.slotNames[$0] } }

    /// Whether item `index` ran to the end (`false` for an item listed in ``failures``).
    public func succeeded(_ index: Int) -> Bool {
        failure(at: index) == nil
    }

    /// The failure of item `index`, or `nil` if it succeeded.
    public func failure(at index: Int) -> MapItemFailure? {
        if failures.isEmpty { return nil }
        // `failures` is sorted by index: binary search.
        var low = 0
        var high = failures.count
        while low < high {
            let middle = (low + high) / 2
            if failures[middle].index < index { low = middle + 1 } else { high = middle }
        }
        return low < failures.count && failures[low].index == index ? failures[low] : nil
    }

    /// Output `name` of every item, in item order, or `nil` if an item lacks
    /// it, holds another type or failed.
    public subscript<T>(name: String, as type: T.Type) -> [T]? {
        try? values(name, as: type)
    }

    /// A typed output of every item, in item order, or `nil` as for ``subscript(_:as:)``.
    public subscript<T>(output: Output<T>) -> [T]? {
        try? values(output.name, as: T.self)
    }

    /// Output `name` of every item, in item order.
    ///
    /// - Throws: ``ResultError`` naming the output and the first item that lacks it
    ///   or holds another type, or naming the first failed item and its error.
    ///   Use ``successfulValues(_:as:)`` to read a map with failures.
    public func values<T>(_ name: String, as type: T.Type = T.self) throws -> [T] {
        let slot = try slot(of: name)
        if let first = failures.first { throw ResultError.failedItem(first, output: name) }
        var out: [T] = []
        out.reserveCapacity(frames.count)
        for frame in frames {
            out.append(try ResultError.typed(frame[slot], name: name, available: names))
        }
        return out
    }

    /// Output `name` of every item that succeeded, with the item's index, in
    /// item order; failed items are left out (they are in ``failures``).
    ///
    /// - Throws: ``ResultError`` naming the output and the first successful item
    ///   that lacks it or holds another type.
    public func successfulValues<T>(_ name: String, as type: T.Type = T.self) throws -> [(index: Int, value: T)] {
        let slot = try slot(of: name)
        var out: [(index: Int, value: T)] = []
        out.reserveCapacity(frames.count - failures.count)
        var next = failures.startIndex
        for (index, frame) in frames.enumerated() {
            if next < failures.endIndex && failures[next].index == index {
                next += 1
                continue
            }
            out.append((index, try ResultError.typed(frame[slot], name: name, available: names)))
        }
        return out
    }

    /// A typed output of every item that succeeded; see ``successfulValues(_:as:)``.
    public func successfulValues<T>(_ output: Output<T>) throws -> [(index: Int, value: T)] {
        try successfulValues(output.name, as: T.self)
    }

    private func slot(of name: String) throws -> Int {
        guard let slot = graph.slotOf[name], slots.contains(slot) else {
            throw ResultError.missing(name: name, available: names)
        }
        return slot
    }
}

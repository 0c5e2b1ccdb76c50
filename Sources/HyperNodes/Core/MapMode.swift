/// How `map` combines several mapped lists into items.
public enum MapMode: String, Sendable, Hashable, Codable {
    /// Item *i* takes element *i* of every list; the lists must have equal lengths.
    case zip
    /// Every combination of elements, iterating in the order of `over`: the
    /// first list varies slowest.
    case product
}

/// How a pipeline schedules its work.
public enum ExecutionMode: String, Sendable, Hashable {
    /// Independent nodes and map items run concurrently, up to `maxConcurrency`.
    case concurrent
    /// One node and one item at a time, in execution order: for debugging.
    case sequential
}

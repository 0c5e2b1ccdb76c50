/// What `map` does when an item fails.
///
/// ```swift
/// let results = try await pipeline.map(
///     inputs: ["row": rows], over: ["row"], onItemFailure: .collect)
/// for failure in results.failures {
///     print(failure)  // item 3: clean[3] > parse_row: bad date '2024-13-40'
/// }
/// let cleaned = try results.successfulValues("cleaned", as: Row.self)
/// ```
///
/// Under both policies, cancelling the calling task (Ctrl-C, a cancelled
/// parent task) stops the map at once and `map` throws. A pipeline nested
/// with `asNode(mapOver:)` always fails fast: its outputs are per-item lists,
/// which cannot have holes.
public enum MapFailurePolicy: Sendable, Hashable {
    /// Fail fast (the default): the first failing item stops the map. Workers
    /// take no new items, items already running finish, and `map` throws the
    /// item's error with its path (`pipeline[3] > node: …`).
    case stop
    /// Collect failures: a failing item ends with status error, as under
    /// ``stop``, but the other items go on and `map` returns normally. The
    /// result lists the failed items in ``MapResult/failures``; reading a
    /// failed item's outputs throws a ``ResultError`` naming it.
    case collect
}

import Synchronization

/// The failed items of one map under ``MapFailurePolicy/collect``, appended
/// by concurrent workers. Allocated once per collecting map, written only
/// when an item fails.
final class MapFailureLog: Sendable {
    private let entries = Mutex<[MapItemFailure]>([])

    func append(_ index: Int, _ error: any Error) {
        entries.withLock { $0.append(MapItemFailure(index: index, error: error)) }
    }

    var isEmpty: Bool { entries.withLock { $0.isEmpty } }

    /// The failures in item order.
    var sorted: [MapItemFailure] { entries.withLock { $0 }.sorted { $0.index < $1.index } }
}

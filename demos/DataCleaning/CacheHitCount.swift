import HyperNodes
import Synchronization

/// A callback that counts the nodes served from the cache, from the `nodeCached` events.
final class CacheHitCount: PipelineCallback {
    private let count = Atomic<Int>(0)

    /// Creates a counter at zero.
    init() {}

    /// The nodes served from the cache so far.
    var value: Int { count.load(ordering: .relaxed) }

    /// Counts the hit.
    func onNodeCached(_ event: PipelineEvent, context: CallbackContext) {
        count.add(1, ordering: .relaxed)
    }
}

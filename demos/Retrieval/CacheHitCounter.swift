import HyperNodes
import Synchronization

/// A callback that records which nodes were served from the cache, from the
/// `nodeCached` events of the run.
final class CacheHitCounter: PipelineCallback {
    private let names = Mutex<[String]>([])

    /// Creates a counter with no cache hits.
    init() {}

    /// The names of the nodes served from the cache, in event order.
    var cachedNodes: [String] { names.withLock { $0 } }

    /// Records the hit.
    func onNodeCached(_ event: PipelineEvent, context: CallbackContext) {
        names.withLock { $0.append(event.name) }
    }
}

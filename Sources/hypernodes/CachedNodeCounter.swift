import HyperNodes
import Synchronization

/// A callback that records which nodes were served from the cache.
///
/// It listens to ``EventKind/nodeCached`` events only, so it reports exactly
/// what the event stream says, for nodes at any nesting depth.
final class CachedNodeCounter: PipelineCallback {
    private let names = Mutex<[String]>([])

    /// Creates a counter with no cache hits.
    init() {}

    /// The names of the nodes served from the cache, in event order (a node
    /// inside a map appears once per item).
    var cachedNodes: [String] { names.withLock { $0 } }

    /// Records the hit.
    func onNodeCached(_ event: PipelineEvent, context: CallbackContext) {
        names.withLock { $0.append(event.name) }
    }
}

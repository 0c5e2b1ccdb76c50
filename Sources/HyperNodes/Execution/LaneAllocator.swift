import Synchronization

/// Hands out the smallest free worker lane, so concurrent work in a run is
/// drawn on few, reused rows.
final class LaneAllocator: Sendable {
    private let used = Mutex<[Bool]>([true])  // lane 0 belongs to the caller's task

    func acquire() -> Int {
        used.withLock { used in
            if let free = used.firstIndex(of: false) {
                used[free] = true
                return free
            }
            used.append(true)
            return used.count - 1
        }
    }

    func release(_ lane: Int) {
        used.withLock { $0[lane] = false }
    }
}

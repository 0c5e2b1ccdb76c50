import Synchronization

/// Run ids: unique within the process, unpredictable across processes.
enum RunID {
    private static let seed = UInt64.random(in: 1...UInt64.max)
    private static let counter = Atomic<UInt64>(0)

    static func next() -> UInt64 {
        let n = counter.add(1, ordering: .relaxed).newValue
        let id = seed &+ n &* 0x9E37_79B9_7F4A_7C15
        return id == 0 ? 1 : id
    }
}

import Synchronization

/// Hands out map item indices to workers and tells them when to stop.
final class MapCursor: Sendable {
    private let position = Atomic<Int>(0)
    private let halted = Atomic<Bool>(false)

    func next() -> Int { position.add(1, ordering: .relaxed).oldValue }
    var stopped: Bool { halted.load(ordering: .relaxed) }
    func stop() { halted.store(true, ordering: .relaxed) }
}

/// Per-item result frames of a map, written by concurrent workers at distinct indices.
final class FrameList: @unchecked Sendable {
    private let storage: UnsafeMutablePointer<Frame?>
    private let count: Int

    init(count: Int) {
        self.count = count
        storage = .allocate(capacity: max(count, 1))
        storage.initialize(repeating: nil, count: count)
    }

    deinit {
        storage.deinitialize(count: count)
        storage.deallocate()
    }

    subscript(index: Int) -> Frame? {
        get { storage[index] }
        set { storage[index] = newValue }
    }

    /// The frames, once every index has been written.
    var frames: [Frame] { (0..<count).map { storage[$0]! } }

    /// The frames, with `hole` at every index that was not written.
    func frames(filling hole: Frame) -> [Frame] { (0..<count).map { storage[$0] ?? hole } }
}

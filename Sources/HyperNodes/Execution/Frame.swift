/// The value slots of one pipeline execution: one per named value, indexed
/// by the slot numbers the pipeline assigned when it was built.
///
/// Concurrent nodes write disjoint slots; a node reads its inputs only after
/// their producers finished (ordered by task completion), so the slots need
/// no lock.
final class Frame: @unchecked Sendable {
    let count: Int
    private let values: UnsafeMutablePointer<(any Sendable)?>
    /// Provenance keys for caching, allocated only when a cache is in use.
    private var keys: UnsafeMutablePointer<CacheKey?>?

    init(count: Int, withKeys: Bool) {
        self.count = count
        values = .allocate(capacity: max(count, 1))
        values.initialize(repeating: nil, count: count)
        if withKeys {
            let keys = UnsafeMutablePointer<CacheKey?>.allocate(capacity: max(count, 1))
            keys.initialize(repeating: nil, count: count)
            self.keys = keys
        }
    }

    deinit {
        values.deinitialize(count: count)
        values.deallocate()
        if let keys {
            keys.deinitialize(count: count)
            keys.deallocate()
        }
    }

    @inline(__always)
    subscript(slot: Int) -> (any Sendable)? {
        get { values[slot] }
        set { values[slot] = newValue }
    }

    var hasKeys: Bool { keys != nil }

    func key(_ slot: Int) -> CacheKey? { keys?[slot] }

    func setKey(_ key: CacheKey?, _ slot: Int) { keys?[slot] = key }
}

/// Read access to a node's input values, in the order the node declared them.
struct Arguments {
    let frame: Frame
    let slots: [Int]

    @inline(__always)
    func value<T>(_ index: Int, as type: T.Type) -> T {
        // The pipeline checked every producer's type against this input's
        // type when it was built, and root inputs when the run started.
        frame[slots[index]] as! T
    }

    /// All inputs, typed, in declaration order.
    @inline(__always)
    func unpack<each I>(_ types: repeat (each I).Type) -> (repeat each I) {
        var index = 0
        func next<T>(_ type: T.Type) -> T {
            defer { index += 1 }
            return value(index, as: type)
        }
        return (repeat next(each types))
    }
}

/// Write access to a node's output slots, in the order the node declared them.
struct Results {
    let frame: Frame
    let slots: [Int]

    @inline(__always)
    func set(_ index: Int, _ value: any Sendable) {
        frame[slots[index]] = value
    }

    /// Stores every output, in declaration order.
    @inline(__always)
    func store<each O: Sendable>(_ values: repeat each O) {
        var index = 0
        for value in repeat each values {
            set(index, value)
            index += 1
        }
    }
}

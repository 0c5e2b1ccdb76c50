/// The fixed part of a ``Frame``: its slot count and, when a cache is in
/// use, the provenance keys of its slots.
struct FrameHeader {
    let count: Int
    let keys: UnsafeMutablePointer<CacheKey?>?
}

/// The value slots of one pipeline execution: one per named value, indexed
/// by the slot numbers the pipeline assigned when it was built. The slots
/// live in the same allocation as the object (one allocation per frame;
/// a map allocates one frame per item).
///
/// Concurrent nodes write disjoint slots; a node reads its inputs only after
/// their producers finished (ordered by task completion), so the slots need
/// no lock. (`ManagedBuffer` cannot be `Sendable`; the engine passes frames
/// to its child tasks as `nonisolated(unsafe)` for that reason.)
final class Frame: ManagedBuffer<FrameHeader, (any Sendable)?> {
    /// A frame of `count` empty slots.
    static func make(count: Int, withKeys: Bool) -> Frame {
        var keys: UnsafeMutablePointer<CacheKey?>?
        if withKeys {
            keys = .allocate(capacity: max(count, 1))
            keys?.initialize(repeating: nil, count: count)
        }
        let buffer = create(minimumCapacity: max(count, 1)) { _ in FrameHeader(count: count, keys: keys) }
        let frame = unsafeDowncast(buffer, to: Frame.self)
        frame.withUnsafeMutablePointerToElements { $0.initialize(repeating: nil, count: count) }
        return frame
    }

    deinit {
        withUnsafeMutablePointers { header, values in
            values.deinitialize(count: header.pointee.count)
            if let keys = header.pointee.keys {
                keys.deinitialize(count: header.pointee.count)
                keys.deallocate()
            }
        }
    }

    var count: Int { header.count }

    @inline(__always)
    subscript(slot: Int) -> (any Sendable)? {
        get { withUnsafeMutablePointerToElements { $0[slot] } }
        set { withUnsafeMutablePointerToElements { $0[slot] = newValue } }
    }

    var hasKeys: Bool { header.keys != nil }

    func key(_ slot: Int) -> CacheKey? { header.keys?[slot] }

    func setKey(_ key: CacheKey?, _ slot: Int) { header.keys?[slot] = key }
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

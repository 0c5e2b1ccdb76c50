import HyperNodes

/// A hash table keyed by span id, for the per-event bookkeeping of trace
/// writers: open addressing with linear probing and a multiplicative hash,
/// several times cheaper per lookup than `Dictionary`'s seeded SipHash.
/// Span ids are never 0, which marks an empty slot.
struct SpanTable<Value> {
    private var keys: [UInt64]
    private var values: [Value?]
    private var mask: Int
    private var shift: UInt64
    /// The number of entries.
    private(set) var count = 0

    init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size *= 2 }
        keys = Array(repeating: 0, count: size)
        values = Array(repeating: nil, count: size)
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
    }

    var isEmpty: Bool { count == 0 }

    @inline(__always)
    private func slot(for key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The value for `id`, or `nil`; setting `nil` removes the entry.
    subscript(id: SpanID) -> Value? {
        get {
            let key = id.rawValue
            guard count > 0, key != 0 else { return nil }
            var index = slot(for: key)
            while true {
                let found = keys[index]
                if found == key { return values[index] }
                if found == 0 { return nil }
                index = (index + 1) & mask
            }
        }
        set {
            if let newValue { insert(id.rawValue, newValue) } else { _ = remove(id) }
        }
    }

    private mutating func insert(_ key: UInt64, _ value: Value) {
        guard key != 0 else { return }
        if (count + 1) * 2 > keys.count { resize(keys.count * 2) }
        var index = slot(for: key)
        while true {
            let found = keys[index]
            if found == key {
                values[index] = value
                return
            }
            if found == 0 {
                keys[index] = key
                values[index] = value
                count += 1
                return
            }
            index = (index + 1) & mask
        }
    }

    /// Removes and returns the value for `id`.
    @discardableResult
    mutating func remove(_ id: SpanID) -> Value? {
        let key = id.rawValue
        guard count > 0, key != 0 else { return nil }
        var index = slot(for: key)
        while keys[index] != key {
            if keys[index] == 0 { return nil }
            index = (index + 1) & mask
        }
        let removed = values[index]
        // Backward-shift deletion: move later entries of the probe run into the hole.
        var hole = index
        var next = (hole + 1) & mask
        while keys[next] != 0 {
            let home = slot(for: keys[next])
            // The entry may fill the hole unless its home lies cyclically in (hole, next].
            if (next - home) & mask >= (next - hole) & mask {
                keys[hole] = keys[next]
                values[hole] = values[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        keys[hole] = 0
        values[hole] = nil
        count -= 1
        return removed
    }

    /// Removes every entry, keeping the memory.
    mutating func removeAll() {
        guard count > 0 else { return }
        for index in keys.indices where keys[index] != 0 {
            keys[index] = 0
            values[index] = nil
        }
        count = 0
    }

    private mutating func resize(_ size: Int) {
        let oldKeys = keys
        let oldValues = values
        keys = Array(repeating: 0, count: size)
        values = Array(repeating: nil, count: size)
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
        count = 0
        for index in oldKeys.indices where oldKeys[index] != 0 {
            insert(oldKeys[index], oldValues[index]!)
        }
    }
}

extension SpanTable: Sendable where Value: Sendable {}

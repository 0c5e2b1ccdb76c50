/// Span indices by span id: an open-addressing hash table (linear probing, multiplicative hashing,
/// deletion by backward shift) that costs a multiply and usually one probe where a `Dictionary`
/// would hash the id with SipHash. Id 0 (never used by the engine, but possible in a damaged
/// trace) is kept aside.
struct SpanIDTable: Sendable {
    private var keys: [UInt64]
    private var values: [Int32]
    private var zeroValue: Int32?
    /// 64 minus log2 of the capacity: the hash's top bits pick the slot.
    private var shift: UInt64
    /// The number of ids in the table.
    private(set) var count = 0

    init() {
        keys = [UInt64](repeating: 0, count: 16)
        values = [Int32](repeating: 0, count: 16)
        shift = 60
    }

    @inline(__always)
    private func home(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    subscript(key: UInt64) -> Int32? {
        get {
            if key == 0 { return zeroValue }
            let mask = keys.count - 1
            var slot = home(key)
            while true {
                let found = keys[slot]
                if found == key { return values[slot] }
                if found == 0 { return nil }
                slot = (slot + 1) & mask
            }
        }
        set {
            if key == 0 {
                if (zeroValue == nil) != (newValue == nil) { count += newValue == nil ? -1 : 1 }
                zeroValue = newValue
                return
            }
            if let newValue { insert(key, newValue) } else { remove(key) }
        }
    }

    private mutating func insert(_ key: UInt64, _ value: Int32) {
        if (count + 1) * 4 > keys.count * 3 { grow() }
        let mask = keys.count - 1
        var slot = home(key)
        while true {
            let found = keys[slot]
            if found == key {
                values[slot] = value
                return
            }
            if found == 0 {
                keys[slot] = key
                values[slot] = value
                count += 1
                return
            }
            slot = (slot + 1) & mask
        }
    }

    private mutating func remove(_ key: UInt64) {
        let mask = keys.count - 1
        var slot = home(key)
        while true {
            let found = keys[slot]
            if found == 0 { return }
            if found == key { break }
            slot = (slot + 1) & mask
        }
        count -= 1
        // Shift back the entries after the hole that would no longer be found.
        var hole = slot
        var next = slot
        while true {
            next = (next + 1) & mask
            let moving = keys[next]
            if moving == 0 { break }
            let wanted = home(moving)
            // The entry may fill the hole when its home is not cyclically in (hole, next].
            let between = hole <= next ? (wanted > hole && wanted <= next) : (wanted > hole || wanted <= next)
            if !between {
                keys[hole] = moving
                values[hole] = values[next]
                hole = next
            }
        }
        keys[hole] = 0
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldValues = values
        let capacity = keys.count * 2
        keys = [UInt64](repeating: 0, count: capacity)
        values = [Int32](repeating: 0, count: capacity)
        shift -= 1
        let zero = zeroValue
        count = zero == nil ? 0 : 1
        for slot in oldKeys.indices where oldKeys[slot] != 0 {
            insert(oldKeys[slot], oldValues[slot])
        }
    }
}

/// Open spans by (run, span id): an open-addressing hash table with linear
/// probing and a multiplicative hash, because the progress model looks up
/// one or two spans per event and `Dictionary`'s seeded SipHash dominated
/// that cost.
struct SpanTable<Value: Sendable>: Sendable {
    private var runs: [UInt64]
    private var spans: [UInt64]
    private var values: [Value?]
    /// 0: empty, 1: occupied, 2: deleted.
    private var states: [UInt8]
    private var occupied = 0
    private var used = 0  // occupied + deleted
    private var mask: Int

    init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        runs = Array(repeating: 0, count: size)
        spans = Array(repeating: 0, count: size)
        values = Array(repeating: nil, count: size)
        states = Array(repeating: 0, count: size)
        mask = size - 1
    }

    var count: Int { occupied }

    @inline(__always)
    private func slot(run: UInt64, span: UInt64) -> Int {
        let mixed = (span &+ run &* 0x9E37_79B9_7F4A_7C15) &* 0xBF58_476D_1CE4_E5B9
        return Int(truncatingIfNeeded: mixed >> 32) & mask
    }

    /// The value of (`run`, `span`), or `nil`.
    func value(run: UInt64, span: UInt64) -> Value? {
        var index = slot(run: run, span: span)
        while true {
            switch states[index] {
            case 0: return nil
            case 1 where runs[index] == run && spans[index] == span: return values[index]
            default: index = (index + 1) & mask
            }
        }
    }

    /// Sets the value of (`run`, `span`).
    mutating func set(_ value: Value, run: UInt64, span: UInt64) {
        if (used + 1) * 4 > states.count * 3 { rehash() }
        var index = slot(run: run, span: span)
        var firstDeleted: Int?
        while true {
            switch states[index] {
            case 0:
                let target = firstDeleted ?? index
                if firstDeleted == nil { used += 1 }
                states[target] = 1
                runs[target] = run
                spans[target] = span
                values[target] = value
                occupied += 1
                return
            case 1 where runs[index] == run && spans[index] == span:
                values[index] = value
                return
            case 2:
                if firstDeleted == nil { firstDeleted = index }
                index = (index + 1) & mask
            default:
                index = (index + 1) & mask
            }
        }
    }

    /// Removes (`run`, `span`) and returns its value.
    @discardableResult
    mutating func remove(run: UInt64, span: UInt64) -> Value? {
        var index = slot(run: run, span: span)
        while true {
            switch states[index] {
            case 0: return nil
            case 1 where runs[index] == run && spans[index] == span:
                let value = values[index]
                values[index] = nil
                states[index] = 2
                occupied -= 1
                return value
            default: index = (index + 1) & mask
            }
        }
    }

    /// Rebuilds the table without deleted slots, twice as large when more than half full.
    private mutating func rehash() {
        let size = occupied * 2 >= states.count / 2 ? states.count * 2 : states.count
        var fresh = SpanTable(capacity: size / 2)
        for index in states.indices where states[index] == 1 {
            fresh.set(values[index]!, run: runs[index], span: spans[index])
        }
        self = fresh
    }
}

import Synchronization

/// Hands out span ids that are unique within a run without making
/// concurrent workers contend for one counter.
///
/// Each worker lane takes a block of ids from a shared atomic counter and
/// hands them out from its own slot, so the shared cache line is touched
/// once per block. This is safe because a lane is used by one task at a
/// time (see ``LaneAllocator``). Ids are unique and never zero, but they are
/// not in creation order across lanes.
final class SpanAllocator: @unchecked Sendable {
    private static let laneSlots = 64
    private static let blockSize: UInt64 = 256
    /// Words per lane slot: `next` and `end`, padded to a 64-byte cache line.
    private static let stride = 8

    private let shared = Atomic<UInt64>(0)
    private let slots: UnsafeMutablePointer<UInt64>

    init() {
        slots = .allocate(capacity: Self.laneSlots * Self.stride)
        slots.initialize(repeating: 0, count: Self.laneSlots * Self.stride)
    }

    deinit {
        slots.deallocate()
    }

    @inline(__always)
    func next(lane: Int) -> SpanID {
        guard lane >= 0 && lane < Self.laneSlots else {
            return SpanID(rawValue: shared.add(1, ordering: .relaxed).newValue)
        }
        let slot = slots + lane * Self.stride
        if slot[0] == slot[1] {
            let start = shared.add(Self.blockSize, ordering: .relaxed).oldValue
            slot[0] = start + 1
            slot[1] = start + 1 + Self.blockSize
        }
        let id = slot[0]
        slot[0] = id + 1
        return SpanID(rawValue: id)
    }
}

import Foundation
import Synchronization

/// A bounded queue of events drained on a thread of its own.
///
/// Sinks that do I/O (a trace file, a socket, a terminal) put events in an
/// `EventQueue` and do their work in its `deliver` closure, so the
/// pipeline's tasks only pay for an append. The queue is sharded by the
/// event's worker lane, so concurrent workers never contend for a lock, and
/// under sustained load no producer makes a system call: the drain thread
/// polls every half millisecond while events keep coming and only sleeps
/// after a quiet period, after which the next event wakes it.
///
/// The drain thread delivers batches sorted by timestamp. Events that are
/// causally ordered (a span's start before its children, its end after
/// them) are always delivered in that order.
///
/// Memory is bounded: at most `capacity` events wait at once (split evenly
/// between the 16 lane shards, at least one each; an event takes 96 bytes, so
/// the default of 262,144 bounds a queue at 24 MiB, of which a run with two
/// workers can use an eighth). When the
/// queue is full, ``OverflowPolicy/block`` makes the producer wait (lossless)
/// and ``OverflowPolicy/dropOldest`` discards the oldest waiting event and
/// counts it in ``droppedCount``.
public final class EventQueue: Sendable {
    /// What a full queue does with a new event.
    public enum OverflowPolicy: Sendable {
        /// The producer waits until the drain thread makes room. Nothing is lost.
        case block
        /// The oldest undelivered event is discarded and counted.
        case dropOldest
    }

    /// One queued event and the context it was emitted in.
    public struct Entry: Sendable {
        /// The event.
        public let event: PipelineEvent
        /// Where it happened.
        public let context: CallbackContext
    }

    /// The events one drain pass delivers, in causal order.
    ///
    /// A batch owns what its entries refer to, so it (and any ``Entry``
    /// taken from it) may be kept after `deliver` returns.
    public struct Batch: RandomAccessCollection, Sendable {
        let queued: [QueuedEvent]
        /// Keeps every scope the queued events refer to alive.
        let scopes: [Scope]

        /// The index of the first entry.
        public var startIndex: Int { 0 }
        /// One past the index of the last entry.
        public var endIndex: Int { queued.count }

        /// The entry at `index`.
        public subscript(index: Int) -> Entry {
            Entry(event: queued[index].event, context: CallbackContext(scope: queued[index].scope))
        }
    }

    private let state: QueueState

    /// Creates a queue and starts its drain thread.
    ///
    /// - Parameters:
    ///   - label: The drain thread's name (at most 15 bytes are kept).
    ///   - capacity: The most events waiting at once.
    ///   - overflow: What happens when the queue is full.
    ///   - deliver: Called on the drain thread with batches of events, in order.
    public init(
        label: String = "hn.events",
        capacity: Int = 262_144,
        overflow: OverflowPolicy = .block,
        deliver: @escaping @Sendable (Batch) -> Void
    ) {
        state = QueueState(capacity: max(1, capacity), overflow: overflow, deliver: deliver)
        // Linux keeps at most 15 bytes of a thread name and ignores longer ones.
        let name = String(decoding: label.utf8.prefix(15), as: UTF8.self)
        let thread = Thread { [state] in
            Thread.current.name = name
            state.drainLoop()
        }
        thread.start()
    }

    deinit {
        state.close()
    }

    /// Appends an event; waits only when the queue is full and the policy is ``OverflowPolicy/block``.
    public func enqueue(_ event: PipelineEvent, context: CallbackContext) {
        state.enqueue(event, scope: context.scope)
    }

    /// Waits until every event enqueued before this call has been delivered.
    /// Called from within `deliver`, it returns at once.
    public func flush() {
        state.flush()
    }

    /// The number of events discarded by ``OverflowPolicy/dropOldest``.
    public var droppedCount: Int { state.dropped }

    /// Delivers what is queued, then stops the drain thread. Later events are
    /// discarded. Called from within `deliver`, it returns at once and the drain
    /// thread stops after the current batch.
    public func close() {
        state.close()
    }
}

/// An event waiting in a queue. Its scope is held unretained: the shard's
/// (and then the batch's) `scopes` list keeps it alive, so producers touch a
/// scope's reference count once per run of events with that scope instead of
/// once per event, and never share that cache line with the drain thread.
struct QueuedEvent: @unchecked Sendable {
    var event: PipelineEvent
    unowned(unsafe) let scope: Scope
}

/// The events of the lanes that map to one shard of a queue.
private struct ShardContents {
    var entries: [QueuedEvent] = []
    /// An emptied batch handed back by the drain thread, so producers
    /// append into memory that is already allocated.
    var spare: [QueuedEvent] = []
    /// Strong references to the scopes of `entries`.
    var scopes: [Scope] = []
    /// The scope last added to `scopes`, compared by identity only.
    var lastScope: ObjectIdentifier?
    var head = 0
    var dropped = 0
}

/// The queue's shared state, owned jointly by the queue and its drain thread.
private final class QueueState: @unchecked Sendable {
    static let shardCount = 16
    /// One lock per shard, allocated once: producers reach theirs without touching a reference count.
    private let shards: UnsafeMutablePointer<Mutex<ShardContents>>
    private let shardCapacity: Int
    private let highWater: Int
    private let overflow: EventQueue.OverflowPolicy
    private let deliver: @Sendable (EventQueue.Batch) -> Void

    /// Set by the drain thread before it sleeps; producers wake it when they see it.
    private let sleeping = Atomic<Bool>(false)
    private let closing = Atomic<Bool>(false)
    // Guarded by `control`.
    private let control = NSCondition()
    private var passesStarted = 0
    private var passesCompleted = 0
    private var wakeRequested = false
    private var finished = false

    /// Polling interval while events keep coming, and quiet period before sleeping.
    private static let pollInterval: TimeInterval = 0.0005
    private static let idlePollsBeforeSleep = 200

    init(
        capacity: Int, overflow: EventQueue.OverflowPolicy,
        deliver: @escaping @Sendable (EventQueue.Batch) -> Void
    ) {
        self.shards = .allocate(capacity: Self.shardCount)
        for index in 0..<Self.shardCount {
            (shards + index).initialize(to: Mutex(ShardContents()))
        }
        self.shardCapacity = max(1, capacity / Self.shardCount)
        self.highWater = max(1, shardCapacity * 3 / 4)
        self.overflow = overflow
        self.deliver = deliver
    }

    deinit {
        shards.deinitialize(count: Self.shardCount)
        shards.deallocate()
    }

    var dropped: Int {
        (0..<Self.shardCount).reduce(0) { total, index in total + shards[index].withLock { $0.dropped } }
    }

    func enqueue(_ event: PipelineEvent, scope: Scope) {
        if closing.load(ordering: .relaxed) { return }
        let shard = event.lane & (Self.shardCount - 1)
        let identity = ObjectIdentifier(scope)
        while true {
            // The number of waiting events after the append, or nil when full.
            let waiting = shards[shard].withLock { contents -> Int? in
                if contents.entries.count - contents.head >= shardCapacity {
                    guard case .dropOldest = overflow else { return nil }
                    contents.head += 1
                    contents.dropped += 1
                    if contents.head > 1024 && contents.head * 2 > contents.entries.count {
                        contents.entries.removeFirst(contents.head)
                        contents.head = 0
                    }
                }
                if contents.lastScope != identity {
                    // The scope stays alive in `scopes` until the batch holding the
                    // event is released, so its identity cannot be reused meanwhile.
                    contents.scopes.append(scope)
                    contents.lastScope = identity
                }
                contents.entries.append(QueuedEvent(event: event, scope: scope))
                return contents.entries.count - contents.head
            }
            if let waiting {
                // Three quarters full: call the drain thread now rather than at its
                // next poll. Rare: waking it from here tends to schedule it on
                // the producer's core, so polling is the normal path.
                if waiting == highWater || sleeping.load(ordering: .sequentiallyConsistent) { wake() }
                return
            }
            // Full and lossless: let the drain thread catch up.
            wake()
            usleep(50)
            if closing.load(ordering: .relaxed) { return }
        }
    }

    private func wake() {
        control.lock()
        wakeRequested = true
        control.broadcast()
        control.unlock()
    }

    /// Whether the calling thread is this queue's drain thread (inside `deliver`).
    private var onDrainThread: Bool {
        Thread.current.threadDictionary[Self.drainThreadKey] as? ObjectIdentifier == ObjectIdentifier(self)
    }
    private static let drainThreadKey = "hypernodes.event-queue"

    func flush() {
        // Called from `deliver`, waiting for the drain thread would wait for ourselves.
        if onDrainThread { return }
        control.lock()
        defer { control.unlock() }
        let target = passesStarted + 1
        wakeRequested = true
        control.broadcast()
        while passesCompleted < target && !finished {
            control.wait()
        }
    }

    func close() {
        closing.store(true, ordering: .sequentiallyConsistent)
        if onDrainThread { return }  // the drain loop ends after this pass
        control.lock()
        wakeRequested = true
        control.broadcast()
        while !finished { control.wait() }
        control.unlock()
    }

    /// What one shard held: its events and the scopes they refer to.
    private struct Taken {
        let shard: Int
        var events: [QueuedEvent]
        let scopes: [Scope]
    }

    /// Takes every waiting event, shard by shard.
    private func takeAll() -> [Taken] {
        var taken: [Taken] = []
        for index in 0..<Self.shardCount {
            let shard = shards[index].withLock { contents -> Taken? in
                guard contents.head < contents.entries.count else { return nil }
                var events = contents.spare
                contents.spare = []
                swap(&events, &contents.entries)
                if contents.head > 0 { events.removeFirst(contents.head) }
                contents.head = 0
                var scopes: [Scope] = []
                swap(&scopes, &contents.scopes)
                contents.lastScope = nil
                return Taken(shard: index, events: events, scopes: scopes)
            }
            if let shard { taken.append(shard) }
        }
        return taken
    }

    /// Merges lists that are each in emission order into one in timestamp
    /// order, keeping each list's order (a linear k-way merge).
    static func merge(_ lists: [[QueuedEvent]]) -> [QueuedEvent] {
        var merged: [QueuedEvent] = []
        merged.reserveCapacity(lists.reduce(0) { $0 + $1.count })
        var heads = Array(repeating: 0, count: lists.count)
        while true {
            var pick = -1
            var earliest = UInt64.max
            for (list, head) in zip(lists.indices, heads) where head < lists[list].count {
                // Absolute monotonic time: comparable across runs with different origins.
                let queued = lists[list][head]
                let timestamp = queued.scope.origin &+ queued.event.timestamp
                if pick < 0 || timestamp < earliest {
                    pick = list
                    earliest = timestamp
                }
            }
            if pick < 0 { return merged }
            merged.append(lists[pick][heads[pick]])
            heads[pick] += 1
        }
    }

    /// Delivers what ``takeAll()`` took, in causal order, and hands the
    /// emptied buffers back to their shards.
    private func deliverTaken(_ taken: [Taken]) {
        if taken.count == 1 {
            deliver(EventQueue.Batch(queued: taken[0].events, scopes: taken[0].scopes))
        } else {
            deliver(EventQueue.Batch(queued: Self.merge(taken.map(\.events)), scopes: taken.flatMap(\.scopes)))
        }
        for shard in taken {
            var emptied = shard.events
            emptied.removeAll(keepingCapacity: true)
            shards[shard.shard].withLock { contents in
                if contents.spare.capacity < emptied.capacity { swap(&contents.spare, &emptied) }
            }
        }
    }

    func drainLoop() {
        Thread.current.threadDictionary[Self.drainThreadKey] = ObjectIdentifier(self)
        var idlePolls = 0
        while true {
            control.lock()
            passesStarted += 1
            control.unlock()

            let batch = takeAll()
            if !batch.isEmpty { deliverTaken(batch) }

            control.lock()
            passesCompleted += 1
            control.broadcast()  // flush waiters
            if batch.isEmpty && closing.load(ordering: .sequentiallyConsistent) {
                // Closed and drained: take nothing more.
                finished = true
                control.broadcast()
                control.unlock()
                return
            }
            if !batch.isEmpty || wakeRequested {
                wakeRequested = false
                idlePolls = 0
                control.unlock()
                continue
            }
            if idlePolls < Self.idlePollsBeforeSleep {
                idlePolls += 1
                _ = control.wait(until: Date(timeIntervalSinceNow: Self.pollInterval))
                control.unlock()
                continue
            }
            // Quiet for a while: sleep until a producer or a flush wakes us.
            sleeping.store(true, ordering: .sequentiallyConsistent)
            control.unlock()
            let pending = (0..<Self.shardCount).contains { index in
                shards[index].withLock { $0.head < $0.entries.count }
            }
            control.lock()
            if !pending {
                while !wakeRequested && !closing.load(ordering: .sequentiallyConsistent) {
                    control.wait()
                }
            }
            sleeping.store(false, ordering: .sequentiallyConsistent)
            wakeRequested = false
            idlePolls = 0
            control.unlock()
        }
    }
}

import Foundation
import Synchronization

/// A bounded queue of events drained on a thread of its own.
///
/// Sinks that do I/O (a trace file, a socket, a terminal) put events in an
/// `EventQueue` and do their work in its `deliver` closure, so the
/// pipeline's tasks only pay for an append. The queue is sharded by the
/// event's worker lane, so concurrent workers never contend for a lock, and
/// under sustained load no producer makes a system call: the drain thread
/// polls every few milliseconds while events keep coming and only sleeps
/// after a quiet period, after which the next event wakes it.
///
/// The drain thread delivers batches sorted by timestamp. Events that are
/// causally ordered (a span's start before its children, its end after
/// them) are always delivered in that order.
///
/// Memory is bounded: at most `capacity` events wait at once (split evenly
/// between the 16 lane shards, at least one each). When the
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
        capacity: Int = 65_536,
        overflow: OverflowPolicy = .block,
        deliver: @escaping @Sendable ([Entry]) -> Void
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
        state.enqueue(Entry(event: event, context: context))
    }

    /// Waits until every event enqueued before this call has been delivered.
    public func flush() {
        state.flush()
    }

    /// The number of events discarded by ``OverflowPolicy/dropOldest``.
    public var droppedCount: Int { state.dropped }

    /// Delivers what is queued, then stops the drain thread. Later events are discarded.
    public func close() {
        state.close()
    }
}

/// One shard of a queue: the events of the lanes that map to it.
private final class Shard: @unchecked Sendable {
    // Guarded by `condition`.
    let condition = NSCondition()
    var entries: [EventQueue.Entry] = []
    var head = 0
    var dropped = 0
}

/// The queue's shared state, owned jointly by the queue and its drain thread.
private final class QueueState: @unchecked Sendable {
    static let shardCount = 16
    private let shards: [Shard] = (0..<QueueState.shardCount).map { _ in Shard() }
    private let shardCapacity: Int
    private let overflow: EventQueue.OverflowPolicy
    private let deliver: @Sendable ([EventQueue.Entry]) -> Void

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
    private static let pollInterval: TimeInterval = 0.002
    private static let idlePollsBeforeSleep = 50

    init(
        capacity: Int, overflow: EventQueue.OverflowPolicy,
        deliver: @escaping @Sendable ([EventQueue.Entry]) -> Void
    ) {
        self.shardCapacity = max(1, capacity / Self.shardCount)
        self.overflow = overflow
        self.deliver = deliver
    }

    var dropped: Int {
        shards.reduce(0) { total, shard in
            shard.condition.lock()
            defer { shard.condition.unlock() }
            return total + shard.dropped
        }
    }

    func enqueue(_ entry: EventQueue.Entry) {
        if closing.load(ordering: .relaxed) { return }
        let shard = shards[entry.event.lane & (Self.shardCount - 1)]
        shard.condition.lock()
        while shard.entries.count - shard.head >= shardCapacity {
            switch overflow {
            case .block:
                wake()
                shard.condition.wait()
                if closing.load(ordering: .relaxed) {
                    shard.condition.unlock()
                    return
                }
            case .dropOldest:
                shard.head += 1
                shard.dropped += 1
                if shard.head > 1024 && shard.head * 2 > shard.entries.count {
                    shard.entries.removeFirst(shard.head)
                    shard.head = 0
                }
            }
        }
        shard.entries.append(entry)
        shard.condition.unlock()
        if sleeping.load(ordering: .sequentiallyConsistent) { wake() }
    }

    private func wake() {
        control.lock()
        wakeRequested = true
        control.broadcast()
        control.unlock()
    }

    func flush() {
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
        for shard in shards {
            shard.condition.lock()
            shard.condition.broadcast()  // release blocked producers
            shard.condition.unlock()
        }
        control.lock()
        wakeRequested = true
        control.broadcast()
        while !finished { control.wait() }
        control.unlock()
    }

    /// Takes every waiting event, oldest first.
    private func takeAll() -> [EventQueue.Entry] {
        var batch: [EventQueue.Entry] = []
        var sources = 0
        for shard in shards {
            shard.condition.lock()
            if shard.head < shard.entries.count {
                batch.append(contentsOf: shard.entries[shard.head...])
                shard.entries.removeAll(keepingCapacity: true)
                shard.head = 0
                shard.condition.broadcast()  // room for blocked producers
                sources += 1
            }
            shard.condition.unlock()
        }
        if sources > 1 {
            // Each shard is in emission order; restore timestamp order across shards.
            batch.sort { $0.event.timestamp < $1.event.timestamp }
        }
        return batch
    }

    func drainLoop() {
        var idlePolls = 0
        while true {
            control.lock()
            passesStarted += 1
            control.unlock()

            let batch = takeAll()
            if !batch.isEmpty { deliver(batch) }

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
            let pending = shards.contains { shard in
                shard.condition.lock()
                defer { shard.condition.unlock() }
                return shard.head < shard.entries.count
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

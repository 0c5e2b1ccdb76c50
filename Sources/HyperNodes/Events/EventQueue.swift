import Foundation

/// A bounded queue of events drained on a thread of its own.
///
/// Sinks that do I/O (a trace file, a socket, a terminal) put events in an
/// `EventQueue` and do their work in its `deliver` closure, so the
/// pipeline's threads only pay for an append under a lock. Under sustained
/// load the producer never makes a system call: the drain thread polls every
/// few milliseconds while events keep coming and only goes to sleep after a
/// quiet period, after which the next event wakes it.
///
/// When the queue is full, ``OverflowPolicy/block`` makes the producer wait
/// (lossless, bounded memory) and ``OverflowPolicy/dropOldest`` discards the
/// oldest undelivered event and counts it in ``droppedCount``.
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
    ///   - capacity: The most events held at once.
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

    /// Appends an event; blocks only when the queue is full and the policy is ``OverflowPolicy/block``.
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

/// The queue's shared state, owned jointly by the queue and its drain thread.
private final class QueueState: @unchecked Sendable {
    // Every field below is guarded by `condition`.
    private let condition = NSCondition()
    private var buffer: [EventQueue.Entry] = []
    private var head = 0
    private let capacity: Int
    private let overflow: EventQueue.OverflowPolicy
    private let deliver: @Sendable ([EventQueue.Entry]) -> Void
    private var sleeping = false
    private var closed = false
    private var finished = false
    private var enqueued: UInt64 = 0
    private var delivered: UInt64 = 0
    private var droppedTotal = 0

    /// Polling interval while events keep coming, and quiet period before sleeping.
    private static let pollInterval: TimeInterval = 0.002
    private static let idlePollsBeforeSleep = 50

    init(
        capacity: Int, overflow: EventQueue.OverflowPolicy,
        deliver: @escaping @Sendable ([EventQueue.Entry]) -> Void
    ) {
        self.capacity = capacity
        self.overflow = overflow
        self.deliver = deliver
        buffer.reserveCapacity(min(capacity, 4096))
    }

    var dropped: Int {
        condition.lock()
        defer { condition.unlock() }
        return droppedTotal
    }

    func enqueue(_ entry: EventQueue.Entry) {
        condition.lock()
        defer { condition.unlock() }
        if closed { return }
        while buffer.count - head >= capacity {
            switch overflow {
            case .block:
                if sleeping {
                    sleeping = false
                }
                condition.broadcast()
                condition.wait()
                if closed { return }
            case .dropOldest:
                head += 1
                droppedTotal += 1
                delivered &+= 1
            }
        }
        buffer.append(entry)
        enqueued &+= 1
        if sleeping {
            sleeping = false
            condition.broadcast()
        }
    }

    func flush() {
        condition.lock()
        defer { condition.unlock() }
        let target = enqueued
        while delivered < target && !finished {
            sleeping = false
            condition.broadcast()
            condition.wait()
        }
    }

    func close() {
        condition.lock()
        closed = true
        sleeping = false
        condition.broadcast()
        while !finished {
            condition.wait()
        }
        condition.unlock()
    }

    func drainLoop() {
        var idlePolls = 0
        condition.lock()
        while true {
            if head < buffer.count {
                let batch = Array(buffer[head...])
                buffer.removeAll(keepingCapacity: true)
                head = 0
                condition.broadcast()  // room for blocked producers
                condition.unlock()
                deliver(batch)
                condition.lock()
                delivered &+= UInt64(batch.count)
                condition.broadcast()  // flush waiters
                idlePolls = 0
                continue
            }
            if closed { break }
            if idlePolls < Self.idlePollsBeforeSleep {
                idlePolls += 1
                _ = condition.wait(until: Date(timeIntervalSinceNow: Self.pollInterval))
            } else {
                sleeping = true
                while sleeping && !closed && head >= buffer.count {
                    condition.wait()
                }
                sleeping = false
                idlePolls = 0
            }
        }
        finished = true
        condition.broadcast()
        condition.unlock()
    }
}

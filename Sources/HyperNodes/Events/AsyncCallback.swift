/// Runs another callback on a thread of its own, through an ``EventQueue``.
///
/// Use it for callbacks that do I/O or heavy work: the pipeline only pays
/// for an append to the queue. Events reach the wrapped callback in order.
///
/// ```swift
/// let pipeline = try Pipeline(nodes: [...], callbacks: [AsyncCallback(MyFileLogger())])
/// ```
public final class AsyncCallback: PipelineCallback {
    /// The callback that receives the events.
    public let wrapped: any PipelineCallback
    private let queue: EventQueue

    /// Wraps `callback`, giving it a queue of `capacity` events.
    ///
    /// - Parameter overflow: ``EventQueue/OverflowPolicy/block`` (default)
    ///   never loses an event; ``EventQueue/OverflowPolicy/dropOldest`` never
    ///   makes the pipeline wait.
    public init(
        _ callback: any PipelineCallback, capacity: Int = 262_144,
        overflow: EventQueue.OverflowPolicy = .block
    ) {
        self.wrapped = callback
        self.queue = EventQueue(
            label: "hn.async-cb", capacity: capacity, overflow: overflow
        ) { [callback] batch in
            for entry in batch {
                callback.handle(entry.event, context: entry.context)
            }
        }
    }

    /// Whether the wrapped callback wants previews.
    public var wantsValuePreviews: Bool { wrapped.wantsValuePreviews }

    /// Queues the event for the wrapped callback.
    public func handle(_ event: PipelineEvent, context: CallbackContext) {
        queue.enqueue(event, context: context)
    }

    /// Waits until the wrapped callback has received every event queued so far.
    public func flush() { queue.flush() }

    /// The number of events dropped because the queue was full (with ``EventQueue/OverflowPolicy/dropOldest``).
    public var droppedCount: Int { queue.droppedCount }
}

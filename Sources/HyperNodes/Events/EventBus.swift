import Synchronization

/// Delivers the events of runs to callbacks, one event at a time and in order.
///
/// The bus stamps each event with its monotonic time while holding its lock,
/// so the order callbacks see is the order of the timestamps, across all the
/// tasks of a run. A pipeline creates its bus from its callbacks; a pipeline
/// without callbacks has no bus, and then the engine skips building events
/// altogether.
public final class EventBus: Sendable {
    /// The callbacks, in delivery order.
    public let callbacks: [any PipelineCallback]
    /// Whether any callback asked for value previews.
    public let wantsValuePreviews: Bool
    private let lock = Mutex(())

    /// Creates a bus delivering to `callbacks` in the given order.
    public init(callbacks: [any PipelineCallback]) {
        self.callbacks = callbacks
        self.wantsValuePreviews = callbacks.contains { $0.wantsValuePreviews }
    }

    /// Stamps `event` with the time elapsed since `origin` (and, for an end
    /// event, its duration since `startedAt`) and delivers it to every callback.
    ///
    /// - Returns: the timestamp given to the event.
    @discardableResult
    func emit(
        _ event: PipelineEvent, origin: UInt64, startedAt: UInt64? = nil, context: CallbackContext
    ) -> UInt64 {
        var event = event
        return lock.withLock { _ in
            let now = MonotonicClock.now()
            event.timestamp = now &- origin
            if let startedAt { event.duration = event.timestamp &- startedAt }
            for callback in callbacks {
                callback.handle(event, context: context)
            }
            return event.timestamp
        }
    }
}

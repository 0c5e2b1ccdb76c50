/// Delivers the events of runs to callbacks, in order.
///
/// Events are delivered on the task that emitted them, without a lock: the
/// hot path costs a clock read and one call per callback. Events of one task
/// arrive in emission order, and causality holds across tasks: a span's start
/// arrives before anything inside it, and its end after everything inside
/// it. Concurrent work (parallel nodes, map items) may call a callback from
/// several threads at once, so callbacks must be thread-safe (they are
/// `Sendable`); ``AsyncCallback`` serialises a callback onto a thread of its own.
///
/// A pipeline creates its bus from its callbacks; a pipeline without
/// callbacks has no bus, and then the engine skips building events altogether.
public final class EventBus: Sendable {
    /// The callbacks, in delivery order.
    public let callbacks: [any PipelineCallback]
    /// Whether any callback asked for value previews.
    public let wantsValuePreviews: Bool

    /// The callbacks in boxes that the bus keeps alive, so that delivery can
    /// borrow them without a reference count per event.
    private let boxes: [CallbackBox]
    private let unmanagedBoxes: [Unmanaged<CallbackBox>]

    /// Creates a bus delivering to `callbacks` in the given order.
    public init(callbacks: [any PipelineCallback]) {
        self.callbacks = callbacks
        self.wantsValuePreviews = callbacks.contains { $0.wantsValuePreviews }
        self.boxes = callbacks.map(CallbackBox.init)
        self.unmanagedBoxes = boxes.map { Unmanaged.passUnretained($0) }
    }

    /// Delivers `event` to every callback, in order, on the calling thread.
    @inline(__always)
    func deliver(_ event: PipelineEvent, context: CallbackContext) {
        for box in unmanagedBoxes {
            box._withUnsafeGuaranteedRef { $0.callback.handle(event, context: context) }
        }
    }
}

/// One callback, boxed so that the bus can hold it by an unretained reference.
private final class CallbackBox: Sendable {
    let callback: any PipelineCallback
    init(_ callback: any PipelineCallback) { self.callback = callback }
}

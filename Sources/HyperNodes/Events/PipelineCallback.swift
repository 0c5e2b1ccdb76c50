/// Observes a run through the thirteen hooks of the Python library.
///
/// Every hook receives the ``PipelineEvent`` it stands for and the
/// ``CallbackContext`` it happened in; all have no-op defaults, so a callback
/// implements only what it needs. Alternatively implement
/// ``handle(_:context:)`` to receive every event in one place.
///
/// Hooks run synchronously on the task that emitted the event, in emission
/// order for that task; a span's start always arrives before the events
/// inside it and its end after them. Concurrent nodes and map items call
/// hooks from several threads at once, so a callback must be thread-safe.
/// Keep hooks quick: a callback that does I/O should be wrapped in
/// ``AsyncCallback``, which runs it on a thread of its own, one event at a
/// time, in timestamp order.
///
/// ```swift
/// struct Printer: PipelineCallback {
///     func onNodeEnd(_ event: PipelineEvent, context: CallbackContext) {
///         print(context.hierarchyPath.joined(separator: " > "), event.name, event.duration ?? 0)
///     }
/// }
/// ```
public protocol PipelineCallback: Sendable {
    /// Whether events given to this callback should carry previews of node
    /// inputs and outputs in ``PipelineEvent/attributes``. Previews cost a
    /// `String(describing:)` per value, so the default is `false`.
    var wantsValuePreviews: Bool { get }

    /// Receives every event. The default implementation calls the matching hook.
    func handle(_ event: PipelineEvent, context: CallbackContext)

    /// A pipeline started (`on_pipeline_start`).
    func onPipelineStart(_ event: PipelineEvent, context: CallbackContext)
    /// A pipeline ended, with ``PipelineEvent/duration`` and status (`on_pipeline_end`).
    func onPipelineEnd(_ event: PipelineEvent, context: CallbackContext)
    /// A node started (`on_node_start`).
    func onNodeStart(_ event: PipelineEvent, context: CallbackContext)
    /// A node ended (`on_node_end`).
    func onNodeEnd(_ event: PipelineEvent, context: CallbackContext)
    /// A node was served from the cache (`on_node_cached`).
    func onNodeCached(_ event: PipelineEvent, context: CallbackContext)
    /// A node failed (`on_error`).
    func onError(_ event: PipelineEvent, context: CallbackContext)
    /// A nested pipeline started (`on_nested_pipeline_start`).
    func onNestedPipelineStart(_ event: PipelineEvent, context: CallbackContext)
    /// A nested pipeline ended (`on_nested_pipeline_end`).
    func onNestedPipelineEnd(_ event: PipelineEvent, context: CallbackContext)
    /// A map started, with ``PipelineEvent/itemCount`` (`on_map_start`).
    func onMapStart(_ event: PipelineEvent, context: CallbackContext)
    /// A map ended (`on_map_end`).
    func onMapEnd(_ event: PipelineEvent, context: CallbackContext)
    /// A map item started, with ``PipelineEvent/itemIndex`` (`on_map_item_start`).
    func onMapItemStart(_ event: PipelineEvent, context: CallbackContext)
    /// A map item ended (`on_map_item_end`).
    func onMapItemEnd(_ event: PipelineEvent, context: CallbackContext)
    /// A node of a map item was served from the cache (`on_map_item_cached`).
    func onMapItemCached(_ event: PipelineEvent, context: CallbackContext)
}

extension PipelineCallback {
    /// No previews by default.
    public var wantsValuePreviews: Bool { false }

    /// Dispatches `event` to the hook for its kind.
    public func handle(_ event: PipelineEvent, context: CallbackContext) {
        switch event.kind {
        case .pipelineStart: onPipelineStart(event, context: context)
        case .pipelineEnd: onPipelineEnd(event, context: context)
        case .nodeStart: onNodeStart(event, context: context)
        case .nodeEnd: onNodeEnd(event, context: context)
        case .nodeCached: onNodeCached(event, context: context)
        case .error: onError(event, context: context)
        case .nestedPipelineStart: onNestedPipelineStart(event, context: context)
        case .nestedPipelineEnd: onNestedPipelineEnd(event, context: context)
        case .mapStart: onMapStart(event, context: context)
        case .mapEnd: onMapEnd(event, context: context)
        case .mapItemStart: onMapItemStart(event, context: context)
        case .mapItemEnd: onMapItemEnd(event, context: context)
        case .mapItemCached: onMapItemCached(event, context: context)
        }
    }

    /// Does nothing.
    public func onPipelineStart(_ event: PipelineEvent, context: CallbackContext) {}
    /// Does nothing.
    public func onPipelineEnd(_ event: PipelineEvent, context: CallbackContext) {}
    /// Does nothing.
    public func onNodeStart(_ event: PipelineEvent, context: CallbackContext) {}
    /// Does nothing.
    public func onNodeEnd(_ event: PipelineEvent, context: CallbackContext) {}
    /// Does nothing.
    public func onNodeCached(_ event: PipelineEvent, context: CallbackContext) {}
    /// Does nothing.
    public func onError(_ event: PipelineEvent, context: CallbackContext) {}
    /// Does nothing.
    public func onNestedPipelineStart(_ event: PipelineEvent, context: CallbackContext) {}
    /// Does nothing.
    public func onNestedPipelineEnd(_ event: PipelineEvent, context: CallbackContext) {}
    /// Does nothing.
    public func onMapStart(_ event: PipelineEvent, context: CallbackContext) {}
    /// Does nothing.
    public func onMapEnd(_ event: PipelineEvent, context: CallbackContext) {}
    /// Does nothing.
    public func onMapItemStart(_ event: PipelineEvent, context: CallbackContext) {}
    /// Does nothing.
    public func onMapItemEnd(_ event: PipelineEvent, context: CallbackContext) {}
    /// Does nothing.
    public func onMapItemCached(_ event: PipelineEvent, context: CallbackContext) {}
}

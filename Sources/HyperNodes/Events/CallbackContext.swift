/// Where an event happened: the pipeline, its depth and its ancestors.
///
/// A context is cheap to copy (one reference) and immutable; callbacks may
/// keep it.
public struct CallbackContext: Sendable {
    let scope: Scope

    /// Nesting depth: 0 for the outermost pipeline, 1 for a pipeline nested in it, …
    public var depth: Int { scope.depth }
    /// Pipeline names from the outermost pipeline to the current one.
    public var hierarchyPath: [String] { scope.path }
    /// The name of the pipeline the event belongs to.
    public var currentPipelineID: String { scope.metadata.name }
    /// The name of the enclosing pipeline, or `nil` at depth 0.
    public var parentPipelineID: String? { scope.parent?.metadata.name }
    /// Metadata of the current pipeline, set before its start event and before a map over it starts.
    public var pipeline: PipelineMetadata { scope.metadata }
    /// The run this context belongs to.
    public var runID: UInt64 { scope.runID }
    /// When the run started, by the wall clock, in nanoseconds since
    /// 1970-01-01 UTC. Add an event's ``PipelineEvent/timestamp`` to place it
    /// in wall-clock time.
    public var runStartTime: UInt64 { scope.wallClockOrigin }
}

/// Static facts about a pipeline, available to callbacks.
public struct PipelineMetadata: Sendable, Hashable {
    /// The pipeline's name.
    public let name: String
    /// The pipeline's node names, in execution order.
    public let nodeIDs: [String]
    /// The number of nodes.
    public var totalNodes: Int { nodeIDs.count }
}

/// One level of pipeline nesting within a run. Owned by the engine; read through ``CallbackContext``.
final class Scope: Sendable {
    let runID: UInt64
    /// The monotonic clock reading at the start of the run: event timestamps
    /// are relative to it. Queues order events of different runs by it.
    let origin: UInt64
    /// The wall-clock time at the start of the run, in nanoseconds since 1970.
    let wallClockOrigin: UInt64
    let depth: Int
    let metadata: PipelineMetadata
    let parent: Scope?

    init(
        runID: UInt64, origin: UInt64 = 0, wallClockOrigin: UInt64 = 0, metadata: PipelineMetadata,
        parent: Scope?
    ) {
        self.runID = runID
        self.origin = origin
        self.wallClockOrigin = wallClockOrigin
        self.metadata = metadata
        self.parent = parent
        self.depth = parent.map { $0.depth + 1 } ?? 0
    }

    /// An identical scope in a separate object. Events hold a reference to
    /// their scope; concurrent workers each take a copy so that they never
    /// contend for one reference count.
    func copy() -> Scope {
        Scope(runID: runID, origin: origin, wallClockOrigin: wallClockOrigin, metadata: metadata, parent: parent)
    }

    /// Pipeline names from the outermost scope to this one.
    var path: [String] {
        var names: [String] = []
        names.reserveCapacity(depth + 1)
        var scope: Scope? = self
        while let current = scope {
            names.append(current.metadata.name)
            scope = current.parent
        }
        return names.reversed()
    }

    var context: CallbackContext { CallbackContext(scope: self) }
}

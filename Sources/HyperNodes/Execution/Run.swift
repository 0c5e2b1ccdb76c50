import Foundation
import Logging
import Synchronization

/// A map item being executed: its span, its map's span and its index.
struct ItemRef: Sendable {
    let span: SpanID
    let mapSpan: SpanID
    let index: Int
}

/// One top-level `run` or `map`: the state shared by everything it executes,
/// nested pipelines included.
final class Run: Sendable {
    let id: UInt64
    let origin: UInt64
    let wallClockOrigin: UInt64
    let bus: EventBus?
    let previews: Bool
    /// Applied to previews and error messages before they enter events.
    let scrubbing: SecretScrubbing
    let cache: (any CacheStore)?
    let maxConcurrency: Int
    let sequential: Bool
    let logger: Logger
    let graph: PipelineGraph?
    let lanes = LaneAllocator()
    private let spans = SpanAllocator()
    private let warningCounts = Mutex<[String: Int]>([:])

    init(
        bus: EventBus?, cache: (any CacheStore)?, maxConcurrency: Int, sequential: Bool,
        logger: Logger, graph: PipelineGraph?, scrubbing: SecretScrubbing = .default
    ) {
        self.id = RunID.next()
        self.bus = bus
        self.previews = bus?.wantsValuePreviews ?? false
        self.scrubbing = scrubbing
        self.cache = cache
        self.maxConcurrency = maxConcurrency
        self.sequential = sequential
        self.logger = logger
        self.graph = graph
        self.origin = bus == nil ? 0 : MonotonicClock.now()
        self.wallClockOrigin = bus == nil ? 0 : MonotonicClock.wallClock()
    }

    // MARK: Warnings

    /// Logs the first warning of each kind in this run; later ones are counted
    /// and summarised by ``finish()``, so a broken cache directory does not
    /// print one line per node and item.
    func warn(_ kind: String, _ message: @autoclosure () -> Logger.Message) {
        let first = warningCounts.withLock { counts in
            counts[kind, default: 0] += 1
            return counts[kind] == 1
        }
        if first { logger.warning(message()) }
    }

    /// Reports the warnings that were held back.
    func finish() {
        let counts = warningCounts.withLock { $0 }
        for (kind, count) in counts.sorted(by: { $0.key < $1.key }) where count > 1 {
            logger.warning("\(count - 1) more \(kind) in this run")
        }
    }

    // MARK: Events

    @inline(__always)
    func newSpan(lane: Int) -> SpanID {
        spans.next(lane: lane)
    }

    /// Builds an event stamped with the time since the run started (and, for
    /// an end event, its duration since `startedAt`) and delivers it.
    ///
    /// `instant` reuses the timestamp of an event emitted just before, with
    /// no node code, cache access or suspension in between (a node's end and
    /// the next node's start): one clock reading serves both.
    ///
    /// - Returns: the event's timestamp.
    @discardableResult
    @inline(__always)
    func emit(
        _ kind: EventKind, _ status: SpanStatus, span: SpanID, parent: SpanID?, name: String,
        scope: Scope, lane: Int, startedAt: UInt64? = nil, item: Int? = nil, count: Int? = nil,
        details: EventDetails? = nil, at instant: UInt64? = nil
    ) -> UInt64 {
        guard let bus else { return 0 }
        let timestamp = instant ?? (MonotonicClock.now() &- origin)
        let event = PipelineEvent(
            kind: kind, status: status, runID: id, spanID: span, parentSpanID: parent, name: name,
            timestamp: timestamp, duration: startedAt.map { timestamp &- $0 }, depth: scope.depth, lane: lane,
            itemIndex: item, itemCount: count, details: details)
        bus.deliver(event, context: CallbackContext(scope: scope))
        return timestamp
    }

    static func details(
        attributes: [String: String] = [:], error: ErrorInfo? = nil, graph: PipelineGraph? = nil
    ) -> EventDetails? {
        EventDetails.make(attributes: attributes, error: error, graph: graph)
    }

    static func status(of error: any Error) -> SpanStatus {
        isCancellation(error) ? .cancelled : .error
    }

    static func isCancellation(_ error: any Error) -> Bool {
        if error is CancellationError { return true }
        if let nodeError = error as? NodeError { return nodeError.underlying is CancellationError }
        return false
    }

    func previews(_ ports: [Port], _ slots: [Int], _ frame: Frame, prefix: String) -> [String: String] {
        var attributes: [String: String] = [:]
        for (port, slot) in zip(ports, slots) {
            if let value = frame[slot] {
                attributes[prefix + port.name] = scrubbing.scrub(Preview.of(value), key: port.name)
            }
        }
        return attributes
    }

    /// The error as events report it, its message scrubbed of secrets.
    func errorInfo(_ error: any Error) -> ErrorInfo {
        let info = ErrorInfo(error)
        guard scrubbing.isEnabled else { return info }
        return ErrorInfo(type: info.type, message: scrubbing.scrubText(info.message))
    }
}

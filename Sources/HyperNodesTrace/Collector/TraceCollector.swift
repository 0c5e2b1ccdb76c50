import HyperNodes

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Keeps the runs of the pipelines it is attached to in memory, as values:
/// spans, map and node statistics, the graph; the counterpart of a trace
/// file when the run's trace is wanted from code (a test, a script, a
/// server that runs pipelines on request).
///
/// ```swift
/// let collector = TraceCollector()
/// let pipeline = try Pipeline(nodes: [clean, count], callbacks: [collector])
/// _ = try await pipeline.run(inputs: ["text": "a b"])
/// let run = collector.lastRun!            // complete: run returned
/// print(run.run.status, run.run.spans.count)
/// try collector.write(to: "run.jsonl")    // for hypernodes summary/replay/export
/// ```
///
/// - **The same records as a trace file.** Events become the lines a
///   ``TraceRecorder`` writes (same writer), kept in memory; ``model`` reads
///   them back as `hypernodes summary` reads a file, and ``write(to:)``
///   writes them.
/// - **Cheap for the pipeline.** ``handle(_:context:)`` only queues the
///   event; encoding and bookkeeping happen on the collector's own thread.
///   Reading (``runs``, ``model``, …) first waits until every event received
///   so far is processed.
/// - **Bounded memory.** At most ``Options/maximumSpans`` spans are kept
///   over all runs: beyond it, closed map items go first (oldest first, with
///   everything inside them), then the oldest finished runs whole (the most
///   recent finished run stays whatever its size, and open spans always
///   stay). Items let go are still counted: ``CollectedRun/maps`` covers every
///   item, ``CollectedRun/aggregatedItems`` says how many went, and the
///   model's map counts stay true (from the maps' progress records).
public final class TraceCollector: PipelineCallback, Sendable {
    /// What the collector keeps and how.
    public struct Options: Sendable {
        /// The most spans kept over all runs together; map items and what is
        /// inside them go first, then the oldest finished runs. Default 100,000
        /// (about 30 MB of trace lines at most).
        public var maximumSpans = 100_000
        /// Whether inputs and outputs are kept as truncated previews
        /// (attributes `input.NAME` and `output.NAME`), as with
        /// ``TraceRecorder/Options/valuePreviews``. Default `false`.
        public var valuePreviews = false
        /// The least run time between two progress records of one map, as
        /// with ``TraceRecorder/Options/progressInterval``. Default 100 ms.
        public var progressInterval: Duration = .milliseconds(100)

        /// The default options.
        public init() {}
    }

    /// The options the collector was created with.
    public let options: Options
    private let store: CollectorStore
    private let queue: EventQueue

    /// Creates a collector and starts its thread.
    public init(options: Options = Options()) {
        self.options = options
        var limits = LiveRetention.Limits()
        limits.spans = .max
        limits.items = .max
        limits.runs = .max
        limits.totalSpans = max(1, options.maximumSpans)
        let store = CollectorStore(limits: limits)
        self.store = store
        var writerOptions = TraceLineWriter.Options()
        let interval = options.progressInterval.components
        writerOptions.progressInterval =
            UInt64(max(0, interval.seconds)) * 1_000_000_000
            + UInt64(max(0, interval.attoseconds / 1_000_000_000))
        let encoder = DrainThreadOwned(CollectorEncoder(writer: TraceLineWriter(options: writerOptions)))
        queue = EventQueue(label: "hn.collect", capacity: 65_536, overflow: .block) { batch in
            encoder.withValue { $0.deliver(batch, to: store) }
        }
    }

    deinit {
        queue.close()
    }

    /// Whether events carry input and output previews.
    public var wantsValuePreviews: Bool { options.valuePreviews }

    /// Queues the event for the collector's thread.
    public func handle(_ event: PipelineEvent, context: CallbackContext) {
        queue.enqueue(event, context: context)
    }

    /// Waits until every event received so far is processed. Reading
    /// (``runs``, ``lastRun``, ``model``, ``write(to:)``) does this itself.
    public func flush() {
        queue.flush()
    }

    /// Every run kept since the start or the last ``clear()``, in start order.
    /// Waits until every event received so far is processed, so after `run`
    /// or `map` returns, its run is complete here.
    public var runs: [CollectedRun] {
        queue.flush()
        return Self.collected(store.snapshot())
    }

    /// The most recently started run kept, if any (waits as ``runs`` does).
    public var lastRun: CollectedRun? {
        queue.flush()
        return Self.collected(store.snapshot(lastOnly: true)).last
    }

    /// The kept runs as the CLI reads them from a trace file (the records
    /// ``write(to:)`` writes, through ``TraceReader`` and ``TraceModel``).
    public var model: TraceModel {
        queue.flush()
        return Self.model(of: store.snapshot().bytes)
    }

    /// Forgets every run kept so far, and the events received before. A run
    /// still open is dropped as a whole: its later events are not kept
    /// (runs that start afterwards are).
    public func clear() {
        queue.flush()
        store.clear()
    }

    /// Writes the kept runs as a trace file: exactly the lines a
    /// ``TraceRecorder`` writes, readable by `hypernodes replay`, `summary`
    /// and `export`. The file is written next to `path` under a temporary
    /// name and then renamed, so `path` holds either its old content or the
    /// whole new trace.
    ///
    /// - Throws: ``TraceCollectorError`` naming the path and the reason (a
    ///   missing directory, no permission, a full disk, no run collected).
    public func write(to path: String) throws {
        queue.flush()
        let bytes = store.snapshot().bytes
        guard !bytes.isEmpty else { throw TraceCollectorError.noRuns(path: path) }
        try Self.writeAtomically(bytes, to: path)
    }

    private static func model(of bytes: [UInt8]) -> TraceModel {
        guard !bytes.isEmpty else { return TraceModel(runs: []) }
        do {
            return TraceModel(reader: try TraceReader(bytes: bytes, name: "<collector>"))
        } catch {
            // The lines are the recorder's writer's own, so this does not happen; if it
            // did, the model says so rather than the program stopping.
            return TraceModel(runs: [], problems: [TraceProblem(line: 1, reason: "\(error)")])
        }
    }

    private static func collected(
        _ snapshot: (bytes: [UInt8], runs: [CollectorStore.RunSnapshot])
    ) -> [CollectedRun] {
        let model = model(of: snapshot.bytes)
        let statistics = Dictionary(snapshot.runs.map { ($0.runID, $0) }, uniquingKeysWith: { first, _ in first })
        return model.runs.map { run in
            let kept = run.spans.reduce(0) { $0 + ($1.kind == .mapItem ? 1 : 0) }
            let snapshot = statistics[run.runID]
            return CollectedRun(
                run: run, aggregatedItems: max(0, (snapshot?.itemsStarted ?? kept) - kept),
                maps: snapshot?.maps ?? [])
        }
    }

    private static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        func failure() -> TraceCollectorError {
            .cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        var template = Array((path + ".tmp-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw failure() }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes {
                posixWrite(descriptor, $0.baseAddress! + written, bytes.count - written)
            }
            if count < 0 {
                if errno == EINTR { continue }
                let error = failure()
                posixClose(descriptor)
                unlink(temporary)
                throw error
            }
            written += count
        }
        fchmod(descriptor, 0o644)
        if fsync(descriptor) != 0 {
            let error = failure()
            posixClose(descriptor)
            unlink(temporary)
            throw error
        }
        posixClose(descriptor)
        if rename(temporary, path) != 0 {
            let error = failure()
            unlink(temporary)
            throw error
        }
    }
}

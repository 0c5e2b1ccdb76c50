import HyperNodes
import Logging

/// Records every event of the pipelines it is attached to in a trace file
/// (JSON Lines, see `docs/trace-format.md`), for `hypernodes summary`,
/// `replay` and `export`.
///
/// ```swift
/// let recorder = try TraceRecorder(path: "run.jsonl")
/// let pipeline = try Pipeline(nodes: [clean, count], callbacks: [recorder])
/// _ = try await pipeline.run(inputs: ["text": "a b"])  // run.jsonl is complete here
/// ```
///
/// - **Lossless and bounded.** Events wait in a queue of at most
///   ``Options/capacity`` events; when the disk is slower than the pipeline,
///   the pipeline waits for room rather than dropping events or growing
///   memory without bound. Encoding and writing happen on the recorder's own
///   thread.
/// - **Always a valid file.** Only whole lines are written, in event order,
///   each batch as soon as the recorder's thread has encoded it (within about a
///   millisecond under load), so `tail -f` follows the run live and a crash or
///   `kill -9` leaves a readable trace of everything before it.
/// - **Flushed when it matters.** When a run ends, the event that ends it
///   waits until the whole run is in the file, so the trace is complete when
///   `run` or `map` returns. On SIGINT and SIGTERM the recorder writes what is
///   queued and then lets the signal end the process as it would have.
/// - **Errors reported once.** A write error (disk full, a removed
///   directory) is logged once with the path, cuts the file back to its last
///   complete line and stops the recording; the pipeline's result is not
///   affected. ``error`` returns it.
public final class TraceRecorder: PipelineCallback {
    /// What the recorder writes and how.
    public struct Options: Sendable {
        /// Whether the spans of individual map items, and everything inside
        /// them, are written. Turn off for maps of millions of items: the
        /// map's progress ticks and end are still written. Default `true`.
        public var itemSpans = true
        /// The least run time between two progress ticks of one map. Default 100 ms.
        public var progressInterval: Duration = .milliseconds(100)
        /// Whether the event that ends a run waits until the run is written.
        /// Default `true`; turn off when many tiny runs follow each other and
        /// per-run completeness is not needed (call ``flush()`` instead).
        public var flushAtRunEnd = true
        /// Whether SIGINT and SIGTERM flush the recorder before ending the
        /// process. Default `true`. A signal the program already handles or
        /// ignores when the first recorder starts is left alone: its handler
        /// runs as before and should call ``flush()``.
        public var flushOnTerminationSignals = true
        /// Whether inputs and outputs are recorded as truncated previews
        /// (attributes `input.NAME` and `output.NAME`). Default `false`.
        public var valuePreviews = false
        /// The most events waiting to be written (96 bytes each, plus any
        /// attributes). Default 65,536, about 6 MiB.
        public var capacity = 65_536

        /// The default options.
        public init() {}
    }

    /// The trace file's path.
    public let path: String
    /// The options the recorder was created with.
    public let options: Options
    private let file: TraceFile
    private let queue: EventQueue

    /// Creates the trace file at `path` (replacing an existing file) and
    /// starts the recorder's thread.
    ///
    /// - Throws: ``TraceRecorderError/cannotCreate(path:reason:)`` when the
    ///   file cannot be created (missing directory, no permission, …).
    public init(
        path: String, options: Options = Options(), logger: Logger = Logger(label: "hypernodes.trace")
    ) throws {
        self.path = path
        self.options = options
        let file = try TraceFile(path: path, logger: logger)
        self.file = file
        var writerOptions = TraceLineWriter.Options()
        writerOptions.itemSpans = options.itemSpans
        let interval = options.progressInterval.components
        writerOptions.progressInterval =
            UInt64(max(0, interval.seconds)) * 1_000_000_000
            + UInt64(max(0, interval.attoseconds / 1_000_000_000))
        let writer = DrainThreadOwned(TraceLineWriter(options: writerOptions))
        queue = EventQueue(label: "hn.trace", capacity: options.capacity, overflow: .block) { batch in
            writer.withValue { writer in
                var buffer = JSONBuffer(capacity: 64 * 1024)
                for entry in batch {
                    writer.append(entry.event, context: entry.context, to: &buffer)
                    if buffer.count >= 1 << 20 {
                        buffer.withUnsafeBytes { file.write($0) }
                        buffer.removeAll()
                    }
                }
                buffer.withUnsafeBytes { file.write($0) }
            }
        }
        if options.flushOnTerminationSignals { TerminationFlush.register(self) }
    }

    deinit {
        TerminationFlush.unregister(self)
        queue.close()
        file.close()
    }

    /// Whether events carry input and output previews.
    public var wantsValuePreviews: Bool { options.valuePreviews }

    /// Queues the event for writing.
    public func handle(_ event: PipelineEvent, context: CallbackContext) {
        queue.enqueue(event, context: context)
        if options.flushAtRunEnd && event.parentSpanID == nil && event.kind.closesSpan {
            queue.flush()
        }
    }

    /// Waits until every event received so far is written to the file.
    public func flush() {
        queue.flush()
    }

    /// Writes what is queued and closes the file. Later events are not recorded.
    public func close() {
        TerminationFlush.unregister(self)
        queue.close()
        file.close()
    }

    /// The write error that stopped the recording, if any.
    public var error: TraceRecorderError? { file.error }
}

extension TraceRecorder: TerminationParticipant {
    func prepareForTermination() { flush() }
}

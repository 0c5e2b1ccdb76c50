import Foundation
import HyperNodes
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Shows the progress of runs as a live tree in the terminal, or as plain
/// lines when the output is not a terminal.
///
/// ```
/// demo                 ⠇ ███████████████▌░░░░░░░░░░  3/5 nodes  00:02
/// ├─ load_corpus       ✓ 5.0ms
/// ├─ build_vocabulary  ⚡ cached
/// └─ analyze [map]     ⠇ ███████████████████▉░░░░░░  46/60  76%  28 it/s  ETA 00:00
///    ├─ tokenize       ✓ 48  p50 88µs
///    └─ embed          ⠇ 2  ✓ 46  p50 69.6ms
/// ```
///
/// Add it to a pipeline's callbacks with any others. The pipeline only
/// pays for putting each event in a queue: the model is updated on the
/// queue's thread, and the tree is drawn on a thread of its own at most
/// ``ProgressOptions/refreshRate`` times a second, only when it changed.
/// When a run ends its tree is replaced by a summary (finished subtrees
/// folded to one line each) that stays on screen; when more than four runs
/// end between two redraws, the others are counted in one line.
///
/// Write lines while the tree is live with ``print(_:to:)`` (or log through
/// ``ProgressLogHandler``): they appear above the tree, never torn by it.
/// Call ``close()`` when done (before printing results) so that the final
/// summary is drawn.
public final class ProgressCallback: PipelineCallback, Sendable {
    /// The mode in use: ``ProgressMode/tty``, ``ProgressMode/plain`` or ``ProgressMode/off`` (never `auto`).
    public let mode: ProgressMode
    /// The glyphs and colour in use.
    public let style: ProgressStyle
    private let core: ProgressCore
    private let queue: EventQueue?

    /// Creates a progress display; in `tty` mode it starts its drawing thread.
    ///
    /// - Throws: ``ProgressConfigurationError`` for invalid options.
    public init(options: ProgressOptions = ProgressOptions()) throws {
        try options.validate()
        let device = TerminalDevice(descriptor: options.output.descriptor)
        let mode = options.resolvedMode(outputIsTerminal: device.isTerminal)
        let style = options.style(for: mode)
        self.mode = mode
        self.style = style
        let core = ProgressCore(options: options, mode: mode, style: style, device: device)
        self.core = core
        switch mode {
        case .off, .auto:
            queue = nil
        case .plain:
            queue = EventQueue(label: "hn.progress") { batch in core.deliverPlain(batch) }
        case .tty:
            queue = EventQueue(label: "hn.progress") { batch in core.deliverLive(batch) }
            core.startDrawing()
        }
    }

    /// Creates a progress display in `mode`, with the other options at their defaults.
    ///
    /// - Throws: ``ProgressConfigurationError`` for invalid options.
    public convenience init(mode: ProgressMode) throws {
        try self.init(options: ProgressOptions(mode: mode))
    }

    deinit {
        close()
    }

    /// Queues the event for the progress display.
    public func handle(_ event: PipelineEvent, context: CallbackContext) {
        queue?.enqueue(event, context: context)
    }

    /// Writes `line` to `output` (standard output by default) above the live
    /// tree: the tree is erased, the line written, and the tree drawn again
    /// below it, all at once. In plain mode, or when `output` is neither a
    /// terminal nor the progress stream, the line is simply written. A newline is added unless
    /// `line` ends with one.
    public func print(_ line: String, to output: ProgressOutput = .standardOutput) {
        core.write(line.hasSuffix("\n") ? line : line + "\n", to: TerminalDevice(descriptor: output.descriptor))
    }

    /// Waits until every event received so far is shown.
    public func flush() {
        queue?.flush()
        core.redrawNow()
    }

    /// Shows every event received so far (the final summaries of finished
    /// runs included) and stops. Later events are ignored. Safe to call more than once.
    public func close() {
        queue?.flush()
        core.stop()
        queue?.close()
    }

    /// A copy of the current model (for inspection and tests).
    public var model: ProgressModel { core.shared.withLock { $0.model } }
}

/// The state a ``ProgressCallback`` shares between its queue thread, its
/// drawing thread and callers of `print`.
final class ProgressCore: Sendable {
    let options: ProgressOptions
    let mode: ProgressMode
    let style: ProgressStyle
    let device: TerminalDevice

    /// What the queue thread produces and the drawing thread consumes.
    struct Shared: Sendable {
        var model = ProgressModel()
        /// Permanent lines waiting to be written above the tree (summaries of finished runs).
        var above: [String] = []
        var summariesInWindow = 0
        var foldedRuns = 0
        var foldedFailures = 0
        var plain: PlainProgressPrinter
    }

    let shared: Mutex<Shared>
    /// The frame on screen. Held only while writing to the terminal.
    private let terminal = Mutex(FrameWriter())
    /// Serialises plain writes.
    private let outputLock = Mutex(())
    /// The terminal width last seen by the drawing thread.
    private let columns = Atomic<Int>(80)

    // Drawing thread control, guarded by `control`.
    private let control = NSCondition()
    nonisolated(unsafe) private var requested = false
    nonisolated(unsafe) private var stopping = false
    nonisolated(unsafe) private var running = false
    nonisolated(unsafe) private var finished = false
    nonisolated(unsafe) private var passesStarted = 0
    nonisolated(unsafe) private var passesCompleted = 0

    /// Summaries drawn in full per redraw; further finished runs are counted in one line.
    static let summariesPerRedraw = 4

    init(options: ProgressOptions, mode: ProgressMode, style: ProgressStyle, device: TerminalDevice) {
        self.options = options
        self.mode = mode
        self.style = style
        self.device = device
        self.shared = Mutex(
            Shared(plain: PlainProgressPrinter(interval: options.plainInterval, ascii: style.ascii)))
        if let size = options.size ?? device.size() { columns.store(size.columns, ordering: .relaxed) }
    }

    static func wallClock() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    // MARK: Queue thread

    func deliverLive(_ batch: EventQueue.Batch) {
        let width = max(1, columns.load(ordering: .relaxed) - 1)
        shared.withLock { state in
            // Runs that start and end within this batch are never on screen;
            // once this redraw's summaries are used up they are only counted,
            // so their trees are not built at all (many short runs cost little).
            var skipped = Set<UInt64>()
            var lastRun: UInt64?
            var skipping = false
            for index in batch.indices {
                let entry = batch[index]
                let event = entry.event
                if event.parentSpanID == nil && (event.kind == .pipelineStart || event.kind == .mapStart)
                    && state.summariesInWindow >= Self.summariesPerRedraw
                    && Self.endsWithin(batch, run: event.runID, after: index)
                {
                    skipped.insert(event.runID)
                    lastRun = nil
                }
                if event.runID != lastRun {
                    lastRun = event.runID
                    skipping = !skipped.isEmpty && skipped.contains(event.runID)
                }
                if skipping {
                    if event.parentSpanID == nil && (event.kind == .pipelineEnd || event.kind == .mapEnd) {
                        state.foldedRuns += 1
                        if event.status == .error { state.foldedFailures += 1 }
                        skipped.remove(event.runID)
                        lastRun = nil
                    }
                    continue
                }
                let change = state.model.apply(event, context: ProgressEventContext(entry.context, for: event))
                guard case .finished(let id) = change, state.model.isRoot(id), let row = state.model[id] else {
                    continue
                }
                if state.summariesInWindow < Self.summariesPerRedraw {
                    state.above += ProgressRenderer.summary(
                        state.model, root: id, width: width, now: row.end ?? 0, style: style)
                    state.summariesInWindow += 1
                } else {
                    state.foldedRuns += 1
                    if row.status == .error { state.foldedFailures += 1 }
                }
                state.model.remove(roots: [id])
            }
        }
    }

    /// Whether the run `run`, which starts at `start` in `batch`, also ends in
    /// it, looking at most 4,096 events ahead.
    private static func endsWithin(_ batch: EventQueue.Batch, run: UInt64, after start: Int) -> Bool {
        var index = start + 1
        let limit = min(batch.endIndex, start + 4096)
        while index < limit {
            let event = batch[index].event
            if event.runID == run && event.parentSpanID == nil && (event.kind == .pipelineEnd || event.kind == .mapEnd)
            {
                return true
            }
            index += 1
        }
        return false
    }

    func deliverPlain(_ batch: EventQueue.Batch) {
        var out = ""
        shared.withLock { state in
            for entry in batch {
                let context = ProgressEventContext(entry.context, for: entry.event)
                let change = state.model.apply(entry.event, context: context)
                let now = context.runStartTime &+ entry.event.timestamp
                for line in state.plain.lines(for: change, in: state.model, now: now) { out += line + "\n" }
                if case .finished(let id) = change, state.model.isRoot(id) {
                    state.model.remove(roots: [id])
                }
            }
        }
        guard !out.isEmpty else { return }
        fflush(nil)  // what the program printed before these events comes first
        outputLock.withLock { _ in device.write(out) }
    }

    // MARK: Drawing thread

    func startDrawing() {
        control.lock()
        running = true
        control.unlock()
        let thread = Thread { [self] in drawLoop() }
        thread.name = "hn.progress.draw"
        thread.start()
    }

    private func drawLoop() {
        let interval = 1 / options.refreshRate
        while true {
            control.lock()
            if !requested && !stopping {
                _ = control.wait(until: Date(timeIntervalSinceNow: interval))
            }
            passesStarted += 1
            requested = false
            let last = stopping
            control.unlock()

            redraw(final: last)

            control.lock()
            passesCompleted += 1
            if last { finished = true }
            control.broadcast()
            control.unlock()
            if last { return }
        }
    }

    /// Draws the current state once.
    private func redraw(final: Bool) {
        let size = options.size ?? device.size() ?? options.fallbackSize
        columns.store(size.columns, ordering: .relaxed)
        let (model, above) = shared.withLock { state -> (ProgressModel, [String]) in
            var above = state.above
            if state.foldedRuns > 0 {
                let failures = state.foldedFailures > 0 ? ", \(state.foldedFailures) failed" : ""
                let text = StyledText(
                    "\(style.ellipsis) \(state.foldedRuns) more runs finished\(failures)", .dim)
                above.append(text.rendered(color: style.color))
            }
            state.above = []
            state.summariesInWindow = 0
            state.foldedRuns = 0
            state.foldedFailures = 0
            return (state.model, above)
        }
        let width = TerminalSize(columns: max(1, size.columns - 1), rows: size.rows)
        let frame = ProgressRenderer.frame(
            model, roots: model.roots, size: width, now: Self.wallClock(), style: style)
        terminal.withLock { writer in
            device.write(writer.update(frame, above: above, columns: size.columns))
            if final { writer.release() }
        }
    }

    /// Draws now (on the drawing thread) and waits for it.
    func redrawNow() {
        control.lock()
        defer { control.unlock() }
        guard running, !finished else { return }
        let target = passesStarted + 1
        requested = true
        control.broadcast()
        while passesCompleted < target && !finished { control.wait() }
    }

    /// Draws a last time, leaves the tree on screen and ends the drawing thread.
    func stop() {
        control.lock()
        defer { control.unlock() }
        guard running else { return }
        stopping = true
        control.broadcast()
        while !finished { control.wait() }
    }

    // MARK: Printing

    /// Writes `text` above the live tree, or directly when there is none.
    func write(_ text: String, to target: TerminalDevice) {
        // The progress stream itself, or another terminal (standard output
        // beside progress on standard error): the tree makes room first.
        let live = mode == .tty && (target.descriptor == device.descriptor || target.isTerminal) && isDrawing
        guard live else {
            if target.descriptor == 1 { fflush(nil) }
            outputLock.withLock { _ in target.write(text) }
            return
        }
        fflush(nil)
        terminal.withLock { writer in
            let frame = writer.lines
            let columns = device.size()?.columns ?? writer.columns
            if target.descriptor == device.descriptor {
                device.write(writer.erase(columns: columns) + text + writer.draw(frame, columns: columns))
            } else {
                device.write(writer.erase(columns: columns))
                target.write(text)
                device.write(writer.draw(frame, columns: columns))
            }
        }
    }

    private var isDrawing: Bool {
        control.lock()
        defer { control.unlock() }
        return running && !finished
    }
}

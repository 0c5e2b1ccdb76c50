import Foundation
import HyperNodesTrace
import Synchronization

/// Reads a trace file on a thread of its own into a ``RecordMailbox``, as fast as the monitor takes
/// the records: the reading thread waits while 65,536 records are waiting, so that one take (one
/// frame's worth of model updates, about 25 ms) stays small while a large file loads.
///
/// The header is read by ``init(path:)``, so a missing, unreadable or non-trace file fails with the
/// reader's message before any screen opens. Lines that cannot be read become
/// ``MailboxBatch/problems`` (a last line cut off by an interrupted recording among them) and
/// reading carries on. ``cancel()`` stops the thread within one record.
public final class TraceFileSource: Sendable {
    /// The file's path, as given.
    public let path: String
    /// The file's first header.
    public let header: TraceHeader
    /// Where the records go.
    public let mailbox: RecordMailbox

    /// Records per post to the mailbox.
    static let batchSize = 4096
    /// The number of waiting records beyond which the reading thread waits for the monitor.
    let backlog: Int

    private let reader: Mutex<TraceReader?>
    private let cancelled = Atomic<Bool>(false)
    private let running = Atomic<Bool>(false)

    /// Opens the trace at `path` and reads its header.
    ///
    /// - Throws: ``TraceReadError`` when the file cannot be opened or read, is not a trace, or was
    ///   written by a newer major version of the format.
    public convenience init(path: String) throws(TraceReadError) {
        try self.init(path: path, backlog: 1 << 16)
    }

    /// Opens the trace at `path`; the reading thread waits while `backlog` records are waiting.
    init(path: String, backlog: Int) throws(TraceReadError) {
        self.backlog = max(1, backlog)
        let reader: TraceReader
        do {
            reader = try TraceReader(path: path)
        } catch let error as TraceReadError {
            throw error
        } catch {
            throw TraceReadError.cannotOpen(path: path, reason: String(describing: error))
        }
        self.path = path
        self.header = reader.header
        self.mailbox = RecordMailbox()
        self.reader = Mutex(reader)
    }

    /// Starts reading on a thread of its own. Later calls do nothing.
    public func start() {
        guard
            let reader = reader.withLock({ (held: inout TraceReader?) -> TraceReader? in
                let taken = held
                held = nil
                return taken
            })
        else { return }
        running.store(true, ordering: .releasing)
        let box = ReaderBox(reader)
        let thread = Thread { [self] in
            Thread.current.name = "hn.trace-read"
            read(box.reader)
            running.store(false, ordering: .releasing)
        }
        thread.start()
    }

    /// Stops reading as soon as possible; the mailbox then reports the source as failed with
    /// "cancelled" (unless it had already finished).
    public func cancel() {
        cancelled.store(true, ordering: .releasing)
        if reader.withLock({ $0 != nil }) {
            reader.withLock { $0 = nil }
            mailbox.finish(.failed("cancelled"))
        }
    }

    /// Whether the reading thread is still running.
    public var isReading: Bool { running.load(ordering: .acquiring) }

    private var isCancelled: Bool { cancelled.load(ordering: .acquiring) }

    private func read(_ reader: TraceReader) {
        var batch: [TraceRecord] = [.header(reader.header)]
        batch.reserveCapacity(Self.batchSize)
        var lastProblem: TraceProblem?
        while !isCancelled, let element = reader.next() {
            switch element {
            case .record(let record, _):
                batch.append(record)
                if batch.count >= Self.batchSize {
                    deliver(&batch)
                }
            case .problem(let problem):
                deliver(&batch)
                mailbox.post(problem: problem)
                lastProblem = problem
            }
        }
        if isCancelled {
            mailbox.finish(.failed("cancelled"))
            return
        }
        deliver(&batch)
        if let lastProblem, lastProblem.reason.hasPrefix("read failed") {
            mailbox.finish(.failed("cannot read trace '\(path)': \(lastProblem.reason)"))
        } else {
            mailbox.finish(.completed)
        }
    }

    /// Posts `batch`, first waiting while the monitor has a large backlog.
    private func deliver(_ batch: inout [TraceRecord]) {
        guard !batch.isEmpty else { return }
        while mailbox.pendingCount >= backlog && !isCancelled {
            usleep(1_000)
        }
        mailbox.post(batch)
        batch.removeAll(keepingCapacity: true)
    }
}

/// Hands a reader (not `Sendable`) to the one thread that uses it from then on.
private final class ReaderBox: @unchecked Sendable {
    let reader: TraceReader
    init(_ reader: TraceReader) { self.reader = reader }
}

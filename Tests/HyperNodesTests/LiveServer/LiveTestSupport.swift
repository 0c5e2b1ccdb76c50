import Foundation
import HyperNodes
import Synchronization
import Testing

@testable import HyperNodesTrace

#if canImport(Glibc)
    import Glibc
#endif

/// A fresh private directory with a short path (`/tmp/hn-XXXXXX`, mode 0700),
/// so socket paths stay far below the `sun_path` limit; removed when released.
final class ShortDirectory: Sendable {
    let path: String

    init() {
        var template = Array("/tmp/hn-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed: \(String(cString: strerror(errno)))")
        path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        chmod(path, 0o700)
    }

    var directory: LiveDirectory { LiveDirectory(path: path) }

    func file(_ name: String) -> String { path + "/" + name }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Server options for tests: the socket in `directory`, no signal handlers.
func liveOptions(_ directory: ShortDirectory) -> LiveServer.Options {
    var options = LiveServer.Options()
    options.directory = directory.directory
    options.removeOnTerminationSignals = false
    return options
}

/// Collects what a stream delivers; waits happen on a thread of their own.
final class StreamCollector: Sendable {
    private struct State {
        var messages: [LiveMessage] = []
        var closed = false
        var closeError: LiveConnectionError?
    }

    private let state = Mutex(State())
    private let closedSignal = DispatchSemaphore(value: 0)

    func onMessage(_ message: LiveMessage) {
        state.withLock { $0.messages.append(message) }
    }

    func onClose(_ error: LiveConnectionError?) {
        state.withLock {
            $0.closed = true
            $0.closeError = error
        }
        closedSignal.signal()
    }

    var messages: [LiveMessage] { state.withLock { $0.messages } }
    var records: [TraceRecord] { messages.compactMap { if case .record(let record) = $0 { record } else { nil } } }
    var dropped: Int { messages.reduce(0) { if case .dropped(let count) = $1 { $0 + count } else { $0 } } }
    var sawEnd: Bool { messages.contains { if case .end = $0 { true } else { false } } }
    var closeError: LiveConnectionError? { state.withLock { $0.closeError } }
    var isClosed: Bool { state.withLock { $0.closed } }

    /// Starts streaming from `path` into this collector.
    static func stream(_ path: String, record: String? = nil) throws -> (LiveConnection, StreamCollector) {
        let collector = StreamCollector()
        let connection = try LiveConnection.connect(path: path)
        try connection.stream(record: record, onMessage: collector.onMessage, onClose: collector.onClose)
        return (connection, collector)
    }

    /// Waits (on a thread of its own) until the stream closed; false after `seconds`.
    func waitClosed(seconds: Double = 20) async throws -> Bool {
        let signal = closedSignal
        let closed = try await onOwnThread { signal.wait(timeout: .now() + seconds) == .success }
        if closed { closedSignal.signal() }  // later waits return at once
        return closed
    }

    /// Waits (on a thread of its own) until `condition` holds for the messages; false after `seconds`.
    func wait(seconds: Double = 20, until condition: @escaping @Sendable ([LiveMessage]) -> Bool) async throws -> Bool {
        try await onOwnThread { [self] in
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if condition(messages) { return true }
                usleep(2000)
            }
            return condition(messages)
        }
    }
}

/// Whether `messages` hold the run end of every run they started.
func allRunsEnded(_ messages: [LiveMessage]) -> Bool {
    var started = Set<UInt64>()
    var ended = Set<UInt64>()
    for case .record(let record) in messages {
        if case .header(let header) = record { started.insert(header.runID) }
        if case .runEnd(let end) = record { ended.insert(end.runID) }
    }
    return !started.isEmpty && started == ended
}

/// A model compared independently of record order and of how many progress
/// ticks were seen: every span (by id) and each run's header, latest map
/// progress, end, totals and issues.
func canonical(_ records: [TraceRecord]) -> [String] {
    let model = TraceModel(records: records)
    var lines: [String] = []
    for run in model.runs.sorted(by: { $0.runID < $1.runID }) {
        lines.append("run \(run.runID) \(run.header?.pipeline ?? "-") end \(String(describing: run.end))")
        lines.append("totals \(run.totals)")
        for issue in run.issues { lines.append("issue \(issue)") }
        for span in run.spans.sorted(by: { $0.id.rawValue < $1.id.rawValue }) {
            let parent = span.parent.map { String(run.spans[$0].id.rawValue) } ?? "-"
            lines.append(
                "span \(span.id) parent \(parent) \(span.kind) \(span.name) \(span.start)-\(span.end) "
                    + "\(span.status) cached \(span.isCached) finished \(span.isFinished) item \(span.itemIndex ?? -1) "
                    + "items \(span.itemCount ?? -1) hits \(span.cacheHits) error \(String(describing: span.error))")
        }
        for (map, progress) in run.progress.sorted(by: { $0.key < $1.key }) {
            lines.append("progress \(run.spans[map].id) \(progress.done)/\(progress.total) failed \(progress.failed)")
        }
    }
    return lines
}

/// Reads a trace file, failing the test on any problem.
func readTrace(_ path: String) throws -> [TraceRecord] {
    let (records, problems) = try TraceReader(path: path).readAll()
    #expect(problems.isEmpty, "problems: \(problems)")
    return records
}

struct LiveTestFailure: Error {}

/// Whether the server lists its first run as finished within 10 s (asked with status requests on a
/// thread of its own): the server has taken the whole run in.
func firstRunFinished(on server: LiveServer) async throws -> Bool {
    let path = server.socketPath
    return try await onOwnThread {
        for _ in 0..<2000 {
            if let status = try? LiveConnection.connect(path: path).status(), status.runs.first?.finished == true {
                return true
            }
            usleep(5000)
        }
        return false
    }
}

/// Holds a run at one value until the test lets it go, without blocking a thread of the
/// concurrency pool (the node suspends in `Task.sleep`).
final class Gate: Sendable {
    let value: Int
    private let state = Mutex((reached: false, released: false))

    init(at value: Int) { self.value = value }

    /// Called by the node for each value: waits at the gate's value until released (at most 120 s).
    func pass(_ x: Int) async {
        guard x == value else { return }
        state.withLock { $0.reached = true }
        for _ in 0..<60_000 where !state.withLock({ $0.released }) {
            try? await Task.sleep(for: .milliseconds(2))
        }
    }

    func release() { state.withLock { $0.released = true } }

    /// Waits (on a thread of its own) until the run reached the gate, at most 120 s: the run is a
    /// task on the test pool, which other suites' heavy maps can keep busy for tens of seconds.
    func waitReached() async throws -> Bool {
        try await onOwnThread { [self] in
            for _ in 0..<60_000 {
                if state.withLock({ $0.reached }) { return true }
                usleep(2000)
            }
            return false
        }
    }
}

/// `outer` maps `inner` (`double → add_one`, `double` waiting at an optional gate) over lists of
/// values, sequentially.
func nestedMapPipeline(gate: Gate? = nil) throws -> Pipeline {
    let double = Node("double", inputs: "x", output: "doubled") { (x: Int) async in
        await gate?.pass(x)
        return x * 2
    }
    let addOne = Node("add_one", inputs: "doubled", output: "result") { (d: Int) in d + 1 }
    let inner = try Pipeline(nodes: [double, addOne], name: "inner")
    let perValue = try inner.asNode(name: "per_value", mapOver: ["x"])
    let total = Node("total", inputs: "result", output: "total") { (results: [Int]) in results.reduce(0, +) }
    var outer = try Pipeline(nodes: [perValue, total], name: "outer")
    outer.maxConcurrency = 1
    return outer
}

/// A connected raw client socket to `path` with a receive timeout, for protocol-level tests.
final class RawClient: Sendable {
    let descriptor: Int32

    init(_ path: String, receiveTimeoutSeconds: Int = 10) throws {
        guard case .success(let descriptor) = LiveConnection.open(path) else { throw LiveTestFailure() }
        self.descriptor = descriptor
        var limit = timeval(tv_sec: receiveTimeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(descriptor) }

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress!, bytes.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Reads until end of stream, an error or the receive timeout.
    func readAll() -> (bytes: [UInt8], timedOut: Bool) {
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress!, 65536, 0) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 { return (output, errno == EAGAIN || errno == EWOULDBLOCK) }
            if count == 0 { return (output, false) }
            output.append(contentsOf: chunk[0..<count])
        }
    }

    /// Reads until `done` holds for the lines so far, the stream ends or the receive timeout passes.
    func readLines(until done: ([String]) -> Bool) -> [String] {
        var text: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        var lines: [String] = []
        while !done(lines) {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress!, 65536, 0) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            text.append(contentsOf: chunk[0..<count])
            while let newline = text.firstIndex(of: UInt8(ascii: "\n")) {
                lines.append(String(decoding: text[..<newline], as: UTF8.self))
                text.removeFirst(newline + 1)
            }
        }
        return lines
    }
}

import CNcursesw
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Keeps standard output and error off the screen while the monitor owns
/// the terminal.
///
/// ``start()`` points descriptors 1 and 2 at pipes that a thread of its own
/// reads: every line goes to ``takeLines()`` (for the monitor's log pane),
/// and every byte to a spool file per stream. ``stop()`` points the
/// descriptors back at what they were and writes the spooled text there, so
/// nothing a node printed or logged (swift-log writes to these descriptors
/// too) is lost or drawn across the screen. A crash hands the streams back
/// the same way (see ``CrashRestore``).
public final class OutputCapture: Sendable {
    /// The most lines kept for ``takeLines()`` between two calls; older ones
    /// are dropped from the pane (they are still written out at the end).
    public static let pendingLineLimit = 10_000
    /// The longest line kept whole, in bytes: output without a line end
    /// reaches the pane in pieces of about this size.
    public static let longestLine = LineAssembler.longestLine

    private struct Stream: Sendable {
        let target: Int32
        let pipe: Int32
        let spool: Int32
        let original: Int32
    }

    private let output: Stream
    private let error: Stream
    private let pending = PendingLines(limit: OutputCapture.pendingLineLimit)
    private let done = DispatchSemaphore(value: 0)
    private let stopped = Atomic<Bool>(false)

    /// A duplicate of the original standard output, for drawing on the
    /// terminal while descriptor 1 is captured. Valid until ``stop()``.
    public var terminalDescriptor: Int32 { output.original }

    private init(output: Stream, error: Stream) {
        self.output = output
        self.error = error
    }

    /// Redirects descriptors 1 and 2 and starts reading them.
    public static func start() throws(TerminalError) -> OutputCapture {
        fflush(nil)
        let output = try redirect(STDOUT_FILENO)
        let error: Stream
        do {
            error = try redirect(STDERR_FILENO)
        } catch {
            restore(output)
            throw error
        }
        // Lines from `print` reach the pane as they are written, not when a buffer fills.
        hn_line_buffer_stdout()
        let capture = OutputCapture(output: output, error: error)
        CrashRestore.capture(
            output: .init(target: output.target, pipe: output.pipe, spool: output.spool, original: output.original),
            error: .init(target: error.target, pipe: error.pipe, spool: error.spool, original: error.original))
        let thread = Thread { capture.readLoop() }
        thread.name = "hypernodes.monitor.output"
        thread.start()
        return capture
    }

    /// The complete lines captured since the last call, oldest first (a line
    /// saying how many were dropped first, when more than
    /// ``pendingLineLimit`` arrived in between).
    public func takeLines() -> [String] {
        pending.take()
    }

    /// Points descriptors 1 and 2 back at what they were and writes
    /// everything captured there (standard output first). Idempotent.
    public func stop() {
        guard !stopped.exchange(true, ordering: .sequentiallyConsistent) else { return }
        fflush(nil)
        CrashRestore.releaseCapture()
        // Closing the pipes' last write ends lets the reader see their ends.
        _ = dup2(output.original, output.target)
        _ = dup2(error.original, error.target)
        // A child process that inherited a write end keeps the pipe open: then
        // the reader keeps its descriptors, and what it has spooled so far is written.
        let drained = done.wait(timeout: .now() + 2) == .success
        for stream in [output, error] {
            Self.copySpool(stream)
            if drained { close(stream.spool) }
            close(stream.original)
        }
    }

    private static func redirect(_ target: Int32) throws(TerminalError) -> Stream {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw .systemCall("pipe", reason: String(cString: strerror(errno))) }
        let original = dup(target)
        var template = Array("/tmp/hypernodes-monitor-XXXXXX".utf8CString)
        let spool = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        if spool >= 0 { template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) } }
        guard original >= 0, spool >= 0, dup2(ends[1], target) >= 0 else {
            let reason = String(cString: strerror(errno))
            for descriptor in [ends[0], ends[1], original, spool] where descriptor >= 0 { close(descriptor) }
            throw .systemCall("redirecting descriptor \(target)", reason: reason)
        }
        close(ends[1])
        for descriptor in [ends[0], original, spool] { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        return Stream(target: target, pipe: ends[0], spool: spool, original: original)
    }

    private static func restore(_ stream: Stream) {
        _ = dup2(stream.original, stream.target)
        for descriptor in [stream.pipe, stream.spool, stream.original] { close(descriptor) }
    }

    private static func copySpool(_ stream: Stream) {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var offset: off_t = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { pread(stream.spool, $0.baseAddress, $0.count, offset) }
            if count <= 0 { break }
            offset += off_t(count)
            buffer.withUnsafeBytes { Descriptor.writeAll(stream.target, $0.baseAddress!, count) }
        }
    }

    /// Reads both pipes until both end: bytes to the spools, lines to ``pending``.
    private func readLoop() {
        var open = [output, error]
        var assemblers: [Int32: LineAssembler] = [output.pipe: LineAssembler(), error.pipe: LineAssembler()]
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while !open.isEmpty {
            var descriptors = open.map { pollfd(fd: $0.pipe, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&descriptors, nfds_t(descriptors.count), 1000)
            if ready < 0 && errno != EINTR { break }
            guard ready > 0 else { continue }
            var ended: Set<Int32> = []
            for (stream, polled) in zip(open, descriptors) where polled.revents != 0 {
                let count = buffer.withUnsafeMutableBytes { read(stream.pipe, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else {
                    ended.insert(stream.pipe)
                    continue
                }
                buffer.withUnsafeBytes { bytes in
                    Descriptor.writeAll(stream.spool, bytes.baseAddress!, count)
                    pending.post(
                        assemblers[stream.pipe, default: LineAssembler()].append(.init(rebasing: bytes[0..<count])))
                }
            }
            for stream in open where ended.contains(stream.pipe) {
                pending.post(assemblers[stream.pipe, default: LineAssembler()].finish())
                close(stream.pipe)
            }
            open.removeAll { ended.contains($0.pipe) }
        }
        done.signal()
    }
}

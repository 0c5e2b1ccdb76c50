#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Puts the terminal back when the process crashes while the monitor owns
/// it (a node's `fatalError`, a bad pointer, an abort).
///
/// ``install(terminal:saved:reset:)`` keeps everything the handler needs in
/// memory allocated up front: the terminal's descriptor, its settings from
/// before the monitor started, and the bytes that leave the alternate
/// screen, show the cursor and reset attributes. The handler only calls
/// async-signal-safe functions: it writes those bytes, restores the
/// settings with `tcsetattr`, hands standard output and error back to the
/// terminal with everything captured so far (see ``OutputCapture``), then
/// raises the signal again with its default disposition, so the exit status
/// still says what happened.
enum CrashRestore {
    /// The signals a crash raises.
    static let signals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE]

    /// One redirected stream: where its text was spooled and where it goes back to.
    struct Stream {
        /// The descriptor redirected (1 or 2).
        var target: Int32 = -1
        /// The read end of the pipe the stream was redirected to.
        var pipe: Int32 = -1
        /// The file everything read from the pipe was copied to.
        var spool: Int32 = -1
        /// A duplicate of the original descriptor.
        var original: Int32 = -1
    }

    /// Everything the handler touches, allocated before it can run.
    struct State {
        var terminal: Int32 = -1
        var settings = termios()
        var reset: UnsafeMutablePointer<UInt8>?
        var resetCount = 0
        var output = Stream()
        var error = Stream()
        var buffer: UnsafeMutablePointer<UInt8>?
        var bufferSize = 0
        var restored = false
    }

    nonisolated(unsafe) private static var state: UnsafeMutablePointer<State>?
    nonisolated(unsafe) private static var previous: [sigaction] = []

    /// Installs the handler for ``signals``; `reset` is written to `terminal`
    /// and `saved` restored on it when one arrives. Call ``uninstall()`` once
    /// the terminal is restored the ordinary way.
    static func install(terminal: Int32, saved: termios, reset: [UInt8]) {
        uninstall()
        let state = UnsafeMutablePointer<State>.allocate(capacity: 1)
        state.initialize(to: State())
        state.pointee.terminal = terminal
        state.pointee.settings = saved
        let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, reset.count))
        bytes.initialize(from: reset, count: reset.count)
        state.pointee.reset = bytes
        state.pointee.resetCount = reset.count
        state.pointee.bufferSize = 4096
        state.pointee.buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 4096)
        Self.state = state
        previous = SignalHandlers.install(crashHandler, for: signals)
    }

    /// Tells the handler about redirected standard output and error, so a
    /// crash hands them back with what was captured.
    static func capture(output: Stream, error: Stream) {
        guard let state else { return }
        state.pointee.output = output
        state.pointee.error = error
    }

    /// Forgets the redirected streams (they were handed back the ordinary way).
    static func releaseCapture() {
        guard let state else { return }
        state.pointee.output = Stream()
        state.pointee.error = Stream()
    }

    /// Puts the previous handlers back and frees the state.
    static func uninstall() {
        SignalHandlers.restore(previous, for: signals)
        previous = []
        guard let state else { return }
        Self.state = nil
        state.pointee.reset?.deallocate()
        state.pointee.buffer?.deallocate()
        state.deinitialize(count: 1)
        state.deallocate()
    }

    /// The terminal and the streams back as they were: only async-signal-safe calls.
    static func restoreFromSignal() {
        guard let state, !state.pointee.restored else { return }
        state.pointee.restored = true
        if let reset = state.pointee.reset {
            Descriptor.writeAll(state.pointee.terminal, reset, state.pointee.resetCount)
        }
        _ = tcsetattr(state.pointee.terminal, TCSANOW, &state.pointee.settings)
        if let buffer = state.pointee.buffer {
            handBack(state.pointee.output, buffer, state.pointee.bufferSize)
            handBack(state.pointee.error, buffer, state.pointee.bufferSize)
        }
    }

    /// Copies what is left in the stream's pipe to its spool, points the
    /// descriptor at the original again and writes the spool there.
    private static func handBack(_ stream: Stream, _ buffer: UnsafeMutablePointer<UInt8>, _ size: Int) {
        guard stream.target >= 0, stream.original >= 0 else { return }
        if stream.pipe >= 0, stream.spool >= 0 {
            _ = fcntl(stream.pipe, F_SETFL, O_NONBLOCK)
            while true {
                let count = read(stream.pipe, buffer, size)
                if count <= 0 { break }
                Descriptor.writeAll(stream.spool, buffer, count)
            }
        }
        _ = dup2(stream.original, stream.target)
        guard stream.spool >= 0 else { return }
        var offset: off_t = 0
        while true {
            let count = pread(stream.spool, buffer, size, offset)
            if count <= 0 { break }
            Descriptor.writeAll(stream.target, buffer, count)
            offset += off_t(count)
        }
    }
}

/// The crash handler: restore, then die of the same signal.
private func crashHandler(_ signalNumber: Int32) {
    CrashRestore.restoreFromSignal()
    SignalHandlers.reraise(signalNumber)
}

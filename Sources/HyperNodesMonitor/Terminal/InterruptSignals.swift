import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Ctrl-C (SIGINT), `kill` (SIGTERM) and a closed terminal (SIGHUP) while
/// the monitor runs: the handler only records the signal, and the UI loop,
/// which polls ``pending`` between frames, restores the terminal and ends.
///
/// Installed before ncurses starts, so ncurses leaves these signals alone.
public enum InterruptSignals {
    /// The signals handled.
    public static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    private static let received = Atomic<Int32>(0)
    nonisolated(unsafe) private static var previous: [sigaction] = []

    /// Starts recording the signals (and unblocks them on this thread).
    public static func install() {
        _ = received.load(ordering: .relaxed)  // initialised before a handler can read it
        received.store(0, ordering: .sequentiallyConsistent)
        var set = sigset_t()
        sigemptyset(&set)
        for signalNumber in signals { sigaddset(&set, signalNumber) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        previous = SignalHandlers.install(recordSignal, for: signals)
    }

    /// The first signal received since ``install()``, or `nil`.
    public static var pending: Int32? {
        let value = received.load(ordering: .sequentiallyConsistent)
        return value == 0 ? nil : value
    }

    /// The first signal received since ``install()`` or the last take, or `nil`; the next take reports
    /// only signals that arrive after this one.
    public static func take() -> Int32? {
        let value = received.exchange(0, ordering: .sequentiallyConsistent)
        return value == 0 ? nil : value
    }

    /// Puts the previous dispositions back.
    public static func uninstall() {
        SignalHandlers.restore(previous, for: signals)
        previous = []
    }

    /// Ends the process by `signalNumber` with its default disposition, so
    /// that the parent sees how it ended (a shell prints 130 for Ctrl-C).
    public static func reraise(_ signalNumber: Int32) -> Never {
        SignalHandlers.reraise(signalNumber)
    }

    fileprivate static func record(_ signalNumber: Int32) {
        _ = received.compareExchange(expected: 0, desired: signalNumber, ordering: .sequentiallyConsistent)
    }
}

private func recordSignal(_ signalNumber: Int32) {
    InterruptSignals.record(signalNumber)
}

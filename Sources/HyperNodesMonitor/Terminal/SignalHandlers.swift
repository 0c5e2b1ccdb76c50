#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Installing and removing the monitor's C signal handlers.
enum SignalHandlers {
    /// Makes `handler` the action of each of `signals` (no blocked signals
    /// while it runs, no flags); returns the previous actions, in order, for
    /// ``restore(_:for:)``.
    static func install(_ handler: @convention(c) (Int32) -> Void, for signals: [Int32]) -> [sigaction] {
        signals.map { signalNumber in
            var action = sigaction()
            #if canImport(Glibc)
                action.__sigaction_handler.sa_handler = handler
            #else
                action.__sigaction_u.__sa_handler = handler
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            var old = sigaction()
            sigaction(signalNumber, &action, &old)
            return old
        }
    }

    /// Puts back the actions ``install(_:for:)`` returned.
    static func restore(_ previous: [sigaction], for signals: [Int32]) {
        for (signalNumber, var old) in zip(signals, previous) { sigaction(signalNumber, &old, nil) }
    }

    /// Ends the process by `signalNumber` with its default disposition
    /// (unblocked on this thread first), so that the parent sees how it
    /// ended; `_exit(128 + signalNumber)` should the signal be caught
    /// elsewhere meanwhile. Only async-signal-safe calls: a handler may use it.
    static func reraise(_ signalNumber: Int32) -> Never {
        signal(signalNumber, SIG_DFL)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, signalNumber)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        raise(signalNumber)
        _exit(128 + signalNumber)
    }
}

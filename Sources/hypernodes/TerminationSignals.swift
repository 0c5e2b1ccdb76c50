#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The signals that stop the tool: Ctrl-C, `kill` and a closed terminal.
enum TerminationSignals {
    /// Unblocks SIGINT, SIGTERM and SIGHUP for this thread and the threads it
    /// starts afterwards.
    ///
    /// A parent that started this process with Foundation's `Process` from a
    /// Swift task or a Dispatch queue on Linux leaves almost every signal
    /// blocked in the child, so Ctrl-C and `kill` would be ignored.
    static func unblock() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGHUP)
        sigprocmask(SIG_UNBLOCK, &set, nil)
    }
}

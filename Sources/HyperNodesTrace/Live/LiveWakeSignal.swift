import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Wakes a live server's socket thread from `poll`: a non-blocking pipe
/// whose read end is in the poll set. Only the first wake after the thread
/// last looked writes a byte, so a busy stream costs one write per batch at
/// most, and none while the thread is already awake.
final class LiveWakeSignal: Sendable {
    /// The end the socket thread polls.
    let readEnd: Int32
    private let writeEnd: Int32
    private let pending = Atomic<Bool>(false)

    init?() {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { return nil }
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        readEnd = ends[0]
        writeEnd = ends[1]
    }

    deinit {
        posixClose(readEnd)
        posixClose(writeEnd)
    }

    /// Makes the socket thread's next (or current) `poll` return.
    func wake() {
        guard !pending.exchange(true, ordering: .acquiringAndReleasing) else { return }
        var byte: UInt8 = 1
        _ = posixWrite(writeEnd, &byte, 1)
    }

    /// Called by the socket thread when `poll` reported the read end: forgets the wakes so far.
    ///
    /// The pipe is drained before the flag is cleared: cleared first, a wake landing
    /// between the two would have its byte drained while the flag stayed set, and no
    /// later wake would write again (the thread would sleep in `poll` for good, and
    /// `close()` would wait for it forever). A wake after the drain but before the
    /// clear writes nothing, which is safe: the thread goes round its loop and
    /// looks at everything before it polls again.
    func consume() {
        var bytes = [UInt8](repeating: 0, count: 64)
        while bytes.withUnsafeMutableBytes({ posixRead(readEnd, $0.baseAddress!, 64) }) > 0 {}
        pending.store(false, ordering: .sequentiallyConsistent)
    }
}

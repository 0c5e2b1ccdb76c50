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
    func consume() {
        pending.store(false, ordering: .sequentiallyConsistent)
        var bytes = [UInt8](repeating: 0, count: 64)
        while bytes.withUnsafeMutableBytes({ posixRead(readEnd, $0.baseAddress!, 64) }) > 0 {}
    }
}

import Foundation
import Testing

@testable import HyperNodesTrace

#if canImport(Glibc)
    import Glibc
#endif

/// Signal dispositions are process-wide, so these tests use SIGUSR1 and
/// SIGUSR2, which nothing else in the test process touches, and never send them.
@Suite("Termination flush", .serialized)
struct TerminationFlushTests {
    @Test("a signal the program already handles is left to its handler")
    func handledSignalIsLeftAlone() {
        signal(SIGUSR2) { _ in }
        defer { signal(SIGUSR2, SIG_DFL) }
        #expect(!TerminationFlush.hasDefaultDisposition(SIGUSR2))
        #expect(TerminationFlush.makeSource(for: SIGUSR2) == nil)
        var current = sigaction()
        sigaction(SIGUSR2, nil, &current)
        #expect(current.__sigaction_handler.sa_handler != nil, "the program's handler is still installed")
    }

    @Test("a signal with its default disposition gets a flushing source")
    func defaultSignalIsTaken() throws {
        signal(SIGUSR1, SIG_DFL)
        #expect(TerminationFlush.hasDefaultDisposition(SIGUSR1))
        let source = try #require(TerminationFlush.makeSource(for: SIGUSR1))
        #expect(!TerminationFlush.hasDefaultDisposition(SIGUSR1))
        source.cancel()
        signal(SIGUSR1, SIG_DFL)
    }
}

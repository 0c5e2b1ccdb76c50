import Foundation

/// Runs `body` on a thread of its own and waits for its result without
/// holding one of the test runner's pool threads.
///
/// Tests that poll another process against a wall-clock deadline (a screen
/// under tmux) use it. Swift Testing runs tests on a pool as wide as the
/// machine has cores, two here; while busy synchronous tests hold every pool
/// thread, a polling loop suspended in `Task.sleep` can wait many seconds to
/// resume, and miss the moment it polls for.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.name = "test polling"
        thread.start()
    }
}

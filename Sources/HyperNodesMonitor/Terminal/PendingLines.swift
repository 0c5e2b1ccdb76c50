import Synchronization

/// Lines waiting for the UI thread, posted from a reading thread: at most
/// ``limit`` are kept between two takes, and the oldest beyond that are
/// dropped and counted.
final class PendingLines: Sendable {
    private struct State {
        var lines: [String] = []
        var dropped = 0
    }

    /// The most lines kept between two takes.
    let limit: Int
    private let state = Mutex(State())

    /// Keeps at most `limit` lines between two takes.
    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Appends `lines`, dropping the oldest beyond ``limit``.
    func post(_ lines: [String]) {
        guard !lines.isEmpty else { return }
        state.withLock { state in
            state.lines.append(contentsOf: lines)
            let excess = state.lines.count - limit
            if excess > 0 {
                state.lines.removeFirst(excess)
                state.dropped += excess
            }
        }
    }

    /// The lines posted since the last take, oldest first; first a line saying how many were
    /// dropped, when some were.
    func take() -> [String] {
        state.withLock { state in
            var lines = state.lines
            if state.dropped > 0 {
                lines.insert("(\(state.dropped) earlier lines not shown)", at: 0)
            }
            state.lines = []
            state.dropped = 0
            return lines
        }
    }
}

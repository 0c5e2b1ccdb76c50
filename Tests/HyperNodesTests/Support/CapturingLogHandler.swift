import Logging
import Synchronization

/// A log handler that keeps the messages it receives, for assertions.
struct CapturingLogHandler: LogHandler {
    final class Store: Sendable {
        let messages = Mutex<[(Logger.Level, String)]>([])
        var all: [(Logger.Level, String)] { messages.withLock { $0 } }
        var warnings: [String] { all.filter { $0.0 == .warning }.map(\.1) }
    }

    let store: Store
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        store.messages.withLock { $0.append((event.level, "\(event.message)")) }
    }

    /// A logger writing into a fresh store.
    static func logger() -> (Logger, Store) {
        let store = Store()
        return (Logger(label: "test") { _ in CapturingLogHandler(store: store) }, store)
    }
}

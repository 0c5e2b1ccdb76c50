import Foundation
import Logging

/// A swift-log handler that writes through a ``ProgressCallback``, so that
/// log lines appear above the live progress tree instead of tearing it.
///
/// ```swift
/// LoggingSystem.bootstrap { label in ProgressLogHandler(label: label, progress: progress) }
/// ```
///
/// Lines look like those of swift-log's `StreamLogHandler`:
/// `2026-01-01T12:00:00+0000 info label: [key=value] message`.
public struct ProgressLogHandler: LogHandler {
    /// The logger's label.
    public let label: String
    /// Where lines are written.
    public let progress: ProgressCallback
    /// The stream the lines go to (default: standard error).
    public let output: ProgressOutput
    /// The least severe level logged.
    public var logLevel: Logger.Level = .info
    /// Metadata added to every message.
    public var metadata: Logger.Metadata = [:]

    /// Creates a handler for the logger `label`.
    public init(label: String, progress: ProgressCallback, output: ProgressOutput = .standardError) {
        self.label = label
        self.progress = progress
        self.output = output
    }

    /// The value of one metadata key.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes one line above the progress tree.
    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let fields =
            merged.isEmpty ? "" : merged.sorted { $0.key < $1.key }.map { "\($0)=\($1)" }.joined(separator: " ")
        let line = Self.formatLine(
            timestamp: Date(), level: event.level, label: label, metadata: fields, message: "\(event.message)")
        progress.print(line, to: output)
    }

    /// One log line: time, level, label, metadata in brackets, message.
    static func formatLine(timestamp: Date, level: Logger.Level, label: String, metadata: String, message: String)
        -> String
    {
        let formatter = ISO8601DateFormatter()
        let time = formatter.string(from: timestamp)
        let fields = metadata.isEmpty ? "" : "[\(metadata)] "
        return "\(time) \(level) \(label): \(fields)\(message)"
    }
}

import Foundation

/// Where and how progress is shown.
public enum ProgressMode: String, Sendable, CaseIterable, CustomStringConvertible {
    /// A live tree when the output is a terminal (and `TERM` is not `dumb`), plain lines otherwise.
    case auto
    /// The live tree, redrawn in place with cursor movement, whatever the output is.
    case tty
    /// One plain line per finished pipeline or node and periodic map status lines; no escape codes.
    case plain
    /// Nothing.
    case off

    /// The environment variable that chooses the mode: `HYPERNODES_PROGRESS=auto|tty|plain|off`.
    public static let environmentVariable = "HYPERNODES_PROGRESS"

    /// The mode named `text` (`auto`, `tty`, `plain` or `off`, in any case).
    ///
    /// - Parameter source: Where the text came from, for the error message
    ///   (`--progress`, `HYPERNODES_PROGRESS`).
    /// - Throws: ``ProgressConfigurationError`` naming the source, the value
    ///   and the accepted values.
    public init(parsing text: String, source: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let mode = ProgressMode(rawValue: trimmed) else {
            throw ProgressConfigurationError(
                description: "\(source): unknown progress mode '\(text)'; expected one of "
                    + Self.allCases.map(\.rawValue).joined(separator: ", "))
        }
        self = mode
    }

    /// The mode's name.
    public var description: String { rawValue }
}

/// An invalid progress setting, naming where it came from and what is accepted.
public struct ProgressConfigurationError: Error, CustomStringConvertible, Equatable {
    /// What is wrong.
    public let description: String
}

/// The stream progress is written to.
public enum ProgressOutput: Sendable, Equatable {
    /// Standard error (the default: standard output stays for results).
    case standardError
    /// Standard output.
    case standardOutput
    /// Another open file descriptor; the caller keeps it open while progress is shown.
    case fileDescriptor(Int32)

    var descriptor: Int32 {
        switch self {
        case .standardError: 2
        case .standardOutput: 1
        case .fileDescriptor(let fd): fd
        }
    }
}

/// Settings of a ``ProgressCallback``.
public struct ProgressOptions: Sendable {
    /// Live tree, plain lines, nothing, or decided by the output (default).
    public var mode: ProgressMode
    /// Where progress goes (default: standard error).
    public var output: ProgressOutput
    /// ASCII glyphs instead of Unicode; `nil` (default): ASCII when `TERM` is `dumb`.
    public var ascii: Bool?
    /// Colour; `nil` (default): colour unless `NO_COLOR` is set or `TERM` is `dumb`.
    public var color: Bool?
    /// Seconds between two status lines of one running map in plain mode (default 10).
    public var plainInterval: Double
    /// The most redraws per second of the live tree (default 10).
    public var refreshRate: Double
    /// A fixed terminal size; `nil` (default): asked from the terminal before
    /// every redraw (so resizing is followed), else `COLUMNS`/`LINES`, else 80×24.
    public var size: TerminalSize?
    /// The environment read for `TERM`, `NO_COLOR`, `COLUMNS` and `LINES`.
    public var environment: [String: String]

    /// Creates options.
    public init(
        mode: ProgressMode = .auto, output: ProgressOutput = .standardError, ascii: Bool? = nil,
        color: Bool? = nil, plainInterval: Double = 10, refreshRate: Double = 10, size: TerminalSize? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.mode = mode
        self.output = output
        self.ascii = ascii
        self.color = color
        self.plainInterval = plainInterval
        self.refreshRate = refreshRate
        self.size = size
        self.environment = environment
    }

    /// Default options with the mode taken from `HYPERNODES_PROGRESS` when it is set and not empty.
    ///
    /// - Throws: ``ProgressConfigurationError`` for an unknown mode.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> ProgressOptions {
        var options = ProgressOptions(environment: environment)
        if let value = environment[ProgressMode.environmentVariable], !value.isEmpty {
            options.mode = try ProgressMode(parsing: value, source: ProgressMode.environmentVariable)
        }
        return options
    }

    /// Checks the numeric settings.
    ///
    /// - Throws: ``ProgressConfigurationError`` naming the setting and its value.
    public func validate() throws {
        guard plainInterval.isFinite, plainInterval >= 0 else {
            throw ProgressConfigurationError(
                description: "plainInterval must be zero or more seconds, got \(plainInterval)")
        }
        guard refreshRate.isFinite, refreshRate > 0, refreshRate <= 1000 else {
            throw ProgressConfigurationError(
                description: "refreshRate must be between 0 (exclusive) and 1000 redraws per second, got \(refreshRate)"
            )
        }
        if let size, size.columns < 1 || size.rows < 1 {
            throw ProgressConfigurationError(
                description: "size must be at least 1×1 cells, got \(size.columns)×\(size.rows)")
        }
    }

    var isDumbTerminal: Bool { environment["TERM"] == "dumb" }

    /// The mode for an output that is (or is not) a terminal.
    func resolvedMode(outputIsTerminal: Bool) -> ProgressMode {
        guard mode == .auto else { return mode }
        return outputIsTerminal && !isDumbTerminal ? .tty : .plain
    }

    /// The glyphs and colour for `mode`.
    func style(for mode: ProgressMode) -> ProgressStyle {
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        let ascii = self.ascii ?? isDumbTerminal
        let color = mode == .tty && (self.color ?? (!noColor && !isDumbTerminal))
        return ProgressStyle(ascii: ascii, color: color)
    }

    /// The size to draw at when the terminal does not tell.
    var fallbackSize: TerminalSize {
        let columns = environment["COLUMNS"].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil } ?? 80
        let rows = environment["LINES"].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil } ?? 24
        return TerminalSize(columns: columns, rows: rows)
    }
}

import Synchronization

/// Which values the engine hides from events because they look like secrets.
///
/// The engine applies it in one place, where it builds event attributes
/// (the previews of node inputs and outputs) and error messages, so spans,
/// trace files, the live stream, the monitor and every other callback
/// receive the scrubbed text. A value is replaced by a marker naming the
/// pattern, `[Scrubbed due to 'password']`, when its key matches a
/// ``SecretPattern``; keys inside a preview (`["api_key": "…"]`,
/// `Config(password: …)`, `{"token": …}`, `session=…`) are scrubbed the same way.
///
/// ```swift
/// var pipeline = try Pipeline(nodes: [login], name: "auth")
/// pipeline.secretScrubbing = try SecretScrubbing(extraPatterns: ["customer_id"])
/// pipeline.secretScrubbing = .disabled  // show everything
/// ```
public struct SecretScrubbing: Sendable, Hashable {
    /// Whether values are scrubbed at all.
    public var isEnabled: Bool
    /// The patterns checked, built-in ones first.
    public var patterns: [SecretPattern] {
        didSet { memo = KeyMemo() }
    }
    /// Which pattern each key seen so far matched: previews are built for
    /// the same few input and output names over and over.
    private var memo = KeyMemo()

    /// The built-in patterns (``SecretPattern/defaults``), enabled.
    public static let `default` = SecretScrubbing(patterns: SecretPattern.defaults, isEnabled: true)
    /// No scrubbing: previews and error messages are passed on as they are.
    public static let disabled = SecretScrubbing(patterns: [], isEnabled: false)

    /// Scrubbing with the given patterns.
    public init(patterns: [SecretPattern], isEnabled: Bool = true) {
        self.patterns = patterns
        self.isEnabled = isEnabled
    }

    /// The built-in patterns plus `extraPatterns`, each matching anywhere in a key.
    ///
    /// - Throws: ``SecretPatternError`` naming a pattern that is empty or has
    ///   characters other than ASCII letters, digits and separators.
    public init(extraPatterns: [String]) throws {
        self.init(patterns: SecretPattern.defaults + (try extraPatterns.map { try SecretPattern($0) }))
    }

    /// The marker that replaces a value scrubbed because of `pattern`.
    public static func marker(for pattern: SecretPattern) -> String {
        "[Scrubbed due to '\(pattern.name)']"
    }

    /// Equal when enabled alike with the same patterns.
    public static func == (lhs: SecretScrubbing, rhs: SecretScrubbing) -> Bool {
        lhs.isEnabled == rhs.isEnabled && lhs.patterns == rhs.patterns
    }

    /// Hashes whether it is enabled and the patterns.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(isEnabled)
        hasher.combine(patterns)
    }

    /// The first pattern that `key` matches, or `nil`.
    public func pattern(matchingKey key: some StringProtocol) -> SecretPattern? {
        guard isEnabled, !patterns.isEmpty else { return nil }
        let name = String(key)
        if let known = memo.lookup(name) { return known < 0 ? nil : patterns[known] }
        let words = SecretPattern.words(of: Array(name.utf8))
        let joined = words.flatMap { $0 }
        let index = patterns.firstIndex { $0.matches(words: words, joined: joined) }
        memo.remember(name, index ?? -1)
        return index.map { patterns[$0] }
    }

    /// `value` as an event may show it under `key`: the marker if the key is
    /// sensitive, else the value with sensitive keys inside it scrubbed.
    public func scrub(_ value: String, key: some StringProtocol) -> String {
        guard isEnabled else { return value }
        if let pattern = pattern(matchingKey: key) { return Self.marker(for: pattern) }
        return scrubText(value)
    }

    /// `text` with the value after every sensitive key replaced by a marker.
    ///
    /// A key is a run of letters, digits and `_ - .`, bare or in quotes,
    /// followed by `:` or `=`. Its value is a quoted string, a bracketed
    /// group (`[…]`, `{…}`, `(…)`), or everything up to the next `,` `;` `&`
    /// closing bracket or line break. A quoted value keeps its quotes.
    public func scrubText(_ text: String) -> String {
        guard isEnabled, !patterns.isEmpty else { return text }
        var bytes = Array(text.utf8)
        guard bytes.contains(where: { $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "=") }) else { return text }
        var output: [UInt8] = []
        var changed = false
        var i = 0
        var copied = 0
        while i < bytes.count {
            guard let key = Self.key(in: bytes, at: i) else {
                i += 1
                continue
            }
            guard let pattern = pattern(matchingKey: String(decoding: bytes[key.name], as: UTF8.self)) else {
                i = key.valueStart
                continue
            }
            let valueEnd = Self.valueEnd(in: bytes, from: key.valueStart)
            output.append(contentsOf: bytes[copied..<key.valueStart])
            let quote = key.valueStart < bytes.count ? bytes[key.valueStart] : 0
            let quoted = quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'")
            if quoted { output.append(quote) }
            output.append(contentsOf: Self.marker(for: pattern).utf8)
            if quoted { output.append(quote) }
            copied = valueEnd
            i = max(valueEnd, i + 1)
            changed = true
        }
        guard changed else { return text }
        output.append(contentsOf: bytes[copied...])
        bytes = output
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: Scanning

    static func isKeyByte(_ byte: UInt8) -> Bool {
        SecretPattern.isLetterOrDigit(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: ".")
    }

    /// A key starting at `start`: its name and where its value starts.
    static func key(in bytes: [UInt8], at start: Int) -> (name: Range<Int>, valueStart: Int)? {
        var i = start
        let name: Range<Int>
        let first = bytes[i]
        if first == UInt8(ascii: "\"") || first == UInt8(ascii: "'") {
            var end = i + 1
            while end < bytes.count && isKeyByte(bytes[end]) { end += 1 }
            guard end < bytes.count, bytes[end] == first, end > i + 1 else { return nil }
            name = (i + 1)..<end
            i = end + 1
        } else {
            guard isKeyByte(first), start == 0 || !isKeyByte(bytes[start - 1]) else { return nil }
            var end = i
            while end < bytes.count && isKeyByte(bytes[end]) { end += 1 }
            name = i..<end
            i = end
        }
        while i < bytes.count && bytes[i] == UInt8(ascii: " ") { i += 1 }
        guard i < bytes.count else { return nil }
        let separator = bytes[i]
        guard separator == UInt8(ascii: ":") || separator == UInt8(ascii: "=") else { return nil }
        // `::` and `==` are not key/value separators.
        if i + 1 < bytes.count && bytes[i + 1] == separator { return nil }
        i += 1
        while i < bytes.count && bytes[i] == UInt8(ascii: " ") { i += 1 }
        return (name, i)
    }

    /// The end of the value starting at `start` (exclusive).
    static func valueEnd(in bytes: [UInt8], from start: Int) -> Int {
        var i = start
        var depth = 0
        while i < bytes.count {
            let byte = bytes[i]
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                let opening = i
                i = quotedEnd(in: bytes, from: i)
                // A value that is one quoted string ends with it.
                if depth == 0 && opening == start { return i }
                continue
            case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
            case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"):
                if depth == 0 { return i }
                depth -= 1
                if depth == 0 && isOpening(bytes[start]) { return i + 1 }
            case UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "&"), UInt8(ascii: "\n"):
                if depth == 0 { return i }
            default:
                break
            }
            i += 1
        }
        return bytes.count
    }

    static func isOpening(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "(") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{")
    }

    /// The index just past the quoted string opening at `start`, or the end of the text.
    static func quotedEnd(in bytes: [UInt8], from start: Int) -> Int {
        let quote = bytes[start]
        var i = start + 1
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\\") {
                i += 2
                continue
            }
            if bytes[i] == quote { return i + 1 }
            i += 1
        }
        return bytes.count
    }
}

/// Remembered key matches of one ``SecretScrubbing`` value, shared by its
/// copies (a copy with other patterns gets a new memo).
private final class KeyMemo: Sendable {
    /// Pattern index per key, `-1` for no match. Bounded, so that keys built
    /// from data (dictionary keys inside previews) cannot grow it without end.
    private let table = Mutex<[String: Int]>([:])
    private static let limit = 4_096

    func lookup(_ key: String) -> Int? {
        table.withLock { $0[key] }
    }

    func remember(_ key: String, _ index: Int) {
        table.withLock { table in
            if table.count < Self.limit { table[key] = index }
        }
    }
}

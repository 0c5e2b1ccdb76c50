/// A name that marks a value as sensitive, such as `password` or `api_key`.
///
/// Keys are compared without regard to case or the separators `_`, `-`, `.`
/// and space, so the pattern `api_key` matches `api_key`, `apiKey`,
/// `X-API-Key` and `apikey`. A pattern matches anywhere inside a key
/// (`password` matches `db_password`) unless it is ``wholeWord``, in which
/// case it must be one whole word of the key, words being split at
/// separators and at camel-case humps (`token` matches `access_token` and
/// `apiToken` but not `tokens` or `tokenizer`). Words listed in
/// ``exceptions`` never match (`auth` does not match `author`).
public struct SecretPattern: Sendable, Hashable, CustomStringConvertible {
    /// The pattern as given, named by the scrubbing marker.
    public let name: String
    /// Whether the pattern must be a whole word of the key.
    public let wholeWord: Bool
    /// Words of a key that do not match even though they contain the pattern.
    public let exceptions: [String]
    /// `name` lowercased, separators removed.
    let needle: [UInt8]
    let exceptionNeedles: [[UInt8]]

    /// Creates a pattern.
    ///
    /// - Throws: ``SecretPatternError`` if `name` has no letter or digit, or
    ///   has characters other than ASCII letters, digits and separators.
    public init(_ name: String, wholeWord: Bool = false, except exceptions: [String] = []) throws {
        self.needle = try Self.normalize(name)
        self.name = name
        self.wholeWord = wholeWord
        self.exceptions = exceptions
        self.exceptionNeedles = try exceptions.map(Self.normalize)
    }

    private init(known name: String, wholeWord: Bool = false, except exceptions: [String] = []) {
        // The built-in names are valid by construction.
        self.name = name
        self.wholeWord = wholeWord
        self.exceptions = exceptions
        self.needle = Self.normalizedBytes(name)
        self.exceptionNeedles = exceptions.map(Self.normalizedBytes)
    }

    /// The pattern's name.
    public var description: String { name }

    /// The built-in patterns: password, passwd, secret, token (whole word),
    /// api_key, apikey, auth (not in author/authors/authored), credential,
    /// private_key, session, cookie, csrf, jwt, ssn (whole word), credit_card.
    public static let defaults: [SecretPattern] = [
        SecretPattern(known: "password"),
        SecretPattern(known: "passwd"),
        SecretPattern(known: "secret"),
        SecretPattern(known: "token", wholeWord: true),
        SecretPattern(known: "api_key"),
        SecretPattern(known: "apikey"),
        SecretPattern(known: "auth", except: ["author", "authors", "authored"]),
        SecretPattern(known: "credential"),
        SecretPattern(known: "private_key"),
        SecretPattern(known: "session"),
        SecretPattern(known: "cookie"),
        SecretPattern(known: "csrf"),
        SecretPattern(known: "jwt"),
        SecretPattern(known: "ssn", wholeWord: true),
        SecretPattern(known: "credit_card"),
    ]

    /// Whether `key` matches this pattern.
    public func matches(key: some StringProtocol) -> Bool {
        matches(words: Self.words(of: Array(key.utf8)))
    }

    /// Whether the words of a key (lowercased, from ``words(of:)``) match.
    func matches(words: [[UInt8]]) -> Bool {
        matches(words: words, joined: words.flatMap { $0 })
    }

    /// Whether a key matches, given its words and their concatenation.
    func matches(words: [[UInt8]], joined: [UInt8]) -> Bool {
        if wholeWord {
            return words.contains { $0 == needle }
        }
        guard Self.contains(joined, needle) else { return false }
        if exceptionNeedles.isEmpty || !words.contains(where: { exceptionNeedles.contains($0) }) { return true }
        var kept: [UInt8] = []
        for word in words where !exceptionNeedles.contains(word) {
            kept.append(contentsOf: word)
        }
        return Self.contains(kept, needle)
    }

    // MARK: Normalising

    static func isSeparator(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: " ")
    }

    static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        isLower(byte) || isUpper(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    static func isLower(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") }
    static func isUpper(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") }
    static func lower(_ byte: UInt8) -> UInt8 { isUpper(byte) ? byte + 32 : byte }

    static func normalizedBytes(_ name: String) -> [UInt8] {
        name.utf8.filter { !isSeparator($0) }.map(lower)
    }

    static func normalize(_ name: String) throws -> [UInt8] {
        if let bad = name.unicodeScalars.first(where: {
            !$0.isASCII || (!isLetterOrDigit(UInt8($0.value)) && !isSeparator(UInt8($0.value)))
        }) {
            throw SecretPatternError.invalidCharacter(pattern: name, character: Character(bad))
        }
        let bytes = normalizedBytes(name)
        if bytes.isEmpty { throw SecretPatternError.empty(pattern: name) }
        return bytes
    }

    /// The lowercased words of a key: split at separators and any other
    /// character that is not a letter or digit, and at camel-case humps
    /// (`apiToken` → api, token; `HTTPToken` → http, token).
    static func words(of key: [UInt8]) -> [[UInt8]] {
        var words: [[UInt8]] = []
        var current: [UInt8] = []
        for (i, byte) in key.enumerated() {
            guard isLetterOrDigit(byte) else {
                if !current.isEmpty { words.append(current) }
                current = []
                continue
            }
            if isUpper(byte), let previous = i > 0 ? key[i - 1] : nil, !current.isEmpty {
                let next = i + 1 < key.count ? key[i + 1] : 0
                if !isUpper(previous) || isLower(next) {
                    words.append(current)
                    current = []
                }
            }
            current.append(lower(byte))
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        if needle.isEmpty { return true }
        var start = 0
        while start + needle.count <= haystack.count {
            if haystack[start] == needle[0] {
                var k = 1
                while k < needle.count && haystack[start + k] == needle[k] { k += 1 }
                if k == needle.count { return true }
            }
            start += 1
        }
        return false
    }
}

/// A secret pattern that cannot be used.
public enum SecretPatternError: Error, Equatable, CustomStringConvertible {
    /// The pattern has no letter or digit, so it would match every key.
    case empty(pattern: String)
    /// The pattern holds a character other than an ASCII letter, digit or separator.
    case invalidCharacter(pattern: String, character: Character)

    /// What is wrong, naming the pattern.
    public var description: String {
        switch self {
        case .empty(let pattern):
            "secret pattern '\(pattern)' has no letter or digit (it would match every key)"
        case .invalidCharacter(let pattern, let character):
            "secret pattern '\(pattern)' contains '\(character)'; "
                + "patterns are ASCII letters, digits and the separators _ - . and space"
        }
    }
}

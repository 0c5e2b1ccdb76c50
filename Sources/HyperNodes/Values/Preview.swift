/// Short, single-line text renderings of values for events.
enum Preview {
    /// The default preview length, in characters.
    static let defaultLimit = 500

    /// `String(describing:)` of `value`, cut to `limit` characters with a trailing `…`.
    static func of(_ value: any Sendable, limit: Int = defaultLimit) -> String {
        let text = String(describing: value)
        guard text.count > limit else { return text }
        return String(text.prefix(limit)) + "…"
    }
}

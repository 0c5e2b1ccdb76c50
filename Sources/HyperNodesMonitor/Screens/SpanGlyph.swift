/// The glyph and role that show where a span stands at a playback position:
/// a spinner while running, `✓` `⚡` `✗` `⊘` when finished, `◌` when it never will (its source
/// ended first), `·` before it starts.
public enum SpanGlyph {
    /// The glyph and role of `phase` at `now`.
    public static func of(_ phase: SpanPhase, now: UInt64, theme: Theme) -> (glyph: Character, role: ThemeRole) {
        switch phase {
        case .notStarted: return (theme.pendingGlyph, .pending)
        case .running: return (theme.spinner(at: now), .running)
        case .unfinished: return (theme.unfinishedGlyph, .warning)
        case .finished(let status, let cached):
            return (theme.glyph(status, cached: cached), theme.role(status, cached: cached))
        }
    }

    /// What the phase is called in the details pane.
    public static func word(_ phase: SpanPhase) -> String {
        switch phase {
        case .notStarted: return "not started"
        case .running: return "running"
        case .unfinished: return "unfinished (the source ended before the span did)"
        case .finished(let status, let cached):
            if cached || status == .cached { return "cached" }
            switch status {
            case .ok: return "done"
            case .error: return "failed"
            case .cancelled: return "cancelled"
            case .cached: return "cached"
            case .running: return "running"
            }
        }
    }
}

/// One line of the help: the keys, and what they do. The help overlay and
/// the key bar are drawn from ``all``, and tests press every key listed here.
public struct KeyBinding: Sendable, Hashable {
    /// The group the binding is listed under.
    public enum Group: String, Sendable, Hashable, CaseIterable {
        /// Switching screens and quitting.
        case screens = "Screens"
        /// Moving the selection.
        case move = "Move"
        /// The playback clock.
        case playback = "Playback"
        /// The waterfall's time window.
        case waterfall = "Waterfall"
        /// Details, log, search and help.
        case panes = "Panes and search"
    }

    /// The keys as shown (`↑ k`).
    public var label: String
    /// The same keys in ASCII (`Up k`).
    public var asciiLabel: String
    /// The keys themselves.
    public var keys: [Key]
    /// What they do.
    public var meaning: String
    /// The group.
    public var group: Group

    /// Creates a binding.
    public init(_ label: String, ascii: String? = nil, keys: [Key], _ meaning: String, group: Group) {
        self.label = label
        self.asciiLabel = ascii ?? label
        self.keys = keys
        self.meaning = meaning
        self.group = group
    }

    /// Every key the monitor knows, in the order the help lists them.
    public static let all: [KeyBinding] = [
        KeyBinding(
            "1 2 3", keys: [.character("1"), .character("2"), .character("3")], "tree, map, waterfall",
            group: .screens),
        KeyBinding("Tab S-Tab", keys: [.tab, .backTab], "next / previous screen", group: .screens),
        KeyBinding("q ^C", keys: [.character("q"), .control("c")], "quit", group: .screens),
        KeyBinding(
            "↑ k ↓ j", ascii: "Up k Down j", keys: [.up, .character("k"), .down, .character("j")],
            "select previous / next row", group: .move),
        KeyBinding("PgUp PgDn", keys: [.pageUp, .pageDown], "a page up / down", group: .move),
        KeyBinding("Home End", keys: [.home, .end], "first / last row", group: .move),
        KeyBinding("Enter", keys: [.enter], "fold / unfold; map lanes", group: .move),
        KeyBinding("space", keys: [.character(" ")], "pause / resume", group: .playback),
        KeyBinding("+ -", keys: [.character("+"), .character("-")], "faster / slower", group: .playback),
        KeyBinding(
            "← →", ascii: "Left Right", keys: [.left, .right], "step in time (pauses)",
            group: .playback),
        KeyBinding("g G", keys: [.character("g"), .character("G")], "jump to start / end", group: .playback),
        KeyBinding("L", keys: [.character("L")], "follow live on / off", group: .playback),
        KeyBinding(
            "z x", keys: [.character("z"), .character("x")], "zoom in / out at selection",
            group: .waterfall),
        KeyBinding("h l", keys: [.character("h"), .character("l")], "pan left / right", group: .waterfall),
        KeyBinding("f", keys: [.character("f")], "zoom to selected span", group: .waterfall),
        KeyBinding("0", keys: [.character("0")], "reset zoom (whole run)", group: .waterfall),
        KeyBinding("c", keys: [.character("c")], "critical path on / off", group: .waterfall),
        KeyBinding("d", keys: [.character("d")], "details of selected span", group: .panes),
        KeyBinding("o", keys: [.character("o")], "log pane (node output)", group: .panes),
        KeyBinding("[ ]", keys: [.character("["), .character("]")], "scroll log up / down", group: .panes),
        KeyBinding("/", keys: [.character("/")], "search by name", group: .panes),
        KeyBinding("n N", keys: [.character("n"), .character("N")], "next / previous match", group: .panes),
        KeyBinding("?", keys: [.character("?")], "this help (Esc closes)", group: .panes),
    ]
}

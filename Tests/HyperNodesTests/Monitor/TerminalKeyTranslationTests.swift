import CNcursesw
import HyperNodesMonitor
import Testing

/// What ncurses reads becomes the monitor's keys.
@Suite("Terminal key translation")
struct TerminalKeyTranslationTests {
    @Test(
        "special keys from ncurses' keypad translation",
        arguments: [
            (KEY_UP, Key.up), (KEY_DOWN, .down), (KEY_LEFT, .left), (KEY_RIGHT, .right),
            (KEY_PPAGE, .pageUp), (KEY_NPAGE, .pageDown), (KEY_HOME, .home), (KEY_END, .end),
            (KEY_A1, .home), (KEY_C1, .end), (KEY_A3, .pageUp), (KEY_C3, .pageDown),
            (KEY_ENTER, .enter), (KEY_BTAB, .backTab), (KEY_BACKSPACE, .backspace), (KEY_DC, .delete),
            (hn_key_f(1), .function(1)), (hn_key_f(12), .function(12)), (hn_key_f(24), .function(24)),
        ])
    func keyCodes(code: Int32, key: Key) {
        #expect(KeyTranslation.event(for: .keyCode(code)) == .key(key))
    }

    @Test(
        "character codes: Return, Tab, Escape, Backspace, Ctrl-letters and printable characters",
        arguments: [
            (UInt32(0x0D), Key.enter), (0x0A, .enter), (0x09, .tab), (0x1B, .escape), (0x7F, .backspace),
            (0x08, .backspace), (0x03, .control("c")), (0x01, .control("a")), (0x1A, .control("z")),
            (0x0C, .control("l")), (0x71, .character("q")), (0x20, .character(" ")), (0x3F, .character("?")),
            (0x2F, .character("/")), (0x2B, .character("+")), (0x47, .character("G")), (0xE9, .character("é")),
            (0x4E2D, .character("中")),
        ])
    func characters(code: UInt32, key: Key) {
        #expect(KeyTranslation.event(for: .character(code)) == .key(key))
    }

    @Test("a resize is an event of its own, not a key")
    func resize() {
        #expect(KeyTranslation.event(for: .keyCode(KEY_RESIZE)) == .resize)
    }

    @Test(
        "input without a meaning gives nothing",
        arguments: [
            TerminalInput.keyCode(KEY_MOUSE), .keyCode(hn_key_f(25)), .keyCode(hn_key_f(0)), .keyCode(0x7FFF_FFFF),
            .character(0x00), .character(0x1C), .character(0x1F), .character(0x85), .character(0xD800),
            .character(0x11_0000),
        ])
    func meaningless(input: TerminalInput) {
        #expect(KeyTranslation.event(for: input) == nil)
    }
}

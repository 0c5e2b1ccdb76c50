import HyperNodes
import HyperNodesTelemetry
import Testing

@Suite("Display width")
struct DisplayWidthTests {
    @Test("ASCII, CJK, emoji, flags, joined emoji, combining marks and controls")
    func widths() {
        #expect(DisplayWidth.of("embed") == 5)
        #expect(DisplayWidth.of("東京") == 4)
        #expect(DisplayWidth.of("한국어") == 6)
        #expect(DisplayWidth.of("ｆｕｌｌ") == 8)
        #expect(DisplayWidth.of("🚀") == 2)
        #expect(DisplayWidth.of("⚡") == 2)
        #expect(DisplayWidth.of("👨‍👩‍👧") == 2)
        #expect(DisplayWidth.of("🇯🇵") == 2)
        #expect(DisplayWidth.of("👍🏽") == 2)
        #expect(DisplayWidth.of("❤️") == 2)
        #expect(DisplayWidth.of("cafe\u{301}") == 4)
        #expect(DisplayWidth.of("✓✗⠋█▌") == 5)
        #expect(DisplayWidth.of("a\tb\u{7}") == 2)
        #expect(DisplayWidth.of("") == 0)
    }

    @Test("truncation never splits a wide character and ends with an ellipsis")
    func truncation() {
        #expect(DisplayWidth.truncate("東京都庁", to: 5) == "東京…")
        #expect(DisplayWidth.truncate("東京都庁", to: 4) == "東…")
        #expect(DisplayWidth.truncate("abcdef", to: 6) == "abcdef")
        #expect(DisplayWidth.truncate("abcdef", to: 3) == "ab…")
        #expect(DisplayWidth.truncate("abcdef", to: 1) == "…")
        #expect(DisplayWidth.truncate("abcdef", to: 0) == "")
        #expect(DisplayWidth.truncate("abcdef", to: -3) == "")
        #expect(DisplayWidth.truncate("🚀🚀", to: 3, ellipsis: "") == "🚀")
        #expect(DisplayWidth.pad("東", to: 4) == "東  ")
        #expect(DisplayWidth.pad("東京都", to: 4) == "東京都")
    }
}

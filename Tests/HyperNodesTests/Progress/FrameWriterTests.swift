import Testing

@testable import HyperNodesTelemetry

@Suite("Frame writer")
struct FrameWriterTests {
    static let clearScreen = "\u{1B}[2J"

    @Test("redraws in place: only changed lines are written, nothing when nothing changed")
    func inPlace() {
        var writer = FrameWriter()
        let first = writer.update(["root 1/3", "├─ a ✓", "└─ b ⠋"], columns: 40)
        #expect(first == "root 1/3\u{1B}[K\r\n├─ a ✓\u{1B}[K\r\n└─ b ⠋\u{1B}[K\r\n")
        #expect(writer.update(["root 1/3", "├─ a ✓", "└─ b ⠋"], columns: 40) == "")
        let second = writer.update(["root 2/3", "├─ a ✓", "└─ b ✓"], columns: 40)
        #expect(second == "\r\u{1B}[3Aroot 2/3\u{1B}[K\r\n\n└─ b ✓\u{1B}[K\r\n")
        #expect(!second.contains(Self.clearScreen))
    }

    @Test("a shorter frame erases the lines below it; permanent lines go above the frame")
    func shrinkAndAbove() {
        var writer = FrameWriter()
        _ = writer.update(["a", "b", "c"], columns: 40)
        let shorter = writer.update(["a"], columns: 40)
        #expect(shorter == "\r\u{1B}[3A\n\u{1B}[J")
        let above = writer.update(["a"], above: ["log line"], columns: 40)
        #expect(above == "\r\u{1B}[1A\u{1B}[Jlog line\u{1B}[K\r\na\u{1B}[K\r\n")

        var screen = ScreenEmulator()
        var fresh = FrameWriter()
        for output in [
            fresh.update(["x 0/2", "└─ y ⠋"], columns: 40),
            fresh.update(["x 1/2", "└─ y ✓", "└─ z ⠋"], columns: 40),
            fresh.update(["x 1/2", "└─ z ⠋"], above: ["hello"], columns: 40),
            fresh.update(["x 2/2"], columns: 40),
        ] {
            screen.feed(output)
        }
        #expect(screen.unsupported.isEmpty)
        #expect(screen.screen == ["hello", "x 2/2"])
    }

    @Test("after the terminal narrows, the erase covers lines the terminal wrapped")
    func resize() {
        var writer = FrameWriter()
        _ = writer.update([String(repeating: "x", count: 30), "short"], columns: 40)
        let narrower = writer.update(["new"], columns: 10)
        // 30 cells at 10 columns take 3 rows, plus 1 for "short".
        #expect(narrower.hasPrefix("\r\u{1B}[4A\u{1B}[J"))
        #expect(narrower.hasSuffix("new\u{1B}[K\r\n"))
    }

    @Test("escape codes do not count towards a line's width")
    func stripEscapes() {
        #expect(FrameWriter.stripEscapes("\u{1B}[1mroot\u{1B}[0m \u{1B}[36m⠋\u{1B}[0m") == "root ⠋")
    }
}

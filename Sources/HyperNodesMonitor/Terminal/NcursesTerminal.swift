import CNcursesw
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The monitor's screen: the only code that calls ncurses.
///
/// Not thread-safe, like ncurses itself: create it, draw, read keys and
/// close it on one thread (the UI loop's). It draws a ``CellGrid`` by
/// writing only the cells that changed since the previous grid, and reads
/// keys as ``TerminalEvent``s.
///
/// Opening it sets the locale from the environment (trying `C.UTF-8` when
/// that is not UTF-8); ``unicode`` says whether characters beyond ASCII can
/// be drawn (otherwise they are drawn as `?`: pass `ascii` to the views).
/// ``color`` is on when the terminal has colours and `NO_COLOR` is not set.
/// ``close()`` restores the terminal; until then a crash restores it too
/// (see ``CrashRestore``).
public final class NcursesTerminal {
    /// How long ncurses waits after Escape for the rest of a key's sequence, in milliseconds.
    public static let escapeDelay: Int32 = 25

    /// Whether cells are drawn in colour.
    public let color: Bool
    /// Whether characters beyond ASCII can be drawn.
    public let unicode: Bool
    /// The screen's width in cells.
    public private(set) var width: Int
    /// The screen's height in rows.
    public private(set) var height: Int

    private let screen: OpaquePointer
    private let outputFile: UnsafeMutablePointer<FILE>
    private let inputFile: UnsafeMutablePointer<FILE>
    private var previous: CellGrid?
    private var pairs: [UInt16: Int16] = [:]
    private let colorCount: Int
    private let wideBuffer = UnsafeMutablePointer<wchar_t>.allocate(capacity: 8)
    private var closed = false

    /// Takes over the terminal on `output` (a descriptor of the terminal;
    /// descriptor 1 itself may then be redirected) and reads keys from
    /// standard input.
    ///
    /// - Throws: ``TerminalError`` when standard input or `output` is not a
    ///   terminal, or `TERM` is unset, unknown or cannot move the cursor.
    ///   Nothing has been written to the terminal then.
    public init(output: Int32, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(TerminalError)
    {
        guard isatty(output) == 1, isatty(STDIN_FILENO) == 1 else { throw .notATerminal }
        guard let name = environment["TERM"], !name.isEmpty else { throw .noTerminalType }
        unicode = Self.setUTF8Locale()

        guard name != "dumb" else { throw .cannotAddressCursor(name) }

        var saved = termios()
        guard tcgetattr(output, &saved) == 0 else {
            throw .systemCall("tcgetattr", reason: String(cString: strerror(errno)))
        }
        let descriptor = dup(output)
        guard descriptor >= 0, let outputFile = fdopen(descriptor, "w") else {
            throw .systemCall("fdopen", reason: String(cString: strerror(errno)))
        }
        let inputDescriptor = dup(STDIN_FILENO)
        guard inputDescriptor >= 0, let inputFile = fdopen(inputDescriptor, "r") else {
            fclose(outputFile)
            throw .systemCall("fdopen", reason: String(cString: strerror(errno)))
        }
        guard let screen = newterm(name, outputFile, inputFile) else {
            fclose(outputFile)
            fclose(inputFile)
            throw .unknownTerminal(name)
        }
        guard Self.capability("cup") != nil else {
            endwin()
            delscreen(screen)
            fclose(outputFile)
            fclose(inputFile)
            throw .cannotAddressCursor(name)
        }
        let reset = Self.resetBytes()
        CrashRestore.install(terminal: descriptor, saved: saved, reset: reset)
        self.screen = screen
        self.outputFile = outputFile
        self.inputFile = inputFile
        set_term(screen)
        cbreak()
        noecho()
        nonl()
        intrflush(hn_stdscr(), false)
        keypad(hn_stdscr(), true)
        leaveok(hn_stdscr(), true)
        set_escdelay(Self.escapeDelay)
        curs_set(0)
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        if has_colors() && !noColor && start_color() == OK {
            color = true
            _ = use_default_colors()
            colorCount = Int(hn_colors())
        } else {
            color = false
            colorCount = 0
        }
        width = Int(getmaxx(hn_stdscr()))
        height = Int(getmaxy(hn_stdscr()))
    }

    deinit {
        close()
        wideBuffer.deallocate()
    }

    /// Draws `grid` (normally of the screen's size): only rows and cells that
    /// changed since the last grid are written, then the screen is refreshed.
    public func draw(_ grid: CellGrid) {
        guard !closed else { return }
        let window = hn_stdscr()
        let full = previous.map { $0.width != grid.width || $0.height != grid.height } ?? true
        if full { werase(window) }
        for row in 0..<min(grid.height, height) {
            var first = -1
            var last = -1
            for column in 0..<grid.width where full || grid[column, row] != previous![column, row] {
                if first < 0 { first = column }
                last = column
            }
            guard first >= 0 else { continue }
            if grid[first, row].isContinuation && first > 0 { first -= 1 }
            var column = first
            while column <= last && column < width {
                let cell = grid[column, row]
                let wide = unicode && !cell.isContinuation && grid[column + 1, row].isContinuation
                put(cell, x: column, y: row)
                column += wide ? 2 : 1
            }
        }
        previous = grid
        wrefresh(window)
    }

    /// Waits up to `milliseconds` for a key; `nil` when none came (or the
    /// key means nothing to the monitor). On ``TerminalEvent/resize`` the
    /// size has been read again and the next ``draw(_:)`` redraws everything.
    public func readEvent(timeout milliseconds: Int32) -> TerminalEvent? {
        guard !closed else { return nil }
        let window = hn_stdscr()
        wtimeout(window, milliseconds)
        var character: wint_t = 0
        let result = wget_wch(window, &character)
        let input: TerminalInput
        switch result {
        case OK: input = .character(UInt32(character))
        case KEY_CODE_YES: input = .keyCode(Int32(bitPattern: UInt32(character)))
        default: return nil
        }
        let event = KeyTranslation.event(for: input)
        if event == .resize { resized() }
        return event
    }

    /// Reads the size again and forgets what is on the screen.
    public func resized() {
        width = Int(getmaxx(hn_stdscr()))
        height = Int(getmaxy(hn_stdscr()))
        previous = nil
        clearok(hn_stdscr(), true)
    }

    /// Restores the terminal (normal screen, cursor, settings). Idempotent.
    public func close() {
        guard !closed else { return }
        closed = true
        endwin()
        delscreen(screen)
        fclose(outputFile)
        fclose(inputFile)
        CrashRestore.uninstall()
    }

    // MARK: Drawing cells

    /// Draws one cell; a continuation cell is only reached without
    /// Unicode (the left half of a wide character draws both halves).
    private func put(_ cell: Cell, x: Int, y: Int) {
        var count = 0
        if cell.isContinuation {
            wideBuffer[0] = wchar_t(UInt8(ascii: " "))
            count = 1
        } else if unicode {
            for scalar in cell.character.unicodeScalars.prefix(4) {
                wideBuffer[count] = wchar_t(scalar.value)
                count += 1
            }
        } else {
            let scalar = cell.character.unicodeScalars.first ?? " "
            wideBuffer[0] = scalar.isASCII ? wchar_t(scalar.value) : wchar_t(UInt8(ascii: "?"))
            count = 1
        }
        wideBuffer[count] = 0
        let (attributes, pair) = rendition(of: cell.style)
        var character = cchar_t()
        setcchar(&character, wideBuffer, attributes, pair, nil)
        mvwadd_wch(hn_stdscr(), Int32(y), Int32(x), &character)
    }

    private func rendition(of style: CellStyle) -> (attr_t, Int16) {
        var attributes = hn_attr_normal()
        if style.attributes.contains(.bold) { attributes |= hn_attr_bold() }
        if style.attributes.contains(.dim) { attributes |= hn_attr_dim() }
        if style.attributes.contains(.reverse) { attributes |= hn_attr_reverse() }
        if style.attributes.contains(.underline) { attributes |= hn_attr_underline() }
        guard color, style.foreground != nil || style.background != nil else { return (attributes, 0) }
        let foreground = style.foreground.map { terminalColor($0, bold: &attributes) } ?? -1
        var ignored = attr_t(0)
        let background = style.background.map { terminalColor($0, bold: &ignored) } ?? -1
        return (attributes, pair(foreground: foreground, background: background))
    }

    /// The terminal's number for `color`: a bright colour on an 8-colour
    /// terminal is the normal one drawn bold.
    private func terminalColor(_ color: TerminalColor, bold: inout attr_t) -> Int16 {
        let raw = Int16(color.rawValue)
        if raw >= 8 && colorCount < 16 {
            bold |= hn_attr_bold()
            return raw - 8
        }
        return raw
    }

    /// The colour pair for the two colours (`-1` is the default), created the first time it is needed.
    private func pair(foreground: Int16, background: Int16) -> Int16 {
        let key = UInt16(UInt8(foreground + 1)) | UInt16(UInt8(background + 1)) << 8
        if let pair = pairs[key] { return pair }
        let number = Int16(pairs.count + 1)
        guard Int32(number) < hn_color_pairs(), init_pair(number, foreground, background) == OK else { return 0 }
        pairs[key] = number
        return number
    }

    // MARK: Set-up

    /// Sets the locale from the environment, else `C.UTF-8`; whether the result is UTF-8.
    private static func setUTF8Locale() -> Bool {
        setlocale(LC_ALL, "")
        // Numbers the tool prints after the monitor keep their usual form.
        setlocale(LC_NUMERIC, "C")
        if isUTF8() { return true }
        if setlocale(LC_CTYPE, "C.UTF-8") != nil || setlocale(LC_CTYPE, "C.utf8") != nil {
            return isUTF8()
        }
        return false
    }

    private static func isUTF8() -> Bool {
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: codeset).uppercased()
        return name == "UTF-8" || name == "UTF8"
    }

    /// A string capability of the current terminfo entry, or `nil`.
    private static func capability(_ name: String) -> [UInt8]? {
        guard let value = tigetstr(name), Int(bitPattern: value) != -1 else { return nil }
        return Array(String(cString: value).utf8)
    }

    /// What the crash handler writes: leave the alternate screen, show the
    /// cursor, reset attributes, leave keypad mode.
    private static func resetBytes() -> [UInt8] {
        let fallback: [String: String] = [
            "rmcup": "\u{1B}[?1049l", "cnorm": "\u{1B}[?25h", "sgr0": "\u{1B}[0m", "rmkx": "",
        ]
        return ["sgr0", "rmkx", "rmcup", "cnorm"].flatMap { capability($0) ?? Array(fallback[$0, default: ""].utf8) }
    }
}

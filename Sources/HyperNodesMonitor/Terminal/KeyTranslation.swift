import CNcursesw

/// What the terminal library read from the keyboard: a character, or the
/// code of a special key (`get_wch` returning `KEY_CODE_YES`).
public enum TerminalInput: Sendable, Hashable {
    /// A character code (`get_wch` returned `OK`).
    case character(UInt32)
    /// A key code such as `KEY_UP` or `KEY_RESIZE`.
    case keyCode(Int32)
}

/// What one read from the keyboard means to the monitor.
public enum TerminalEvent: Sendable, Hashable {
    /// A key the user pressed.
    case key(Key)
    /// The terminal changed size: read the size again and redraw everything.
    case resize
}

/// Turns what ncurses reads into ``Key``s: a pure function, so the table is
/// tested without a terminal.
public enum KeyTranslation {
    /// The highest function key translated (`F1`…`F24`).
    public static let maximumFunctionKey = 24

    /// The event `input` stands for, or `nil` for input the monitor has no
    /// use for (a mouse event, an unknown key code, a control code that is
    /// not a letter).
    public static func event(for input: TerminalInput) -> TerminalEvent? {
        switch input {
        case .character(let code): character(code).map { .key($0) }
        case .keyCode(let code): keyCode(code)
        }
    }

    /// A character code: Return, Tab, Escape and Backspace by their ASCII
    /// codes, other control codes as Ctrl-letters, everything else printable.
    static func character(_ code: UInt32) -> Key? {
        switch code {
        case 0x0D, 0x0A: return .enter
        case 0x09: return .tab
        case 0x1B: return .escape
        case 0x7F, 0x08: return .backspace
        case 0x01...0x1A:
            return .control(Character(Unicode.Scalar(UInt8(code) + 0x60)))
        case 0x00..<0x20, 0x80..<0xA0:
            return nil
        default:
            guard let scalar = Unicode.Scalar(code) else { return nil }
            return .character(Character(scalar))
        }
    }

    /// A key code from ncurses' keypad translation.
    static func keyCode(_ code: Int32) -> TerminalEvent? {
        switch code {
        case KEY_RESIZE: return .resize
        case KEY_UP: return .key(.up)
        case KEY_DOWN: return .key(.down)
        case KEY_LEFT: return .key(.left)
        case KEY_RIGHT: return .key(.right)
        case KEY_PPAGE, KEY_A3: return .key(.pageUp)
        case KEY_NPAGE, KEY_C3: return .key(.pageDown)
        case KEY_HOME, KEY_A1: return .key(.home)
        case KEY_END, KEY_C1: return .key(.end)
        case KEY_ENTER: return .key(.enter)
        case KEY_BTAB: return .key(.backTab)
        case KEY_BACKSPACE: return .key(.backspace)
        case KEY_DC: return .key(.delete)
        default:
            let function = code - hn_key_f(0)
            if (1...Int32(maximumFunctionKey)).contains(function) { return .key(.function(Int(function))) }
            return nil
        }
    }
}

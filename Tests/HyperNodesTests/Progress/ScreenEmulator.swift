import HyperNodes
import HyperNodesTelemetry

/// A minimal terminal for checking what progress output leaves on screen:
/// printable text (wide characters take two cells), `\r`, `\n`, cursor up
/// (`ESC[nA`), erase to end of line (`ESC[K`), erase below (`ESC[J`);
/// colours are ignored. The screen grows downwards without limit, so the
/// whole history stays visible. Any other escape sequence is an error.
struct ScreenEmulator {
    private(set) var lines: [[Character]] = [[]]
    private(set) var row = 0
    private(set) var column = 0
    private(set) var unsupported: [String] = []

    /// The screen's lines, trailing spaces removed, without empty lines at the end.
    var screen: [String] {
        var text = lines.map { String($0).replacingOccurrences(of: "\u{0}", with: "") }
            .map { String($0.reversed().drop { $0 == " " }.reversed()) }
        while text.last == "" { text.removeLast() }
        return text
    }

    mutating func feed(_ output: String) {
        var characters = output[...]
        while let character = characters.first {
            characters = characters.dropFirst()
            switch character {
            case "\r": column = 0
            case "\n", "\r\n":
                if character == "\r\n" { column = 0 }
                row += 1
                if row == lines.count { lines.append([]) }
            case "\u{1B}":
                guard characters.first == "[" else {
                    unsupported.append("ESC without [")
                    continue
                }
                characters = characters.dropFirst()
                var parameter = ""
                while let next = characters.first, next.isNumber || next == ";" {
                    parameter.append(next)
                    characters = characters.dropFirst()
                }
                guard let command = characters.first else { return }
                characters = characters.dropFirst()
                switch command {
                case "A": row = max(0, row - (Int(parameter) ?? 1))
                case "K": lines[row] = Array(lines[row].prefix(column))
                case "J":
                    lines[row] = Array(lines[row].prefix(column))
                    lines.removeSubrange((row + 1)...)
                case "m": break
                default: unsupported.append("ESC[\(parameter)\(command)")
                }
            default:
                let width = DisplayWidth.of(character)
                while lines[row].count < column { lines[row].append(" ") }
                if column < lines[row].count {
                    lines[row].replaceSubrange(column..<min(lines[row].count, column + 1), with: [character])
                } else {
                    lines[row].append(character)
                }
                // A wide character covers the next cell too.
                if width == 2 {
                    if column + 1 < lines[row].count {
                        lines[row][column + 1] = "\u{0}"
                    } else {
                        lines[row].append("\u{0}")
                    }
                }
                column += max(1, width)
            }
        }
    }
}

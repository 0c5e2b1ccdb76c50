import Foundation
import HyperNodesMonitor
import Testing

/// Golden files of the monitor's frames, kept in `Tests/HyperNodesTests/Monitor/Golden`.
///
/// A frame is stored as its text; a colour frame adds a second block with
/// one letter per cell naming its style (`.` is the plain style) and a
/// legend of the letters. Run with `HYPERNODES_UPDATE_GOLDEN=1` to rewrite
/// the files from the current output (then review the diff).
enum ViewGolden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Golden", isDirectory: true)

    /// The grid as text, and with `styles` its style map and legend.
    static func render(_ grid: CellGrid, styles: Bool) -> String {
        let border = "+" + String(repeating: "-", count: grid.width) + "+"
        var out = border + "\n"
        for line in grid.lines { out += line + "\n" }
        out += border + "\n"
        guard styles else { return out }
        var letters: [CellStyle: Character] = [.plain: "."]
        var legend: [(Character, CellStyle)] = []
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        for row in 0..<grid.height {
            var line = ""
            for column in 0..<grid.width {
                let style = grid[column, row].style
                if letters[style] == nil {
                    let letter = legend.count < alphabet.count ? alphabet[legend.count] : "?"
                    letters[style] = letter
                    legend.append((letter, style))
                }
                line.append(letters[style] ?? "?")
            }
            while line.last == "." { line.removeLast() }
            out += line + "\n"
        }
        for (letter, style) in legend { out += "\(letter) = \(describe(style))\n" }
        return out
    }

    /// A style in words: `fg=green bg=blue bold reverse`.
    static func describe(_ style: CellStyle) -> String {
        var parts: [String] = []
        if let foreground = style.foreground { parts.append("fg=\(foreground)") }
        if let background = style.background { parts.append("bg=\(background)") }
        let names: [(CellAttributes, String)] = [
            (.bold, "bold"), (.dim, "dim"), (.reverse, "reverse"),
            (.underline, "underline"),
        ]
        for (attribute, name) in names where style.attributes.contains(attribute) { parts.append(name) }
        return parts.isEmpty ? "plain" : parts.joined(separator: " ")
    }

    /// Compares frames under titles with the golden file `name`.
    static func check(
        _ frames: [(title: String, grid: CellGrid, styles: Bool)], named name: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let text = frames.map {
            "── \($0.title) (\($0.grid.width)x\($0.grid.height))\n" + render($0.grid, styles: $0.styles)
        }
        .joined(separator: "\n")
        try Golden.check(text, named: name, in: directory, sourceLocation: sourceLocation)
    }
}

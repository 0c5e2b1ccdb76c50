import Foundation
import HyperNodesTrace

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Asks on the terminal which of several processes `hypernodes attach` should attach to.
enum LiveChooser {
    /// Why nothing was chosen.
    struct NoChoice: Error, CustomStringConvertible {
        let description: String
    }

    /// The socket of the process the user picks by number from a numbered list.
    ///
    /// - Throws: ``NoChoice`` listing the processes when standard input or output is not a terminal,
    ///   and when the user gives no valid number (an empty line, `q`, end of input).
    static func choose(from entries: [LiveCatalog.Entry]) throws(NoChoice) -> String {
        let table = PsTable.render(entries, numbered: true)
        guard isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 else {
            throw NoChoice(
                description: "\(entries.count) processes can be attached to; name one by its pid:\n"
                    + table.joined(separator: "\n"))
        }
        print("\(entries.count) processes can be attached to:")
        for line in table { print(line) }
        while true {
            print("Attach to which one? [1-\(entries.count), q to cancel] ", terminator: "")
            fflush(nil)
            guard let answer = readLine()?.trimmingCharacters(in: .whitespaces), !answer.isEmpty, answer != "q"
            else {
                throw NoChoice(description: "no process chosen")
            }
            if let number = Int(answer), (1...entries.count).contains(number) {
                return entries[number - 1].socketPath
            }
            print("'\(answer)' is not a number between 1 and \(entries.count).")
        }
    }
}

import ArgumentParser

/// The `hypernodes` command-line tool: the root command, which only groups
/// the subcommands.
@main
struct HypernodesCommand: AsyncParsableCommand {
    /// The tool's version, printed by `hypernodes --version`.
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "hypernodes",
        abstract: "Run, watch and inspect HyperNodes pipelines.",
        discussion: """
            Every run of a HyperNodes pipeline can be observed through its events. \
            Without a subcommand, `hypernodes` runs the built-in demo pipeline live in the \
            full-screen monitor (`hypernodes monitor`); `hypernodes demo` runs it with plain \
            progress, and `hypernodes replay FILE` shows a recorded trace in the monitor. \
            `hypernodes monitor -- PROGRAM` launches a program and watches its pipelines live; \
            `hypernodes ps` lists running processes that can be watched, and `hypernodes attach` \
            watches one.
            """,
        version: version,
        subcommands: [
            MonitorCommand.self, ReplayCommand.self, AttachCommand.self, PsCommand.self, DemoCommand.self,
            SummaryCommand.self, ExportCommand.self,
        ],
        defaultSubcommand: MonitorCommand.self
    )

    /// Unblocks the termination signals, then parses and runs the command.
    static func main() async {
        TerminationSignals.unblock()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

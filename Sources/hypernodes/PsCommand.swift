import ArgumentParser
import Foundation
import HyperNodesTrace

/// `hypernodes ps`: the processes whose pipelines can be watched live.
struct PsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ps",
        abstract: "List the running processes whose pipelines can be watched with `hypernodes attach`.",
        discussion: """
            A process can be attached to when its pipeline serves its runs live: it was started with \
            HYPERNODES_LIVE=1 (as `hypernodes monitor -- PROGRAM` does) or adds a LiveServer itself. \
            Each row shows its pid, command line, the pipeline of its newest run, when it started, \
            whether a run is still going (running) or all have ended (finished), and how many monitors \
            are attached. Sockets left behind by processes that have ended are removed, and listed. \
            The sockets live in $HYPERNODES_LIVE_DIR if set, else $XDG_RUNTIME_DIR/hypernodes, else \
            /tmp/hypernodes-<uid>.
            """
    )

    func run() throws {
        let directory = LiveDirectory(path: LiveDirectory.path())
        let listing: LiveListing
        do {
            listing = try LiveListing.read(directory)
        } catch {
            throw ExitCode(TraceInput.failure("ps", error.description))
        }
        for path in listing.removedStale {
            print("Removed the stale socket \(path) (its process has ended).")
        }
        guard !listing.entries.isEmpty else {
            print("No attachable HyperNodes process (looked in \(directory.path)).")
            return
        }
        for line in PsTable.render(listing.entries) { print(line) }
    }
}

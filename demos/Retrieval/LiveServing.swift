import Foundation
import HyperNodesTrace

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Serving the runs live, for `hypernodes attach` and `hypernodes monitor -- retrieval`.
enum LiveServing {
    /// The process's shared server when `HYPERNODES_LIVE` is set (as `hypernodes monitor
    /// -- PROGRAM` sets it), else with `requested` (`--live`) a server of its own, else
    /// `nil`. When the server cannot start, says why on stderr and returns `nil`: the
    /// run goes on without it.
    static func start(requested: Bool) -> LiveServer? {
        do {
            if let shared = try LiveServer.fromEnvironment() { return shared }
            return requested ? try LiveServer() : nil
        } catch {
            FileHandle.standardError.write(Data("retrieval: not serving live: \(error)\n".utf8))
            return nil
        }
    }

    /// The line that tells where the runs are served and how to watch them.
    static func announcement(_ server: LiveServer) -> String {
        "Serving live on \(server.socketPath); watch it with: hypernodes attach \(getpid())"
    }
}

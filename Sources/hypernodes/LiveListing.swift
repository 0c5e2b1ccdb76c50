import Foundation
import HyperNodesTrace

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The attachable processes of a live directory, for `ps` and `attach`, and the stale sockets
/// removed on the way.
struct LiveListing {
    /// The processes, by pid.
    var entries: [LiveCatalog.Entry]
    /// Sockets of processes that have ended, removed.
    var removedStale: [String]

    /// Why a directory cannot be listed.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Lists `directory`; a directory that does not exist has no processes.
    ///
    /// - Throws: ``Failure`` when the directory is not safe to use (another user's, loose permissions,
    ///   a symbolic link): the message names it and the fix.
    static func read(_ directory: LiveDirectory) throws(Failure) -> LiveListing {
        var info = stat()
        guard lstat(directory.path, &info) == 0 else { return LiveListing(entries: [], removedStale: []) }
        do {
            try directory.check()
        } catch {
            throw Failure(description: error.description)
        }
        let (entries, removed) = LiveCatalog.list(in: directory)
        return LiveListing(entries: entries, removedStale: removed)
    }
}

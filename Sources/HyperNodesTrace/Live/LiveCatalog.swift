import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The processes a user can attach to: the live servers with a socket in a
/// ``LiveDirectory``.
public enum LiveCatalog {
    /// One attachable process.
    public struct Entry: Sendable {
        /// The server's socket.
        public var socketPath: String
        /// The process id (from the socket's name).
        public var pid: Int32
        /// What the server said about itself.
        public var status: LiveStatus

        /// Creates an entry.
        public init(socketPath: String, pid: Int32, status: LiveStatus) {
            self.socketPath = socketPath
            self.pid = pid
            self.status = status
        }
    }

    /// Every attachable process in `directory`, by pid, each asked for its
    /// status (waiting at most `timeout` for each). Sockets of dead
    /// processes (no such pid, or nobody listening; also a `<pid>.new` socket
    /// of a process that died while starting its server) are removed and
    /// returned in `removedStale`; a socket whose server does not answer in
    /// time is left alone and not listed.
    public static func list(
        in directory: LiveDirectory, timeout: Duration = .milliseconds(500)
    ) -> (entries: [Entry], removedStale: [String]) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return ([], []) }
        var entries: [Entry] = []
        var removed: [String] = []
        for name in names.sorted() {
            if name.hasSuffix(".new"), let pid = Int32(name.dropLast(4)), pid > 0 {
                // A socket still being set up, or left by a process that died while starting.
                let path = directory.path + (directory.path.hasSuffix("/") ? "" : "/") + name
                var info = stat()
                if lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFSOCK, kill(pid, 0) != 0, errno == ESRCH,
                    unlink(path) == 0
                {
                    removed.append(path)
                }
                continue
            }
            guard name.hasSuffix(".sock"), let pid = Int32(name.dropLast(5)), pid > 0 else { continue }
            let path = directory.socketPath(pid: pid)
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFSOCK else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                if unlink(path) == 0 { removed.append(path) }
                continue
            }
            switch LiveConnection.open(path) {
            case .failure(let failure):
                if failure.code == ECONNREFUSED, unlink(path) == 0 { removed.append(path) }
            case .success(let descriptor):
                let connection = LiveConnection(socketPath: path, descriptor: descriptor)
                guard let status = try? connection.status(timeout: timeout) else { continue }
                entries.append(Entry(socketPath: path, pid: pid, status: status))
            }
        }
        entries.sort { $0.pid < $1.pid }
        return (entries, removed)
    }
}

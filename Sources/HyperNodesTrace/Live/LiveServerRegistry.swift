import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The live servers of this process: the socket paths in use (two servers
/// of one process must not share a path), the shared server that
/// ``LiveServer/fromEnvironment(_:)`` returns, and the exit handler that
/// closes every server (clients get `live_end`, sockets are removed) when
/// the process exits normally.
enum LiveServerRegistry {
    private struct WeakServer: @unchecked Sendable {
        weak var server: LiveServer?
    }

    private static let servers = Mutex<[String: WeakServer]>([:])
    private static let exitHandler = Mutex(false)
    static let shared = Mutex<LiveServer?>(nil)

    /// Claims `path` for `server`; `false` when another server of this process holds it.
    static func claim(_ path: String, for server: LiveServer) -> Bool {
        let claimed = servers.withLock { servers -> Bool in
            if servers[path]?.server != nil { return false }
            servers[path] = WeakServer(server: server)
            return true
        }
        if claimed { installExitHandler() }
        return claimed
    }

    /// Gives `path` back.
    static func release(_ path: String) {
        _ = servers.withLock { $0.removeValue(forKey: path) }
    }

    private static func installExitHandler() {
        let install = exitHandler.withLock { installed -> Bool in
            defer { installed = true }
            return !installed
        }
        if install { atexit { LiveServerRegistry.closeAll() } }
    }

    /// Closes every server (at process exit).
    static func closeAll() {
        let open = servers.withLock { $0.values.compactMap(\.server) }
        for server in open { server.close() }
    }
}

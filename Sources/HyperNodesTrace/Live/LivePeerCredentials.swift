#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Who is at the other end of a Unix socket (`SO_PEERCRED`), and whether
/// a live server lets them in: only processes of the server's own user.
struct LivePeerCredentials: Sendable, Hashable {
    /// The peer's process id.
    var pid: Int32
    /// The peer's user id.
    var uid: UInt32
    /// The peer's group id.
    var gid: UInt32

    /// The credentials of the peer of the connected socket `descriptor`,
    /// or `nil` when the system does not tell.
    static func of(_ descriptor: Int32) -> LivePeerCredentials? {
        #if os(Linux)
            // struct ucred: pid_t pid; uid_t uid; gid_t gid.
            var raw: (Int32, UInt32, UInt32) = (0, 0, 0)
            var length = socklen_t(MemoryLayout.size(ofValue: raw))
            guard getsockopt(descriptor, SOL_SOCKET, SO_PEERCRED, &raw, &length) == 0,
                length == socklen_t(MemoryLayout.size(ofValue: raw))
            else { return nil }
            return LivePeerCredentials(pid: raw.0, uid: raw.1, gid: raw.2)
        #else
            var uid = uid_t()
            var gid = gid_t()
            guard getpeereid(descriptor, &uid, &gid) == 0 else { return nil }
            return LivePeerCredentials(pid: 0, uid: uid, gid: gid)
        #endif
    }

    /// Whether a server running as `serverUID` serves a peer with these
    /// credentials: only the same user. Unknown credentials are refused.
    static func admits(_ peer: LivePeerCredentials?, serverUID: UInt32) -> Bool {
        guard let peer else { return false }
        return peer.uid == serverUID
    }
}

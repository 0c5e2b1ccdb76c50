#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The address of a Unix socket, built only from a path that fits: a longer
/// path would be cut short by `bind` or `connect`, so it is refused with a
/// message naming the path, its length and the limit.
struct LiveSocketAddress {
    /// The most bytes of a socket path (`sun_path` holds 108, one for the terminating zero).
    static let maximumPathLength = MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1

    private(set) var storage = sockaddr_un()

    /// Why `path` cannot be a socket path, or `nil` when it can.
    static func problem(with path: String) -> String? {
        let length = path.utf8.count
        if length == 0 { return "the socket path is empty" }
        if path.utf8.contains(0) { return "the socket path contains a zero byte" }
        if length > maximumPathLength {
            return "the socket path is \(length) bytes long; a Unix socket path holds at most "
                + "\(maximumPathLength) bytes (set HYPERNODES_LIVE_DIR to a shorter directory)"
        }
        return nil
    }

    /// The address of `path`, or `nil` when ``problem(with:)`` finds one.
    init?(path: String) {
        guard Self.problem(with: path) == nil else { return nil }
        storage.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &storage.sun_path) { raw in
            raw.copyBytes(from: path.utf8)
            raw[path.utf8.count] = 0
        }
    }

    /// Calls `body` with the address as a generic socket address and its length.
    func withSocketAddress<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> Result) -> Result {
        withUnsafePointer(to: storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                body($0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
    }
}

/// The text of the current `errno`.
func errnoText(_ code: Int32 = errno) -> String {
    String(cString: strerror(code))
}

import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The per-user directory where live servers put their sockets, one
/// `<pid>.sock` per process.
///
/// ``resolve(environment:)`` picks it from the environment:
/// `HYPERNODES_LIVE_DIR` when set, else `$XDG_RUNTIME_DIR/hypernodes` when
/// `XDG_RUNTIME_DIR` is an absolute path, else `/tmp/hypernodes-<uid>`. It
/// creates the directory with mode 0700, and refuses one that another user
/// could reach or replace: a symbolic link, something that is not a
/// directory, a directory owned by another user or with any group or other
/// permission bit. Each refusal names the path, what was found and the fix.
public struct LiveDirectory: Sendable, Hashable {
    /// The directory's path.
    public let path: String

    /// A directory at `path`, taken as it is (no checks, nothing created).
    public init(path: String) {
        self.path = path
    }

    /// The path of the socket of process `pid` in this directory.
    public func socketPath(pid: Int32) -> String {
        (path.hasSuffix("/") ? path : path + "/") + "\(pid).sock"
    }

    /// The directory the environment names (see the type's description),
    /// not yet created or checked. A relative `HYPERNODES_LIVE_DIR` is taken
    /// from the current directory and made absolute, so a server and a client
    /// started in different directories do not look in different places.
    public static func path(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit = environment["HYPERNODES_LIVE_DIR"], !explicit.isEmpty {
            if explicit.hasPrefix("/") { return explicit }
            let current = FileManager.default.currentDirectoryPath
            return (current.hasSuffix("/") ? current : current + "/") + explicit
        }
        if let runtime = environment["XDG_RUNTIME_DIR"], runtime.hasPrefix("/") {
            return (runtime.hasSuffix("/") ? runtime : runtime + "/") + "hypernodes"
        }
        return "/tmp/hypernodes-\(geteuid())"
    }

    /// The directory the environment names, created if missing and checked.
    ///
    /// - Throws: ``LiveServerError`` naming the directory when it cannot be
    ///   created, or when it is unsafe (see the type's description).
    public static func resolve(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(LiveServerError) -> LiveDirectory {
        let directory = LiveDirectory(path: path(environment: environment))
        try directory.prepare()
        return directory
    }

    /// Creates the directory (mode 0700) when it does not exist, then checks it.
    public func prepare() throws(LiveServerError) {
        if mkdir(path, 0o700) == 0 {
            // The umask can only remove bits; make sure the owner has all three.
            _ = chmod(path, 0o700)
        } else if errno != EEXIST {
            let code = errno
            throw LiveServerError(path: path, reason: "cannot create the directory: \(errnoText(code))")
        }
        try check()
    }

    /// Checks that the directory exists, is a real directory owned by the
    /// current user and that nobody else has any permission on it.
    public func check() throws(LiveServerError) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            let code = errno
            throw LiveServerError(path: path, reason: "cannot inspect the directory: \(errnoText(code))")
        }
        let type = info.st_mode & S_IFMT
        if type == S_IFLNK {
            throw LiveServerError(
                path: path,
                reason: "is a symbolic link, expected a real directory (remove the link: rm '\(path)', "
                    + "or set HYPERNODES_LIVE_DIR to a directory of your own)")
        }
        guard type == S_IFDIR else {
            throw LiveServerError(
                path: path,
                reason: "is not a directory (remove it: rm '\(path)', "
                    + "or set HYPERNODES_LIVE_DIR to a directory of your own)")
        }
        let user = geteuid()
        guard info.st_uid == user else {
            throw LiveServerError(
                path: path,
                reason: "is owned by uid \(info.st_uid), expected uid \(user) (you): another user could read "
                    + "or replace the sockets in it (remove it, or set HYPERNODES_LIVE_DIR to a directory of your own)")
        }
        let mode = info.st_mode & 0o7777
        guard mode & 0o077 == 0 else {
            throw LiveServerError(
                path: path,
                reason: "has mode \(Self.octal(mode)), expected 0700 (no access for group or others): "
                    + "chmod 700 '\(path)'")
        }
    }

    static func octal(_ mode: mode_t) -> String {
        let digits = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

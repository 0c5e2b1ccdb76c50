import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A pseudo-terminal for progress output: the benchmark writes to its slave
/// side, and a `cat` child process reads the master side and throws the bytes
/// away, as a terminal emulator would read them (so writes never block for
/// long and the reading costs another process's time, not the benchmark's).
final class PseudoTerminal {
    /// The terminal side: a descriptor that `isatty` and reports the size given.
    let slave: Int32
    private let drain: pid_t
    private var closed = false

    /// Opens a pseudo-terminal of `columns` × `rows` cells and starts its reader.
    init(columns: Int, rows: Int) throws {
        let (master, slave) = try Self.openPair()
        var size = winsize(ws_row: UInt16(rows), ws_col: UInt16(columns), ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(slave, UInt(TIOCSWINSZ), &size)

        // The reader gets the master side as its standard input. The slave is
        // closed on exec, so the reader does not hold it and sees the end of
        // its input (EIO) once the slave is closed here.
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, master, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var arguments: [UnsafeMutablePointer<CChar>?] = [strdup("cat"), nil]
        defer { for pointer in arguments { free(pointer) } }
        var environment: [UnsafeMutablePointer<CChar>?] = [nil]
        var pid: pid_t = 0
        let result = posix_spawnp(&pid, "cat", &actions, nil, &arguments, &environment)
        Glibc.close(master)
        guard result == 0 else {
            Glibc.close(slave)
            throw Failure("cannot start cat to read the pseudo-terminal: \(String(cString: strerror(result)))")
        }
        self.slave = slave
        self.drain = pid
    }

    /// Opens `/dev/ptmx`, unlocks its slave and opens that: both closed on exec.
    /// (glibc's `posix_openpt`, `grantpt`, `unlockpt` and `ptsname` are not
    /// visible from Swift; these are the ioctls they make.)
    private static func openPair() throws -> (master: Int32, slave: Int32) {
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard master >= 0 else { throw Failure("open /dev/ptmx: \(String(cString: strerror(errno)))") }
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard ioctl(master, tiocsptlck, &unlock) == 0, ioctl(master, tiocgptn, &number) == 0 else {
            let message = String(cString: strerror(errno))
            Glibc.close(master)
            throw Failure("unlocking the pseudo-terminal: \(message)")
        }
        let slave = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard slave >= 0 else {
            let message = String(cString: strerror(errno))
            Glibc.close(master)
            throw Failure("open /dev/pts/\(number): \(message)")
        }
        return (master, slave)
    }

    /// `TIOCSPTLCK` and `TIOCGPTN` (Linux, `_IOW('T', 0x31, int)` and `_IOR('T', 0x30, unsigned int)`).
    private static let tiocsptlck: UInt = 0x4004_5431
    private static let tiocgptn: UInt = 0x8004_5430

    /// Closes the terminal side and waits for the reader to end.
    func close() {
        guard !closed else { return }
        closed = true
        Glibc.close(slave)
        var status: Int32 = 0
        while waitpid(drain, &status, 0) < 0, errno == EINTR {}
    }

    deinit { close() }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = "pseudo-terminal: \(description)" }
    }
}

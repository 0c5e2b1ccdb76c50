import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A live server's socket file and its closing flag, shared by the server
/// and its socket thread. The path is kept as a C string allocated once, so
/// removing the file needs no allocation (it may happen while the process
/// is being ended).
// Unchecked: the C string is written once, before the object is shared, and only read after.
final class LiveSocketFile: @unchecked Sendable {
    /// The socket's path.
    let path: String
    private let pathC: UnsafeMutablePointer<CChar>
    private let removed = Atomic<Bool>(false)
    private let closingFlag = Atomic<Bool>(false)

    init(path: String) {
        self.path = path
        pathC = strdup(path)
    }

    deinit {
        free(pathC)
    }

    /// Whether the server is closing.
    var isClosing: Bool { closingFlag.load(ordering: .sequentiallyConsistent) }

    /// Tells the socket thread to finish.
    func startClosing() {
        closingFlag.store(true, ordering: .sequentiallyConsistent)
    }

    /// Removes the socket file (once).
    func remove() {
        guard !removed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        _ = unlink(pathC)
    }
}

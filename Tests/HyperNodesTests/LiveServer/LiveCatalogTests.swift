import Foundation
import Testing

@testable import HyperNodesTrace

#if canImport(Glibc)
    import Glibc
#endif

/// A socket file at `path` that nobody listens on.
private func deadSocket(_ path: String) throws {
    let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    let address = try #require(LiveSocketAddress(path: path))
    #expect(address.withSocketAddress { bind(descriptor, $0, $1) } == 0)
    close(descriptor)
}

/// The pid of a process that has ended.
private func deadPID() -> Int32 {
    var pid: pid_t = 0
    let program = strdup("/bin/true")
    defer { free(program) }
    let arguments: [UnsafeMutablePointer<CChar>?] = [program, nil]
    guard posix_spawn(&pid, "/bin/true", nil, nil, arguments, nil) == 0 else { return 999_999 }
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    return pid
}

@Suite("Live catalog")
struct LiveCatalogTests {
    @Test("lists a live server and removes the sockets of dead processes")
    func listsAndCleans() throws {
        let directory = ShortDirectory()
        let server = try LiveServer(options: liveOptions(directory))
        let dead = directory.file("\(deadPID()).sock")
        try deadSocket(dead)
        // pid 1 exists but does not listen here: refused, so stale too.
        let refused = directory.file("1.sock")
        try deadSocket(refused)
        // A server that died while starting leaves its socket under the temporary name.
        let unfinished = directory.file("\(deadPID()).new")
        try deadSocket(unfinished)
        _ = FileManager.default.createFile(atPath: directory.file("notes.txt"), contents: Data())

        let (entries, removed) = LiveCatalog.list(in: directory.directory)
        #expect(entries.map(\.pid) == [getpid()])
        #expect(entries.first?.socketPath == server.socketPath)
        #expect(entries.first?.status.pid == getpid())
        #expect(Set(removed) == [dead, refused, unfinished])
        #expect(!FileManager.default.fileExists(atPath: dead))
        #expect(!FileManager.default.fileExists(atPath: refused))
        #expect(FileManager.default.fileExists(atPath: directory.file("notes.txt")))
        server.close()
        #expect(LiveCatalog.list(in: directory.directory).entries.isEmpty)
    }

    @Test("a missing directory lists nothing")
    func missingDirectory() {
        let (entries, removed) = LiveCatalog.list(in: LiveDirectory(path: "/nonexistent-\(getpid())"))
        #expect(entries.isEmpty && removed.isEmpty)
    }
}

import Foundation
import Testing

@testable import HyperNodesTrace

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Live socket directory")
struct LiveDirectoryTests {
    @Test("the directory comes from HYPERNODES_LIVE_DIR, else XDG_RUNTIME_DIR, else /tmp/hypernodes-<uid>")
    func resolution() {
        #expect(
            LiveDirectory.path(environment: ["HYPERNODES_LIVE_DIR": "/x/y", "XDG_RUNTIME_DIR": "/run/u"]) == "/x/y")
        #expect(LiveDirectory.path(environment: ["XDG_RUNTIME_DIR": "/run/user/7"]) == "/run/user/7/hypernodes")
        #expect(LiveDirectory.path(environment: ["XDG_RUNTIME_DIR": "relative"]) == "/tmp/hypernodes-\(geteuid())")
        #expect(LiveDirectory.path(environment: ["HYPERNODES_LIVE_DIR": ""]) == "/tmp/hypernodes-\(geteuid())")
        let current = FileManager.default.currentDirectoryPath
        #expect(
            LiveDirectory.path(environment: ["HYPERNODES_LIVE_DIR": "live"])
                == (current == "/" ? "/live" : current + "/live"))
        #expect(LiveDirectory(path: "/a/b/").socketPath(pid: 42) == "/a/b/42.sock")
    }

    @Test("a missing directory is created with mode 0700")
    func createsPrivateDirectory() throws {
        let parent = ShortDirectory()
        let path = parent.file("live")
        let directory = try LiveDirectory.resolve(environment: ["HYPERNODES_LIVE_DIR": path])
        #expect(directory.path == path)
        var info = stat()
        #expect(lstat(path, &info) == 0)
        #expect(info.st_mode & S_IFMT == S_IFDIR)
        #expect(info.st_mode & 0o777 == 0o700)
        try directory.check()  // and an existing good one passes
    }

    @Test("a directory with group or other permissions is refused with the chmod to fix it")
    func loosePermissions() throws {
        let parent = ShortDirectory()
        let path = parent.file("live")
        mkdir(path, 0o700)
        chmod(path, 0o755)
        let error = try #require(throws: LiveServerError.self) { try LiveDirectory(path: path).prepare() }
        #expect(error.path == path)
        #expect(error.description.contains("mode 0755"))
        #expect(error.description.contains("chmod 700 '\(path)'"))
        var options = liveOptions(parent)
        options.directory = LiveDirectory(path: path)
        #expect(throws: LiveServerError.self) { try LiveServer(options: options) }
    }

    @Test("a directory owned by another user is refused, naming both uids")
    func otherOwner() throws {
        let parent = ShortDirectory()
        let path = parent.file("live")
        mkdir(path, 0o700)
        guard chown(path, 65534, 65534) == 0 else {
            Issue.record("cannot chown (not root?): \(String(cString: strerror(errno)))")
            return
        }
        let error = try #require(throws: LiveServerError.self) { try LiveDirectory(path: path).prepare() }
        #expect(error.description.contains("owned by uid 65534"))
        #expect(error.description.contains("expected uid \(geteuid())"))
        #expect(error.description.contains(path))
    }

    @Test("a symbolic link in place of the directory is refused, even to a good directory")
    func symbolicLink() throws {
        let parent = ShortDirectory()
        let target = parent.file("real")
        mkdir(target, 0o700)
        let link = parent.file("live")
        #expect(symlink(target, link) == 0)
        let error = try #require(throws: LiveServerError.self) { try LiveDirectory(path: link).prepare() }
        #expect(error.description.contains("symbolic link"))
        #expect(error.description.contains(link))
    }

    @Test("a file in place of the directory is refused")
    func notADirectory() throws {
        let parent = ShortDirectory()
        let path = parent.file("live")
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        let error = try #require(throws: LiveServerError.self) { try LiveDirectory(path: path).prepare() }
        #expect(error.description.contains("not a directory"))
    }

    @Test("a directory that cannot be created is an error naming it")
    func cannotCreate() throws {
        let path = "/nonexistent-\(getpid())/live"
        let error = try #require(throws: LiveServerError.self) {
            try LiveDirectory.resolve(environment: ["HYPERNODES_LIVE_DIR": path])
        }
        #expect(error.path == path)
        #expect(error.description.contains("cannot create the directory"))
    }

    @Test("a socket path longer than sun_path is a clear error for the server and the client")
    func pathTooLong() throws {
        let parent = ShortDirectory()
        var path = parent.path
        while path.utf8.count < 110 { path += "/dddddddddddddddddddd" }
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        chmod(path, 0o700)
        var options = liveOptions(parent)
        options.directory = LiveDirectory(path: path)
        let socketPath = LiveDirectory(path: path).socketPath(pid: getpid())
        let error = try #require(throws: LiveServerError.self) { try LiveServer(options: options) }
        #expect(error.path == socketPath)
        #expect(error.description.contains("\(socketPath.utf8.count) bytes long"))
        #expect(error.description.contains("at most 107 bytes"))
        let clientError = try #require(throws: LiveConnectionError.self) {
            try LiveConnection.connect(path: socketPath)
        }
        #expect(clientError.description.contains("at most 107 bytes"))
    }
}

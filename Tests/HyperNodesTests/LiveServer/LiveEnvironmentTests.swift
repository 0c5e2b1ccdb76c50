import Foundation
import Testing

@testable import HyperNodesTrace

#if canImport(Glibc)
    import Glibc
#endif

/// `fromEnvironment` creates one server per process and keeps it, so only one test here creates it.
@Suite("Live server from the environment")
struct LiveEnvironmentTests {
    @Test("without HYPERNODES_LIVE, or with it empty or 0, there is no server")
    func switchedOff() throws {
        #expect(try LiveServer.fromEnvironment([:]) == nil)
        #expect(try LiveServer.fromEnvironment(["HYPERNODES_LIVE": ""]) == nil)
        #expect(try LiveServer.fromEnvironment(["HYPERNODES_LIVE": "0"]) == nil)
    }

    @Test("with HYPERNODES_LIVE the process gets one shared server, which reports its launcher")
    func sharedServer() throws {
        let directory = ShortDirectory()
        let environment = [
            "HYPERNODES_LIVE": "1", "HYPERNODES_LIVE_DIR": directory.path, "HYPERNODES_LIVE_LAUNCHER": "777",
        ]
        let server = try #require(try LiveServer.fromEnvironment(environment))
        let again = try #require(try LiveServer.fromEnvironment(environment))
        #expect(server === again)
        #expect(server.socketPath == directory.file("\(getpid()).sock"))
        let status = try LiveConnection.connect(path: server.socketPath).status()
        #expect(status.launcher == 777)
        #expect(status.pid == getpid())
    }
}

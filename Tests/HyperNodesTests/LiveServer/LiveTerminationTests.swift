import Foundation
import Testing

@testable import HyperNodesTrace

#if canImport(Glibc)
    import Glibc
#endif

/// The socket's removal and the stream's end when the serving process ends,
/// with the `longrun` demo serving through `HYPERNODES_LIVE`.
@Suite("Live server at process end")
struct LiveTerminationTests {
    @Test(
        "SIGTERM and SIGINT remove the socket, end the stream with live_end, and still end the process",
        arguments: [SIGTERM, SIGINT])
    func terminationSignal(_ signal: Int32) async throws {
        let demo = try LongRunProcess(
            LongRunProcess.arguments(seconds: 60), environment: ["HYPERNODES_LIVE": "1"], label: "signalled")
        // Connected from the thread that saw the socket: a test task may get a pool thread
        // back only after the run is over on a busy machine.
        let (socket, connection, collector) = try await demo.whenServing { path in
            let (connection, collector) = try StreamCollector.stream(path)
            return (path, connection, collector)
        }
        defer { connection.cancel() }
        #expect(try await collector.wait { $0.filter { if case .record = $0 { true } else { false } }.count >= 5 })
        kill(demo.process.pid, signal)
        let ending = try await demo.process.wait(timeout: 20, what: "the signalled longrun")
        #expect(ending == .signalled(signal), "\(demo.process.tail())")
        #expect(try await collector.waitClosed())
        #expect(collector.sawEnd, "the server said goodbye")
        #expect(collector.closeError == nil)
        #expect(!FileManager.default.fileExists(atPath: socket))
    }

    @Test("at a normal exit the socket is removed and clients get everything and live_end")
    func normalExit() async throws {
        let demo = try LongRunProcess(
            // Long enough that the client connects before the run is over, even on a busy machine.
            LongRunProcess.arguments(seconds: 10), environment: ["HYPERNODES_LIVE": "1"], label: "exiting")
        // Connected from the thread that saw the socket: a test task may get a pool thread
        // back only after the run is over on a busy machine.
        let (socket, connection, collector) = try await demo.whenServing { path in
            let (connection, collector) = try StreamCollector.stream(path)
            return (path, connection, collector)
        }
        defer { connection.cancel() }
        _ = try await demo.finish(timeout: 90)
        #expect(try await collector.waitClosed())
        #expect(collector.sawEnd)
        #expect(collector.closeError == nil)
        #expect(allRunsEnded(collector.messages))
        #expect(!FileManager.default.fileExists(atPath: socket))
    }
}

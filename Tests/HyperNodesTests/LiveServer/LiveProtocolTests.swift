import Foundation
import HyperNodes
import Testing

@testable import HyperNodesTrace

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Live protocol")
struct LiveProtocolTests {
    @Test("a status request gets one live_status line, then the server closes")
    func statusRequest() async throws {
        let directory = ShortDirectory()
        var options = liveOptions(directory)
        options.launcher = 4242
        let server = try LiveServer(options: options)
        var pipeline = try nestedMapPipeline()
        pipeline.callbacks = [server]
        _ = try await pipeline.run(inputs: ["x": [1, 2]])
        let (connection, collector) = try StreamCollector.stream(server.socketPath)
        defer { connection.cancel() }
        #expect(try await collector.wait { _ in server.clientCount == 1 })
        let status = try await onOwnThread {
            for _ in 0..<1000 {
                let status = try LiveConnection.connect(path: server.socketPath).status()
                if status.runs.first?.finished == true { return status }
                usleep(5000)
            }
            throw LiveTestFailure()
        }
        #expect(status.pid == getpid())
        #expect(status.program == TraceProcess.current.executable)
        #expect(status.arguments == TraceProcess.current.arguments)
        #expect(status.launcher == 4242)
        #expect(status.clients == 1)
        #expect(status.runs.count == 1)
        #expect(status.runs.first?.pipeline == "outer")
        #expect(status.started > 0 && status.started <= UInt64(Date().timeIntervalSince1970 * 1e9))

        let raw = try RawClient(server.socketPath)
        raw.send("{\"request\":\"status\"}\n")
        let (bytes, timedOut) = raw.readAll()
        #expect(!timedOut, "the server closes after the status")
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("{\"type\":\"live_status\",\"pid\":\(getpid()),"))
        #expect(text.filter { $0 == "\n" }.count == 1)
    }

    @Test("a status line survives an encode-decode round trip")
    func statusRoundTrip() throws {
        let status = LiveStatus(
            pid: 17, program: "/bin/p \"q\"", arguments: ["a", "ü\n"], started: 123, clients: 2, launcher: nil,
            runs: [LiveStatus.Run(runID: 0xABC, pipeline: "p", finished: true, startTime: 9)])
        let line = LiveControlLine.line(.status(status))
        let decoded = try line.dropLast().withUnsafeBufferPointer { try LiveControlLine.decode($0) }
        #expect(decoded == .status(status))
        var withLauncher = status
        withLauncher.launcher = 99
        let second = LiveControlLine.line(.status(withLauncher))
        #expect(
            try second.dropLast().withUnsafeBufferPointer { try LiveControlLine.decode($0) } == .status(withLauncher))
    }

    @Test("a malformed or unknown request closes that client and the server keeps serving")
    func malformedRequest() throws {
        let directory = ShortDirectory()
        let server = try LiveServer(options: liveOptions(directory))
        for request in ["not json\n", "{\"request\":\"dance\"}\n", "{\"nothing\":1}\n", "[1,2]\n"] {
            let raw = try RawClient(server.socketPath)
            raw.send(request)
            let (bytes, timedOut) = raw.readAll()
            #expect(!timedOut, "closed at once for \(request)")
            #expect(bytes.isEmpty, "nothing sent for \(request)")
        }
        let raw = try RawClient(server.socketPath)
        raw.send(String(repeating: "x", count: 10_000))
        #expect(!raw.readAll().timedOut, "a request line without end is cut off")
        #expect(try LiveConnection.connect(path: server.socketPath).status().pid == getpid())
        server.close()
    }

    @Test("a connection serves one request, and a closed server is reported clearly")
    func connectionErrors() throws {
        let directory = ShortDirectory()
        let missing = try #require(throws: LiveConnectionError.self) {
            try LiveConnection.connect(path: directory.file("1.sock"))
        }
        #expect(missing.description.contains("does not exist"))
        let server = try LiveServer(options: liveOptions(directory))
        let connection = try LiveConnection.connect(path: server.socketPath)
        _ = try connection.status()
        #expect(throws: LiveConnectionError.self) { try connection.status() }
        // A socket nobody listens on.
        let path = directory.file("2.sock")
        let stale = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        let address = try #require(LiveSocketAddress(path: path))
        #expect(address.withSocketAddress { bind(stale, $0, $1) } == 0)
        close(stale)
        let refused = try #require(throws: LiveConnectionError.self) { try LiveConnection.connect(path: path) }
        #expect(refused.description.contains("nobody is listening"))
        server.close()
    }

    @Test("connecting to a server that accepts nobody (stopped, backlog full) fails instead of waiting for ever")
    func serverThatDoesNotAccept() async throws {
        let directory = ShortDirectory()
        let path = directory.file("3.sock")
        let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        let address = try #require(LiveSocketAddress(path: path))
        #expect(address.withSocketAddress { bind(listener, $0, $1) } == 0)
        #expect(listen(listener, 0) == 0)  // and never accept
        let failure = try await onOwnThread { () -> LiveConnectionError? in
            var held: [LiveConnection] = []
            for _ in 0..<8 {
                do throws(LiveConnectionError) {
                    held.append(try LiveConnection.connect(path: path))
                } catch {
                    return error
                }
            }
            return nil
        }
        let error = try #require(failure, "some connection attempt must fail once the backlog is full")
        #expect(error.description.contains("does not accept connections"), "\(error)")
    }

    @Test("only peers of the server's own user are admitted")
    func credentialDecision() {
        let uid = UInt32(geteuid())
        #expect(LivePeerCredentials.admits(LivePeerCredentials(pid: 1, uid: uid, gid: 0), serverUID: uid))
        #expect(!LivePeerCredentials.admits(LivePeerCredentials(pid: 1, uid: uid &+ 1, gid: 0), serverUID: uid))
        #expect(!LivePeerCredentials.admits(nil, serverUID: uid))
    }

    @Test("the credentials of a connected peer are read from the socket")
    func credentialsOfPeer() throws {
        var pair: [Int32] = [-1, -1]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0)
        defer {
            close(pair[0])
            close(pair[1])
        }
        let peer = try #require(LivePeerCredentials.of(pair[0]))
        #expect(peer.uid == UInt32(geteuid()))
        #expect(peer.pid == getpid())
    }

    @Test("a peer running as another user is refused without an answer")
    func otherUserRefused() async throws {
        guard geteuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"),
            FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")
        else {
            // Needs root to switch users; the decision itself is pinned by credentialDecision.
            return
        }
        let directory = ShortDirectory()
        let server = try LiveServer(options: liveOptions(directory))
        // Let the other user reach the socket, which the private directory normally prevents.
        chmod(directory.path, 0o711)
        chmod(server.socketPath, 0o666)
        let script = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.settimeout(10)
            s.connect(sys.argv[1])
            try:
                s.sendall(b'{"request":"status"}\\n')
            except OSError:
                pass
            data = b''
            try:
                while True:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    data += chunk
            except ConnectionResetError:
                pass
            print('answer:' + repr(data))
            """
        let scratch = TemporaryDirectory()
        let child = try ChildProcess(
            "/usr/bin/setpriv",
            ["--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", "-c", script, server.socketPath],
            directory: scratch.url, label: "other-user")
        let status = try await child.wait(timeout: .seconds(30), what: "the other user's client")
        #expect(status == 0, "\(child.tail())")
        #expect(child.stdout.contains("answer:b''"), "\(child.tail())")
        // The server still serves its own user.
        #expect(try LiveConnection.connect(path: server.socketPath).status().pid == getpid())
        server.close()
    }
}

import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The live server's socket thread: accepts clients (only of the server's
/// own user), reads each one's request line, and writes to every client
/// with non-blocking sockets and `poll`, so a client that does not read
/// only fills its own buffer. When the server closes, each client gets what
/// is waiting for it and a `live_end` line, within a short grace period.
final class LiveServerLoop {
    /// What a client is doing.
    private enum Phase {
        /// Connected; its request line has not arrived yet.
        case request
        /// Receiving its status line, then closed.
        case status
        /// Receiving the stream.
        case streaming
    }

    private struct Client {
        let descriptor: Int32
        let id: Int
        var phase = Phase.request
        let deadline: ContinuousClock.Instant
        var input: [UInt8] = []
        var output: [UInt8] = []
        var sent = 0
        /// Whether the last write found the socket full (wait for POLLOUT).
        var blocked = false
        /// Whether the client closed its sending side (it may still read).
        var readClosed = false
        var endQueued = false
        var finished = false

        var hasOutput: Bool { sent < output.count }
    }

    /// The longest request line accepted.
    static let maximumRequestLength = 4096
    /// How long a client may take to send its request.
    static let requestTimeout = Duration.seconds(5)
    /// How long closing waits for clients to take what is waiting for them.
    static let closeGracePeriod = Duration.seconds(1)
    /// The most bytes copied into a client's send buffer at once.
    static let sendChunk = 256 * 1024

    private let listener: Int32
    private let hub: LiveHub
    private let wake: LiveWakeSignal
    private let serverUID = UInt32(geteuid())
    private var clients: [Client] = []
    private var nextID = 0
    private var listening = true
    private var closeDeadline: ContinuousClock.Instant?

    init(listener: Int32, hub: LiveHub, wake: LiveWakeSignal) {
        self.listener = listener
        self.hub = hub
        self.wake = wake
    }

    /// Serves until `isClosing()` turns true and every client is done (or the grace period ends).
    func run(isClosing: () -> Bool, onStopListening: () -> Void) {
        var descriptors: [pollfd] = []
        while true {
            let closingNow = isClosing()
            if closingNow && closeDeadline == nil {
                closeDeadline = .now + Self.closeGracePeriod
                stopListening(onStopListening)
                for index in clients.indices where clients[index].phase == .request {
                    clients[index].finished = true
                }
            }
            pumpAll(closing: closingNow)
            removeFinished()
            if closingNow && (clients.isEmpty || ContinuousClock.now >= closeDeadline!) { break }

            descriptors.removeAll(keepingCapacity: true)
            descriptors.append(pollfd(fd: wake.readEnd, events: Int16(POLLIN), revents: 0))
            if listening { descriptors.append(pollfd(fd: listener, events: Int16(POLLIN), revents: 0)) }
            let clientBase = descriptors.count
            for client in clients {
                var events: Int16 = 0
                if !client.readClosed { events |= Int16(POLLIN) }
                if client.hasOutput { events |= Int16(POLLOUT) }
                descriptors.append(pollfd(fd: client.descriptor, events: events, revents: 0))
            }
            let count = poll(&descriptors, nfds_t(descriptors.count), timeoutMilliseconds())
            if count < 0 && errno != EINTR { break }
            if count <= 0 { continue }
            if descriptors[0].revents != 0 { wake.consume() }
            if listening && descriptors[1].revents != 0 { acceptAll() }
            for offset in 0..<(descriptors.count - clientBase) {
                let revents = descriptors[clientBase + offset].revents
                if revents == 0 { continue }
                if revents & Int16(POLLOUT) != 0 { clients[offset].blocked = false }
                if revents & Int16(POLLIN) != 0 { readFrom(offset) }
                // Gone in both directions (POLLIN with a zero read is only the end of its requests).
                if revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { clients[offset].finished = true }
            }
        }
        for client in clients { posixClose(client.descriptor) }
        for client in clients where client.phase == .streaming { hub.leave(client.id) }
        clients.removeAll()
        stopListening(onStopListening)
    }

    private func stopListening(_ onStopListening: () -> Void) {
        guard listening else { return }
        listening = false
        onStopListening()
    }

    private func timeoutMilliseconds() -> Int32 {
        var nearest: ContinuousClock.Instant?
        for client in clients where client.phase == .request {
            nearest = min(nearest ?? client.deadline, client.deadline)
        }
        if let closeDeadline { nearest = min(nearest ?? closeDeadline, closeDeadline) }
        // Clients blocked on a full socket are retried by POLLOUT; those with
        // data in hand and a free socket are written before polling again.
        guard let nearest else { return -1 }
        let left = ContinuousClock.now.duration(to: nearest)
        let milliseconds = left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000
        return Int32(clamping: max(0, milliseconds + 1))
    }

    private func acceptAll() {
        while true {
            let descriptor = accept(listener, nil, nil)
            if descriptor < 0 {
                if errno == EINTR { continue }
                return  // EAGAIN: no more waiting, or a transient error
            }
            guard LivePeerCredentials.admits(LivePeerCredentials.of(descriptor), serverUID: serverUID) else {
                posixClose(descriptor)
                continue
            }
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
            nextID += 1
            clients.append(Client(descriptor: descriptor, id: nextID, deadline: .now + Self.requestTimeout))
        }
    }

    private func readFrom(_ index: Int) {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while !clients[index].finished && !clients[index].readClosed {
            let count = chunk.withUnsafeMutableBytes { recv(clients[index].descriptor, $0.baseAddress!, 4096, 0) }
            if count < 0 {
                if errno == EINTR { continue }
                if errno != EAGAIN && errno != EWOULDBLOCK { clients[index].finished = true }
                return
            }
            if count == 0 {
                // The client will send nothing more; one that never asked for anything is done.
                clients[index].readClosed = true
                if clients[index].phase == .request { clients[index].finished = true }
                return
            }
            guard clients[index].phase == .request else { continue }  // later input is ignored
            clients[index].input.append(contentsOf: chunk[0..<count])
            if let newline = clients[index].input.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(clients[index].input[..<newline])
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                clients[index].input = []
                start(index, line: line)
            } else if clients[index].input.count > Self.maximumRequestLength {
                clients[index].finished = true
            }
        }
    }

    /// Answers a request line; a malformed one closes the client.
    private func start(_ index: Int, line: [UInt8]) {
        let request: LiveControlLine.Request
        do {
            request = try LiveControlLine.Request.parse(line)
        } catch {
            clients[index].finished = true
            return
        }
        switch request {
        case .status:
            clients[index].phase = .status
            clients[index].output = hub.statusLine()
        case .stream:
            clients[index].phase = .streaming
            clients[index].output = hub.join(clients[index].id)
        }
        clients[index].sent = 0
    }

    private func pumpAll(closing: Bool) {
        for index in clients.indices where !clients[index].finished {
            switch clients[index].phase {
            case .request:
                if ContinuousClock.now >= clients[index].deadline { clients[index].finished = true }
            case .status:
                _ = flush(index)
                if !clients[index].hasOutput { clients[index].finished = true }
            case .streaming:
                pump(index, closing: closing)
            }
        }
    }

    /// Writes the client's waiting lines until its socket is full or nothing is left.
    private func pump(_ index: Int, closing: Bool) {
        while !clients[index].finished && !clients[index].blocked {
            if !clients[index].hasOutput {
                if clients[index].endQueued {
                    clients[index].finished = true
                    return
                }
                clients[index].output.removeAll(keepingCapacity: true)
                clients[index].sent = 0
                let caughtUp = hub.take(clients[index].id, maxBytes: Self.sendChunk, into: &clients[index].output)
                if !clients[index].hasOutput {
                    // Everything taken: live_end follows when the server is closing.
                    guard caughtUp && closing else { return }
                    clients[index].output.append(contentsOf: LiveControlLine.endLine)
                    clients[index].endQueued = true
                }
            }
            if !flush(index) { return }
        }
    }

    /// Writes what the client has waiting; returns whether all of it went out.
    private func flush(_ index: Int) -> Bool {
        while clients[index].hasOutput {
            let written = clients[index].output.withUnsafeBytes { bytes in
                send(
                    clients[index].descriptor, bytes.baseAddress! + clients[index].sent,
                    bytes.count - clients[index].sent, Int32(MSG_NOSIGNAL))
            }
            if written < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK {
                    clients[index].blocked = true
                } else {
                    clients[index].finished = true  // EPIPE, ECONNRESET: the client is gone
                }
                return false
            }
            clients[index].sent += written
        }
        return true
    }

    private func removeFinished() {
        guard clients.contains(where: \.finished) else { return }
        for client in clients where client.finished {
            if client.phase == .streaming { hub.leave(client.id) }
            posixClose(client.descriptor)
        }
        clients.removeAll(where: \.finished)
    }
}

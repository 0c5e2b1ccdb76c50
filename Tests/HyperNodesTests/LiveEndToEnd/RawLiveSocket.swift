import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A live-stream client on a bare Unix socket, for what `LiveConnection` never does:
/// connect and then not read at all (a stalled client), or vanish mid-stream. Used from
/// one thread at a time.
final class RawLiveSocket: @unchecked Sendable {
    private(set) var descriptor: Int32
    private var pending: [UInt8] = []

    /// Connects to `path`, optionally with a small receive buffer (set before
    /// connecting, so the kernel holds little for a client that does not read).
    init(path: String, receiveBuffer: Int32? = nil) throws {
        #if canImport(Glibc)
            descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #else
            descriptor = socket(AF_UNIX, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw HarnessError("socket(): \(String(cString: strerror(errno)))") }
        if var size = receiveBuffer {
            setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close()
            throw HarnessError("socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in bytes.enumerated() { buffer[index] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else {
            let reason = String(cString: strerror(errno))
            close()
            throw HarnessError("connect \(path): \(reason)")
        }
    }

    deinit { close() }

    /// Sends one request line (`{"request":"stream"}`).
    func sendLine(_ line: String) throws {
        let bytes = Array((line + "\n").utf8)
        let sent = bytes.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == bytes.count else { throw HarnessError("send: \(String(cString: strerror(errno)))") }
    }

    /// Reads lines until `stop` returns true for one, the connection ends, or `timeout`
    /// seconds pass without data (then throws). Returns the lines read and whether the
    /// connection ended.
    func readLines(timeout: Double, until stop: (String) -> Bool = { _ in false }) throws -> (
        lines: [String], ended: Bool
    ) {
        var lines: [String] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                lines.append(line)
                if stop(line) { return (lines, false) }
            }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(timeout * 1000))
            guard ready > 0 else {
                throw HarnessError("no data for \(timeout) s after \(lines.count) lines; last: \(lines.last ?? "-")")
            }
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return (lines, true) }
            pending.append(contentsOf: chunk[..<count])
        }
    }

    /// Closes the socket at once, whatever is still unread.
    func close() {
        if descriptor >= 0 {
            #if canImport(Glibc)
                _ = Glibc.close(descriptor)
            #else
                _ = Darwin.close(descriptor)
            #endif
            descriptor = -1
        }
    }
}

import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A new directory `/tmp/hn-XXXXXX` (mode 0700), short enough that socket paths in it
/// fit `sun_path` (107 bytes); removed with its contents when released.
final class ShortTemporaryDirectory: Sendable {
    let path: String
    var url: URL { URL(fileURLWithPath: path, isDirectory: true) }

    init() throws {
        var template = Array("/tmp/hn-XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else {
            throw HarnessError("mkdtemp /tmp/hn-XXXXXX failed: \(String(cString: strerror(errno)))")
        }
        path = String(cString: created)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

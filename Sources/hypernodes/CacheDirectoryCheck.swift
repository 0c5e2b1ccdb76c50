import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Checks, without creating anything, whether a cache directory can be used.
enum CacheDirectoryCheck {
    /// Why `directory` cannot hold a cache, or `nil` if it exists and is
    /// writable, or could be created.
    static func problem(with directory: URL) -> String? {
        var path = directory.standardizedFileURL.path
        var isTarget = true
        while true {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
                guard isDirectory.boolValue else {
                    return isTarget ? "it is not a directory" : "\(path) is not a directory"
                }
                if access(path, W_OK | X_OK) != 0 {
                    let reason = String(cString: strerror(errno))
                    return isTarget
                        ? "it is not writable (\(reason))" : "it cannot be created in \(path) (\(reason))"
                }
                return nil
            }
            // Missing: it can be created if its nearest existing ancestor is a writable directory.
            let parent = (path as NSString).deletingLastPathComponent
            if parent.isEmpty || parent == path { return "none of its parent directories exists" }
            isTarget = false
            path = parent
        }
    }
}

import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A ``CacheStore`` that keeps one file per entry in a directory.
///
/// Entries live at `<directory>/<first 2 hex digits>/<other 62 hex digits>.entry`.
/// There is no index: a store writes only its own entry, so any number of
/// processes can share a directory. Each file holds a 44-byte header (the
/// magic `HNC1`, the payload length as a little-endian `UInt64` and the
/// SHA-256 of the payload) followed by the payload; ``load(_:)`` checks all
/// three and reports damaged entries instead of returning them.
///
/// Writes go to a temporary file in the same directory that is then renamed
/// over the entry, so readers see either the old entry or the new one, never
/// a partial file. The directory is created on the first ``store(_:for:)``.
public final class DiskCache: CacheStore {
    /// The directory that holds the entries.
    public let directory: URL

    /// `directory` as a file-system path without a trailing slash.
    private let directoryPath: String

    /// The four bytes every entry file starts with.
    static let magic: [UInt8] = Array("HNC1".utf8)

    /// The size of the fixed header: magic, length and payload digest.
    static let headerSize = 4 + 8 + SHA256.digestSize

    /// Creates a cache that keeps its entries in `directory`.
    ///
    /// Nothing is created on disk until the first ``store(_:for:)``.
    public init(directory: URL) {
        self.directory = directory
        var path = directory.standardizedFileURL.path
        while path.count > 1 && path.hasSuffix("/") {
            path.removeLast()
        }
        self.directoryPath = path
    }

    /// Creates a cache in ``defaultDirectory``.
    public convenience init() {
        self.init(directory: Self.defaultDirectory)
    }

    /// The directory used by ``init()``.
    ///
    /// `$HYPERNODES_CACHE_DIR` if set, else `$XDG_CACHE_HOME/hypernodes`,
    /// else `~/.cache/hypernodes`. Empty variables count as unset, and a
    /// relative `$XDG_CACHE_HOME` is ignored, as the XDG specification asks.
    public static var defaultDirectory: URL {
        defaultDirectory(
            environment: ProcessInfo.processInfo.environment,
            homeDirectory: FileManager.default.homeDirectoryForCurrentUser
        )
    }

    /// The rule behind ``defaultDirectory``, for a given environment.
    static func defaultDirectory(environment: [String: String], homeDirectory: URL) -> URL {
        if let explicit = environment["HYPERNODES_CACHE_DIR"], !explicit.isEmpty {
            return URL(fileURLWithPath: explicit, isDirectory: true)
        }
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            return URL(fileURLWithPath: xdg, isDirectory: true)
                .appendingPathComponent("hypernodes", isDirectory: true)
        }
        return
            homeDirectory
            .appendingPathComponent(".cache", isDirectory: true)
            .appendingPathComponent("hypernodes", isDirectory: true)
    }

    /// The file that holds the entry for `key`, whether or not it exists.
    ///
    /// The file format is an implementation detail; this is meant for
    /// diagnostics and tests.
    public func entryURL(for key: CacheKey) -> URL {
        URL(fileURLWithPath: location(of: key).entry, isDirectory: false)
    }

    // MARK: - Loading

    /// Returns the payload stored for `key`, or `nil` when there is no entry.
    ///
    /// - Throws: ``CacheError`` naming the file when it cannot be read, is
    ///   truncated, has extra bytes, has the wrong magic, or its payload does
    ///   not match the stored checksum.
    public func load(_ key: CacheKey) throws -> Data? {
        let path = location(of: key).entry
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            if code == ENOENT { return nil }
            throw CacheError("cannot open cache entry \(path): \(Self.describe(code))")
        }
        defer { close(fd) }

        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw CacheError("cannot stat cache entry \(path): \(Self.describe(errno))")
        }
        let fileSize = Int(info.st_size)

        var header = [UInt8](repeating: 0, count: Self.headerSize)
        let headerRead = try header.withUnsafeMutableBytes {
            try Self.readFully(fd, into: $0, path: path)
        }
        guard headerRead == Self.headerSize else {
            throw CacheError(
                "cache entry \(path) is truncated: file has \(headerRead) bytes, "
                    + "shorter than the \(Self.headerSize)-byte header"
            )
        }
        guard header[0..<4].elementsEqual(Self.magic) else {
            throw CacheError("cache entry \(path) is not a HyperNodes cache entry: bad magic bytes")
        }
        var declared: UInt64 = 0
        for index in (4..<12).reversed() {
            declared = declared << 8 | UInt64(header[index])
        }
        let expectedDigest = header[12..<Self.headerSize]

        let available = max(fileSize - Self.headerSize, 0)
        guard declared <= UInt64(available) else {
            throw CacheError(
                "cache entry \(path) is truncated: header says \(declared) payload bytes, file has \(available)"
            )
        }
        let length = Int(declared)

        var payload = Data(count: length)
        let payloadRead = try payload.withUnsafeMutableBytes {
            try Self.readFully(fd, into: $0, path: path)
        }
        guard payloadRead == length else {
            throw CacheError(
                "cache entry \(path) is truncated: header says \(length) payload bytes, file has \(payloadRead)"
            )
        }
        var probe: UInt8 = 0
        let extra = try withUnsafeMutableBytes(of: &probe) {
            try Self.readFully(fd, into: $0, path: path)
        }
        guard extra == 0 else {
            throw CacheError(
                "cache entry \(path) has trailing bytes: header says \(length) payload bytes, "
                    + "file has \(max(available, length + 1))"
            )
        }

        var hasher = SHA256()
        payload.withUnsafeBytes { hasher.update($0) }
        guard hasher.finalize().elementsEqual(expectedDigest) else {
            throw CacheError(
                "cache entry \(path) is damaged: payload does not match its SHA-256 checksum")
        }
        return payload
    }

    // MARK: - Storing

    /// Stores `data` under `key`, atomically replacing any previous entry.
    ///
    /// Concurrent stores of the same key, from this or other processes, all
    /// succeed and leave one complete entry.
    ///
    /// - Throws: ``CacheError`` naming the path and the system error when the
    ///   directory cannot be created or the entry cannot be written. No
    ///   temporary file is left behind.
    public func store(_ data: Data, for key: CacheKey) throws {
        let location = location(of: key)
        let header = Self.header(for: data)

        let tempPath =
            location.entry
            + ".\(getpid()).\(String(UInt64.random(in: .min ... .max), radix: 16)).tmp"
        let fd = try openTemporaryFile(tempPath, shard: location.shard)

        var failure: CacheError?
        do {
            try header.withUnsafeBytes { try Self.writeFully(fd, $0, path: tempPath) }
            try data.withUnsafeBytes { try Self.writeFully(fd, $0, path: tempPath) }
        } catch let error as CacheError {
            failure = error
        } catch {
            failure = CacheError("cannot write cache entry \(tempPath): \(error)")
        }
        if close(fd) != 0 && failure == nil {
            failure = CacheError("cannot write cache entry \(tempPath): \(Self.describe(errno))")
        }
        if failure == nil && rename(tempPath, location.entry) != 0 {
            failure = CacheError(
                "cannot move \(tempPath) to cache entry \(location.entry): \(Self.describe(errno))"
            )
        }
        if let failure {
            unlink(tempPath)
            throw failure
        }
    }

    /// Opens a new temporary file, creating the directories it lives in if
    /// they do not exist (again, in case ``removeAll()`` ran meanwhile).
    private func openTemporaryFile(_ path: String, shard: String) throws -> Int32 {
        var attempts = 0
        while true {
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd >= 0 { return fd }
            let code = errno
            attempts += 1
            guard code == ENOENT, attempts < 4 else {
                throw CacheError("cannot create cache file \(path): \(Self.describe(code))")
            }
            try Self.makeDirectories(shard)
        }
    }

    /// The entry header for `payload`.
    private static func header(for payload: Data) -> [UInt8] {
        var header = magic
        header.reserveCapacity(headerSize)
        let length = UInt64(payload.count)
        for index in 0..<8 {
            header.append(UInt8(truncatingIfNeeded: length >> (8 * UInt64(index))))
        }
        var hasher = SHA256()
        payload.withUnsafeBytes { hasher.update($0) }
        header.append(contentsOf: hasher.finalize())
        return header
    }

    // MARK: - Removing

    /// Deletes every entry in ``directory``.
    ///
    /// Only files that look like cache files (`*.entry`, `*.tmp`) in the
    /// two-hex-digit shard directories are removed, then the shard
    /// directories that became empty; anything else in ``directory`` is left
    /// alone. Does nothing when the directory does not exist.
    ///
    /// - Throws: ``CacheError`` naming the path when a file or directory
    ///   cannot be listed or removed.
    public func removeAll() throws {
        var shards: [String] = []
        let code = Self.listDirectory(directoryPath, into: &shards)
        if code == ENOENT { return }
        guard code == 0 else {
            throw CacheError("cannot list cache directory \(directoryPath): \(Self.describe(code))")
        }

        for shard in shards where Self.isShardName(shard) {
            let shardPath = directoryPath + "/" + shard
            var names: [String] = []
            let code = Self.listDirectory(shardPath, into: &names)
            if code == ENOENT || code == ENOTDIR { continue }
            guard code == 0 else {
                throw CacheError("cannot list cache directory \(shardPath): \(Self.describe(code))")
            }
            for name in names where name.hasSuffix(".entry") || name.hasSuffix(".tmp") {
                let path = shardPath + "/" + name
                if unlink(path) != 0 && errno != ENOENT {
                    throw CacheError("cannot remove cache entry \(path): \(Self.describe(errno))")
                }
            }
            // Fails harmlessly if another process has just written into it.
            rmdir(shardPath)
        }
    }

    // MARK: - Helpers

    /// The shard directory and entry file for `key`.
    private func location(of key: CacheKey) -> (shard: String, entry: String) {
        let hex = key.hex
        let split = hex.index(hex.startIndex, offsetBy: 2)
        let shard = directoryPath + "/" + String(hex[..<split])
        return (shard, shard + "/" + String(hex[split...]) + ".entry")
    }

    /// Whether `name` is two lowercase hexadecimal digits.
    private static func isShardName(_ name: String) -> Bool {
        let utf8 = Array(name.utf8)
        return utf8.count == 2
            && utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// Creates `path` and any missing parents, like `mkdir -p`.
    private static func makeDirectories(_ path: String) throws {
        if mkdir(path, 0o755) == 0 { return }
        let code = errno
        switch code {
        case EEXIST:
            return
        case ENOENT:
            guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else {
                throw CacheError("cannot create cache directory \(path): \(describe(code))")
            }
            try makeDirectories(String(path[..<slash]))
            if mkdir(path, 0o755) != 0 && errno != EEXIST {
                throw CacheError("cannot create cache directory \(path): \(describe(errno))")
            }
        default:
            throw CacheError("cannot create cache directory \(path): \(describe(code))")
        }
    }

    /// Reads until `buffer` is full or the file ends; returns the byte count.
    private static func readFully(
        _ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, path: String
    ) throws -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var done = 0
        while done < buffer.count {
            let result = read(fd, base + done, buffer.count - done)
            if result > 0 {
                done += result
            } else if result == 0 {
                break
            } else if errno != EINTR {
                throw CacheError("cannot read cache entry \(path): \(describe(errno))")
            }
        }
        return done
    }

    /// Writes all of `buffer`, retrying short writes.
    private static func writeFully(
        _ fd: Int32, _ buffer: UnsafeRawBufferPointer, path: String
    ) throws {
        guard let base = buffer.baseAddress else { return }
        var done = 0
        while done < buffer.count {
            let result = write(fd, base + done, buffer.count - done)
            if result > 0 {
                done += result
            } else if result < 0 && errno == EINTR {
                continue
            } else {
                let code = result < 0 ? errno : EIO
                throw CacheError("cannot write cache entry \(path): \(describe(code))")
            }
        }
    }

    /// Appends the names in the directory at `path`, without `.` and `..`, to
    /// `names`; returns 0 on success or the `errno` of the failure.
    private static func listDirectory(_ path: String, into names: inout [String]) -> Int32 {
        guard let stream = opendir(path) else { return errno }
        defer { closedir(stream) }
        while true {
            errno = 0
            guard let entry = readdir(stream) else { return errno }
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(
                    to: CChar.self,
                    capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)
                ) { String(cString: $0) }
            }
            if name != "." && name != ".." {
                names.append(name)
            }
        }
    }

    /// The system's text for an `errno` value, e.g. "Permission denied (errno 13)".
    private static func describe(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return "\(String(cString: text)) (errno \(code))"
    }
}

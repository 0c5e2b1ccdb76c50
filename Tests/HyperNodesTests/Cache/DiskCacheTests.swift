import Foundation
import Testing

@testable import HyperNodes

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite("DiskCache")
struct DiskCacheTests {
    /// Runs `body` with a cache in a fresh temporary directory that is removed afterwards.
    static func withCache(_ body: (DiskCache, URL) async throws -> Void) async throws {
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent(
                "hypernodes-cache-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer {
            // Undo any permission changes so the directory can be removed.
            if let paths = FileManager.default.enumerator(atPath: root.path) {
                for case let path as String in paths {
                    chmod(root.appendingPathComponent(path).path, 0o755)
                }
            }
            chmod(root.path, 0o755)
            try? FileManager.default.removeItem(at: root)
        }
        let directory = root.appendingPathComponent("cache", isDirectory: true)
        try await body(DiskCache(directory: directory), root)
    }

    static func key(_ value: Int) -> CacheKey {
        var hasher = StableHasher()
        hasher.combine("DiskCacheTests")
        hasher.combine(UInt64(value))
        return hasher.finalize()
    }

    static func payload(_ text: String, repeating count: Int = 1) -> Data {
        Data(String(repeating: text, count: count).utf8)
    }

    /// Stores a payload of `length` bytes under key 1 and returns the bytes of its file.
    static func storedFile(_ cache: DiskCache, length: Int) throws -> (URL, Data) {
        let data = Data((0..<length).map { UInt8(truncatingIfNeeded: $0) })
        try cache.store(data, for: key(1))
        let url = cache.entryURL(for: key(1))
        return (url, try Data(contentsOf: url))
    }

    /// Loads key 1, expecting a ``CacheError``; returns its message.
    static func loadError(_ cache: DiskCache) -> String {
        do {
            let data = try cache.load(key(1))
            Issue.record("expected an error, loaded \(String(describing: data))")
            return ""
        } catch let error as CacheError {
            return error.message
        } catch {
            Issue.record("expected a CacheError, got \(error)")
            return ""
        }
    }

    /// Names of files ending in `.tmp` anywhere below `directory`.
    static func temporaryFiles(in directory: URL) -> [String] {
        let paths =
            FileManager.default.enumerator(atPath: directory.path)?.allObjects as? [String] ?? []
        return paths.filter { $0.hasSuffix(".tmp") }
    }

    // MARK: - Round trips

    @Test("store then load returns the same bytes")
    func roundTrip() async throws {
        try await Self.withCache { cache, _ in
            let payloads = [
                Data(), Self.payload("x"), Self.payload("0123456789abcdef", repeating: 65_536),
            ]
            for (index, data) in payloads.enumerated() {
                try cache.store(data, for: Self.key(index))
            }
            for (index, data) in payloads.enumerated() {
                #expect(try cache.load(Self.key(index)) == data)
            }
        }
    }

    @Test("a second store replaces the entry")
    func overwrite() async throws {
        try await Self.withCache { cache, _ in
            try cache.store(Self.payload("old", repeating: 100), for: Self.key(1))
            try cache.store(Self.payload("new"), for: Self.key(1))
            #expect(try cache.load(Self.key(1)) == Self.payload("new"))
        }
    }

    @Test("a missing key loads as nil and creates nothing")
    func missingKey() async throws {
        try await Self.withCache { cache, _ in
            #expect(try cache.load(Self.key(1)) == nil)
            #expect(!FileManager.default.fileExists(atPath: cache.directory.path))
            try cache.store(Self.payload("a"), for: Self.key(1))
            #expect(try cache.load(Self.key(2)) == nil)
        }
    }

    @Test("entries are sharded by the first two hex digits")
    func layout() async throws {
        try await Self.withCache { cache, _ in
            let key = Self.key(1)
            try cache.store(Self.payload("a"), for: key)
            let url = cache.entryURL(for: key)
            let hex = key.hex
            #expect(url.lastPathComponent == String(hex.dropFirst(2)) + ".entry")
            #expect(url.deletingLastPathComponent().lastPathComponent == String(hex.prefix(2)))
            #expect(
                url.deletingLastPathComponent().deletingLastPathComponent().standardizedFileURL.path
                    == cache.directory.standardizedFileURL.path
            )
            let file = try Data(contentsOf: url)
            #expect(file.count == DiskCache.headerSize + 1)
            #expect(Array(file.prefix(4)) == Array("HNC1".utf8))
        }
    }

    // MARK: - Damaged entries

    @Test("a truncated payload is reported with the path and sizes")
    func truncatedPayload() async throws {
        try await Self.withCache { cache, _ in
            let (url, file) = try Self.storedFile(cache, length: 120)
            try file.prefix(DiskCache.headerSize + 37).write(to: url)
            let message = Self.loadError(cache)
            #expect(message.contains(url.path))
            #expect(message.contains("truncated"))
            #expect(message.contains("120"))
            #expect(message.contains("37"))
        }
    }

    @Test("a truncated header is reported")
    func truncatedHeader() async throws {
        try await Self.withCache { cache, _ in
            let (url, file) = try Self.storedFile(cache, length: 120)
            try file.prefix(10).write(to: url)
            let message = Self.loadError(cache)
            #expect(message.contains(url.path))
            #expect(message.contains("truncated"))
        }
    }

    @Test("an empty file is reported")
    func emptyFile() async throws {
        try await Self.withCache { cache, _ in
            let (url, _) = try Self.storedFile(cache, length: 10)
            try Data().write(to: url)
            #expect(Self.loadError(cache).contains(url.path))
        }
    }

    @Test("a flipped payload byte fails the checksum")
    func flippedPayloadByte() async throws {
        try await Self.withCache { cache, _ in
            let (url, file) = try Self.storedFile(cache, length: 120)
            var damaged = file
            damaged[damaged.startIndex + DiskCache.headerSize + 60] ^= 0x01
            try damaged.write(to: url)
            let message = Self.loadError(cache)
            #expect(message.contains(url.path))
            #expect(message.contains("checksum"))
        }
    }

    @Test("a flipped checksum byte fails the checksum")
    func flippedChecksumByte() async throws {
        try await Self.withCache { cache, _ in
            let (url, file) = try Self.storedFile(cache, length: 120)
            var damaged = file
            damaged[damaged.startIndex + 20] ^= 0x80
            try damaged.write(to: url)
            #expect(Self.loadError(cache).contains("checksum"))
        }
    }

    @Test("wrong magic bytes are reported")
    func badMagic() async throws {
        try await Self.withCache { cache, _ in
            let (url, file) = try Self.storedFile(cache, length: 120)
            var damaged = file
            damaged.replaceSubrange(
                damaged.startIndex..<damaged.startIndex + 4, with: Array("HNC2".utf8))
            try damaged.write(to: url)
            let message = Self.loadError(cache)
            #expect(message.contains(url.path))
            #expect(message.contains("magic"))
        }
    }

    @Test("extra bytes after the payload are reported")
    func trailingBytes() async throws {
        try await Self.withCache { cache, _ in
            let (url, file) = try Self.storedFile(cache, length: 120)
            try (file + Data([1, 2, 3])).write(to: url)
            let message = Self.loadError(cache)
            #expect(message.contains(url.path))
            #expect(message.contains("trailing"))
        }
    }

    @Test("a length field larger than the file is reported, not allocated")
    func hugeLength() async throws {
        try await Self.withCache { cache, _ in
            let (url, file) = try Self.storedFile(cache, length: 16)
            var damaged = file
            for index in 4..<12 {
                damaged[damaged.startIndex + index] = 0xFF
            }
            try damaged.write(to: url)
            #expect(Self.loadError(cache).contains("truncated"))
        }
    }

    @Test("garbage files are reported", arguments: [3, 44, 45, 4096])
    func garbage(length: Int) async throws {
        try await Self.withCache { cache, _ in
            let (url, _) = try Self.storedFile(cache, length: 10)
            var generator = SystemRandomNumberGenerator()
            let noise = Data((0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) })
            try noise.write(to: url)
            #expect(Self.loadError(cache).contains(url.path))
        }
    }

    // MARK: - System errors

    @Test("an entry that cannot be read is reported with the system error")
    func unreadableEntry() async throws {
        try await Self.withCache { cache, _ in
            // A directory in place of the entry fails to read even for root.
            let url = cache.entryURL(for: Self.key(1))
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            let message = Self.loadError(cache)
            #expect(message.contains(url.path))
            #expect(message.contains(String(cString: strerror(EISDIR))))
        }
    }

    @Test(
        "an entry without read permission is reported",
        .enabled(if: geteuid() != 0, "root ignores permissions"))
    func permissionDenied() async throws {
        try await Self.withCache { cache, _ in
            let (url, _) = try Self.storedFile(cache, length: 10)
            chmod(url.path, 0)
            let message = Self.loadError(cache)
            #expect(message.contains(url.path))
            #expect(message.contains(String(cString: strerror(EACCES))))
        }
    }

    @Test("a cache directory below a regular file cannot be written")
    func directoryBelowFile() async throws {
        try await Self.withCache { _, root in
            let file = root.appendingPathComponent("plain-file")
            try Data("not a directory".utf8).write(to: file)
            let cache = DiskCache(
                directory: file.appendingPathComponent("cache", isDirectory: true))
            do {
                try cache.store(Self.payload("a"), for: Self.key(1))
                Issue.record("store should have failed")
            } catch let error as CacheError {
                #expect(error.message.contains(file.path))
                #expect(error.message.contains(String(cString: strerror(ENOTDIR))))
            }
            #expect(throws: CacheError.self) { try cache.load(Self.key(1)) }
            #expect(throws: CacheError.self) { try cache.removeAll() }
        }
    }

    @Test(
        "a read-only cache directory cannot be written",
        .enabled(if: geteuid() != 0, "root ignores permissions"))
    func readOnlyDirectory() async throws {
        try await Self.withCache { cache, _ in
            try FileManager.default.createDirectory(
                at: cache.directory, withIntermediateDirectories: true)
            chmod(cache.directory.path, 0o500)
            let error = #expect(throws: CacheError.self) {
                try cache.store(Self.payload("a"), for: Self.key(1))
            }
            #expect(error?.message.contains(cache.directory.path) == true)
            #expect(error?.message.contains(String(cString: strerror(EACCES))) == true)
        }
    }

    @Test("a failed rename removes the temporary file")
    func failedRenameCleansUp() async throws {
        try await Self.withCache { cache, _ in
            // A non-empty directory where the entry should go makes rename(2) fail.
            let url = cache.entryURL(for: Self.key(1))
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            try Data("x".utf8).write(to: url.appendingPathComponent("occupied"))
            let error = #expect(throws: CacheError.self) {
                try cache.store(Self.payload("a"), for: Self.key(1))
            }
            #expect(error?.message.contains(url.path) == true)
            #expect(Self.temporaryFiles(in: cache.directory).isEmpty)
        }
    }

    // MARK: - Concurrency

    @Test("concurrent stores of one key leave a valid entry and no temporary files")
    func concurrentStores() async throws {
        try await Self.withCache { cache, _ in
            let key = Self.key(1)
            let writers = 8
            let writes = 50
            let valid = Set(
                (0..<writers).flatMap { writer in
                    (0..<writes).map {
                        Self.payload("writer \(writer) write \($0);", repeating: 500)
                    }
                }
            )
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        for write in 0..<writes {
                            try cache.store(
                                Self.payload("writer \(writer) write \(write);", repeating: 500),
                                for: key)
                        }
                    }
                }
                // Readers racing the writers must see nothing or a complete entry.
                for _ in 0..<2 {
                    group.addTask {
                        for _ in 0..<200 {
                            if let data = try cache.load(key) {
                                #expect(valid.contains(data))
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let final = try #require(try cache.load(key))
            #expect(valid.contains(final))
            #expect(Self.temporaryFiles(in: cache.directory).isEmpty)
        }
    }

    @Test("two caches on one directory share entries")
    func sharedDirectory() async throws {
        try await Self.withCache { cache, _ in
            let other = DiskCache(directory: cache.directory)
            try cache.store(Self.payload("shared"), for: Self.key(1))
            #expect(try other.load(Self.key(1)) == Self.payload("shared"))
        }
    }

    // MARK: - removeAll

    @Test("removeAll deletes entries and keeps unrelated files")
    func removeAll() async throws {
        try await Self.withCache { cache, _ in
            for index in 0..<20 {
                try cache.store(Self.payload("entry \(index)"), for: Self.key(index))
            }
            let unrelated = cache.directory.appendingPathComponent("README")
            try Data("keep me".utf8).write(to: unrelated)

            try cache.removeAll()

            for index in 0..<20 {
                #expect(try cache.load(Self.key(index)) == nil)
            }
            #expect(FileManager.default.fileExists(atPath: unrelated.path))
            let remaining = try FileManager.default.contentsOfDirectory(
                atPath: cache.directory.path)
            #expect(remaining == ["README"])

            try cache.store(Self.payload("again"), for: Self.key(3))
            #expect(try cache.load(Self.key(3)) == Self.payload("again"))
        }
    }

    @Test("removeAll on a directory that does not exist does nothing")
    func removeAllMissingDirectory() async throws {
        try await Self.withCache { cache, _ in
            try cache.removeAll()
            #expect(!FileManager.default.fileExists(atPath: cache.directory.path))
        }
    }

    // MARK: - Default directory

    @Test("the default directory follows HYPERNODES_CACHE_DIR, then XDG_CACHE_HOME, then ~/.cache")
    func defaultDirectory() {
        let home = URL(fileURLWithPath: "/home/someone", isDirectory: true)
        func resolve(_ environment: [String: String]) -> String {
            DiskCache.defaultDirectory(environment: environment, homeDirectory: home).path
        }
        #expect(resolve([:]) == "/home/someone/.cache/hypernodes")
        #expect(resolve(["XDG_CACHE_HOME": "/xdg"]) == "/xdg/hypernodes")
        #expect(resolve(["XDG_CACHE_HOME": "relative"]) == "/home/someone/.cache/hypernodes")
        #expect(resolve(["XDG_CACHE_HOME": ""]) == "/home/someone/.cache/hypernodes")
        #expect(
            resolve(["HYPERNODES_CACHE_DIR": "/explicit", "XDG_CACHE_HOME": "/xdg"]) == "/explicit")
        #expect(
            resolve(["HYPERNODES_CACHE_DIR": "", "XDG_CACHE_HOME": "/xdg"]) == "/xdg/hypernodes")
        #expect(DiskCache().directory == DiskCache.defaultDirectory)
    }
}

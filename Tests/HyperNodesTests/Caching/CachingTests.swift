import Foundation
import Synchronization
import Testing

@testable import HyperNodes

/// Counts executions of the nodes it builds.
final class Counter: Sendable {
    private let counts = Mutex<[String: Int]>([:])
    func tick(_ name: String) { counts.withLock { $0[name, default: 0] += 1 } }
    subscript(name: String) -> Int { counts.withLock { $0[name, default: 0] } }
    func reset() { counts.withLock { $0.removeAll() } }
}

@Suite("Caching")
struct CachingTests {
    let counter = Counter()
    let dir = TemporaryDirectory("hypernodes-cache-test")

    func arith(cache: Bool = true, version: String? = nil) throws -> Pipeline {
        let counter = counter
        let double = Node("double", inputs: "x", output: "doubled", cache: cache, codeVersion: version) { (x: Int) in
            counter.tick("double")
            return x * 2
        }
        let addOne = Node("add_one", inputs: "doubled", "offset", output: "result") { (d: Int, o: Int) in
            counter.tick("add_one")
            return d + o
        }
        var p = try Pipeline(nodes: [double, addOne], name: "arith")
        p.cache = DiskCache(directory: dir.url)
        try p.bind(["offset": 1])
        return p
    }

    @Test func rerunIsServedFromTheCache() async throws {
        let p = try arith()
        let first = try await p.run(inputs: ["x": 5])
        let second = try await p.run(inputs: ["x": 5])
        #expect(first["result", as: Int.self] == 11)
        #expect(second["result", as: Int.self] == 11)
        #expect(second["doubled", as: Int.self] == 10)
        #expect(counter["double"] == 1)
        #expect(counter["add_one"] == 1)
    }

    @Test func changedInputInvalidates() async throws {
        let p = try arith()
        _ = try await p.run(inputs: ["x": 5])
        let other = try await p.run(inputs: ["x": 6])
        #expect(other["result", as: Int.self] == 13)
        #expect(counter["double"] == 2)
    }

    @Test func changedBroadcastInputInvalidatesOnlyItsConsumers() async throws {
        let p = try arith()
        _ = try await p.run(inputs: ["x": 5])
        let shifted = try await p.run(inputs: ["x": 5, "offset": 100])
        #expect(shifted["result", as: Int.self] == 110)
        #expect(counter["double"] == 1)
        #expect(counter["add_one"] == 2)
    }

    @Test func upstreamChangePropagatesThroughCachedNodes() async throws {
        // add_one's inputs are keyed by double's key, so a new double result (new code version)
        // means a new add_one key even though the value flowing could be the same.
        let v1 = try arith(version: "1")
        _ = try await v1.run(inputs: ["x": 5])
        let v2 = try arith(version: "2")
        _ = try await v2.run(inputs: ["x": 5])
        #expect(counter["double"] == 2)
        #expect(counter["add_one"] == 2)
        _ = try await v1.run(inputs: ["x": 5])
        #expect(counter["double"] == 2, "version 1 is still cached")
    }

    @Test func optedOutNodesAlwaysRunAndDownstreamKeysFollowTheirValues() async throws {
        let p = try arith(cache: false)
        _ = try await p.run(inputs: ["x": 5])
        _ = try await p.run(inputs: ["x": 5])
        #expect(counter["double"] == 2)
        #expect(counter["add_one"] == 1, "same value from the opted-out node: downstream hit")
    }

    @Test func perItemCachingInMap() async throws {
        let p = try arith()
        let first = try await p.map(inputs: ["x": [1, 2, 3]], over: ["x"])
        #expect(first["result", as: Int.self] == [3, 5, 7])
        counter.reset()
        let second = try await p.map(inputs: ["x": [1, 2, 3, 4]], over: ["x"])
        #expect(second["result", as: Int.self] == [3, 5, 7, 9])
        #expect(counter["double"] == 1)
        #expect(counter["add_one"] == 1)
    }

    @Test func noCacheMeansNoFiles() async throws {
        var p = try arith()
        p.cache = nil
        _ = try await p.run(inputs: ["x": 5])
        _ = try await p.run(inputs: ["x": 5])
        #expect(counter["double"] == 2)
        let contents = try FileManager.default.contentsOfDirectory(atPath: dir.url.path)
        #expect(contents.isEmpty)
    }

    @Test func nonCodableValuesAreNotCachedButStillRun() async throws {
        struct Opaque: Sendable { let value: Int }
        let counter = counter
        let wrap = Node("wrap", inputs: "x", output: "opaque") { (x: Int) in
            counter.tick("wrap")
            return Opaque(value: x)
        }
        let unwrap = Node("unwrap", inputs: "opaque", output: "value") { (o: Opaque) in
            counter.tick("unwrap")
            return o.value
        }
        var p = try Pipeline(nodes: [wrap, unwrap], name: "opaque")
        p.cache = DiskCache(directory: dir.url)
        _ = try await p.run(inputs: ["x": 1])
        let again = try await p.run(inputs: ["x": 1])
        #expect(again["value", as: Int.self] == 1)
        #expect(counter["wrap"] == 2)
        #expect(counter["unwrap"] == 2, "its input has no content key, so it cannot be cached")
    }

    @Test func codableStructsRoundTrip() async throws {
        struct Stats: Codable, Sendable, Equatable {
            let mean: Double
            let labels: [String: Int]
        }
        let counter = counter
        let stats = Node("stats", inputs: "values", outputs: "stats", "count") { (v: [Double]) in
            counter.tick("stats")
            return (Stats(mean: v.reduce(0, +) / Double(v.count), labels: ["n": v.count]), v.count)
        }
        var p = try Pipeline(nodes: [stats], name: "s")
        p.cache = DiskCache(directory: dir.url)
        let a = try await p.run(inputs: ["values": [1.0, 2.0, .infinity]])
        let b = try await p.run(inputs: ["values": [1.0, 2.0, .infinity]])
        #expect(counter["stats"] == 1)
        #expect(b["stats", as: Stats.self] == a["stats", as: Stats.self])
        #expect(b["count", as: Int.self] == 3)
    }

    @Test func corruptEntryIsAMissWithAWarning() async throws {
        var p = try arith()
        let (logger, log) = CapturingLogHandler.logger()
        p.logger = logger
        let recorder = EventRecorder()
        p.callbacks = [recorder]
        _ = try await p.run(inputs: ["x": 5])

        // Damage every entry: truncate one, fill another with garbage.
        let files = try entryFiles()
        #expect(files.count == 2)
        try Data("garbage".utf8).write(to: files[0])
        let bytes = try Data(contentsOf: files[1])
        try bytes.prefix(bytes.count / 2).write(to: files[1])

        recorder.clear()
        let result = try await p.run(inputs: ["x": 5])
        #expect(result["result", as: Int.self] == 11)
        #expect(counter["double"] == 2)
        #expect(counter["add_one"] == 2)
        #expect(recorder.trace.filter { $0.hasPrefix("node_cached") }.isEmpty)
        // One warning naming the entry, then one line counting the others.
        #expect(log.warnings.count == 2)
        #expect(log.warnings.first?.contains("unreadable") == true)
        #expect(log.warnings.first?.contains(dir.url.path) == true)
        #expect(log.warnings.last == "1 more unreadable cache entries in this run")

        // The entries were rewritten: the next run hits.
        _ = try await p.run(inputs: ["x": 5])
        #expect(counter["double"] == 2)
    }

    @Test func undecodableEntryIsAMissWithAWarning() async throws {
        var p = try arith()
        let (logger, log) = CapturingLogHandler.logger()
        p.logger = logger
        _ = try await p.run(inputs: ["x": 5])
        // A valid entry whose payload does not decode as the node's outputs.
        let cache = DiskCache(directory: dir.url)
        for file in try entryFiles() {
            let hex =
                file.deletingLastPathComponent().lastPathComponent + file.deletingPathExtension().lastPathComponent
            let key = CacheKey(
                bytes: stride(from: 0, to: 64, by: 2).map { i in
                    UInt8(
                        hex[hex.index(hex.startIndex, offsetBy: i)..<hex.index(hex.startIndex, offsetBy: i + 2)],
                        radix: 16)!
                })
            try cache.store(CacheEntryCodec.pack([Data("\"not a number\"".utf8)]), for: key)
        }
        let result = try await p.run(inputs: ["x": 5])
        #expect(result["result", as: Int.self] == 11)
        #expect(counter["double"] == 2)
        #expect(log.warnings.count == 2)
        #expect(log.warnings.first?.contains("cannot be decoded") == true)
        #expect(log.warnings.last == "1 more undecodable cache entries in this run")
    }

    @Test func unwritableCacheIsAWarningNotAFailure() async throws {
        let file = dir.url.appendingPathComponent("not-a-directory")
        try Data().write(to: file)
        var p = try arith()
        p.cache = DiskCache(directory: file.appendingPathComponent("cache"))
        let (logger, log) = CapturingLogHandler.logger()
        p.logger = logger
        let result = try await p.run(inputs: ["x": 5])
        #expect(result["result", as: Int.self] == 11)
        #expect(log.warnings.filter { $0.contains("could not cache") && $0.contains(file.path) }.count == 1)
        #expect(log.warnings.contains("1 more failed cache writes in this run"))
        #expect(log.warnings.count <= 4)
    }

    @Test func nestedPipelinesShareTheCache() async throws {
        let counter = counter
        let double = Node("double", inputs: "x", output: "doubled") { (x: Int) in
            counter.tick("double")
            return x * 2
        }
        let inner = try Pipeline(nodes: [double], name: "inner")
        var outer = try Pipeline(nodes: [try inner.asNode(name: "each", mapOver: ["x"])], name: "outer")
        outer.cache = DiskCache(directory: dir.url)
        _ = try await outer.run(inputs: ["x": [1, 2, 3]])
        let again = try await outer.run(inputs: ["x": [1, 2, 3, 4]])
        #expect(again["doubled", as: [Int].self] == [2, 4, 6, 8])
        #expect(counter["double"] == 4)
    }

    func entryFiles() throws -> [URL] {
        let enumerator = FileManager.default.enumerator(at: dir.url, includingPropertiesForKeys: nil)
        var files: [URL] = []
        while let url = enumerator?.nextObject() as? URL {
            if url.pathExtension == "entry" { files.append(url) }
        }
        return files.sorted { $0.path < $1.path }
    }
}

import Foundation
import Testing

@testable import HyperNodes

@Suite("Code identity")
struct CodeIdentityTests {
    @Test func executablesHaveDistinctBuildIDs() throws {
        let own = try #require(ELFNotes.buildID(ofFileAt: "/proc/self/exe"), "the test binary has no GNU build-id")
        #expect(own.count == 20)
        #expect(ELFNotes.buildID(ofFileAt: "/proc/self/exe") == own)
        let tool = try Executable.executable("hypernodes")
        let other = try #require(ELFNotes.buildID(ofFileAt: tool.path))
        #expect(other != own, "two different programs must not share a build identity")
    }

    @Test func nonELFFilesHaveNoBuildID() throws {
        let dir = TemporaryDirectory()
        let text = dir.url.appendingPathComponent("text")
        try Data("not an ELF file at all, just text".utf8).write(to: text)
        #expect(ELFNotes.buildID(ofFileAt: text.path) == nil)
        let truncated = dir.url.appendingPathComponent("truncated")
        let handle = try #require(FileHandle(forReadingAtPath: "/proc/self/exe"))
        let elfHeader = handle.readData(ofLength: 40)
        try handle.close()
        try elfHeader.write(to: truncated)
        #expect(ELFNotes.buildID(ofFileAt: truncated.path) == nil)
        #expect(ELFNotes.buildID(ofFileAt: dir.url.appendingPathComponent("missing").path) == nil)
    }

    @Test func buildIdentityCoversTheExecutable() {
        #expect(CodeIdentity.build.count == 64)
        #expect(CodeIdentity.build == CodeIdentity.build)
    }

    @Test func aPinnedVersionReplacesTheBuildIdentity() async throws {
        let dir = TemporaryDirectory()
        let counter = Counter()
        func pipeline(version: String?) throws -> Pipeline {
            let node = Node("n", inputs: "x", output: "y", codeVersion: version) { (x: Int) in
                counter.tick("n")
                return x + 1
            }
            var p = try Pipeline(nodes: [node], name: "p")
            p.cache = DiskCache(directory: dir.url)
            return p
        }
        _ = try await pipeline(version: nil).run(inputs: ["x": 1])
        _ = try await pipeline(version: "1").run(inputs: ["x": 1])
        _ = try await pipeline(version: "1").run(inputs: ["x": 1])
        _ = try await pipeline(version: nil).run(inputs: ["x": 1])
        // build identity, then version 1 (a new key), then both served from the cache
        #expect(counter["n"] == 2)
    }
}

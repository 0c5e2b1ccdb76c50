import Foundation
import HyperNodes
import Testing

// Two versions of a program, compiled side by side: `Before` is the original,
// `Edited` changes one node's body, `Reformatted` changes only whitespace and
// comments of both (a `;` is a token, not whitespace). Each enum stands for
// one build of the same pipeline.

private enum Before {
    @Node(output: "doubled")
    static func double(x: Int) -> Int {
        MacroCacheCounter.shared.tick("double")
        return x * 2
    }

    @Node(output: "result")
    static func addOne(doubled: Int) -> Int {
        MacroCacheCounter.shared.tick("add_one")
        return doubled + 1
    }
}

private enum Edited {
    @Node(output: "doubled")
    static func double(x: Int) -> Int {
        MacroCacheCounter.shared.tick("double")
        return x * 2
    }

    @Node(output: "result")
    static func addOne(doubled: Int) -> Int {
        MacroCacheCounter.shared.tick("add_one")
        return doubled + 100
    }
}

// The layout is the point of this variant: swift-format leaves it alone.
// swift-format-ignore
private enum Reformatted {
    /// Doubles its input.
    @Node(output: "doubled")
    static func double(
        x: Int  // the number to double
    ) -> Int {
        MacroCacheCounter.shared.tick("double")

        /* twice as much */
        return x*2
    }

    @Node(output: "result") static func addOne(doubled: Int) -> Int { MacroCacheCounter.shared.tick("add_one")
          return doubled+1 }
}

/// Pinned versions: the digest is not used.
private enum Pinned {
    @Node(output: "result", codeVersion: "1")
    static func addOne(doubled: Int) -> Int {
        MacroCacheCounter.shared.tick("add_one")
        return doubled + 1
    }
}

private enum PinnedEdited {
    @Node(output: "result", codeVersion: "1")
    static func addOne(doubled: Int) -> Int {
        MacroCacheCounter.shared.tick("add_one")
        return doubled + 2
    }
}

/// Counts node executions across the enums above.
final class MacroCacheCounter: Sendable {
    static let shared = MacroCacheCounter()
    private let counter = Counter()
    func tick(_ name: String) { counter.tick(name) }
    subscript(name: String) -> Int { counter[name] }
    func reset() { counter.reset() }
}

@Suite("@Node code identity", .serialized)
struct MacroNodeCacheIdentityTests {
    let dir = TemporaryDirectory("hypernodes-macro-cache")

    func run(_ nodes: [Node], recorder: EventRecorder = EventRecorder()) async throws -> Int? {
        let pipeline = try Pipeline(
            nodes: nodes, name: "arith", cache: DiskCache(directory: dir.url), callbacks: [recorder])
        return try await pipeline.run(inputs: ["x": 5])["result", as: Int.self]
    }

    @Test func editedBodiesHaveOtherDigestsAndReformattedOnesTheSame() throws {
        let before = try #require(Before.addOneNode.sourceDigest)
        #expect(before.count == 64)
        #expect(Edited.addOneNode.sourceDigest != before)
        #expect(Edited.doubleNode.sourceDigest == Before.doubleNode.sourceDigest)
        #expect(Reformatted.addOneNode.sourceDigest == before)
        #expect(Reformatted.doubleNode.sourceDigest == Before.doubleNode.sourceDigest)
        #expect(Before.doubleNode.sourceDigest != Before.addOneNode.sourceDigest)
        #expect(CodeIdentity.of(Before.addOneNode) == "source:" + before)
        #expect(CodeIdentity.of(Pinned.addOneNode) == "version:1")
    }

    @Test func editingOneBodyInvalidatesThatNodeOnly() async throws {
        MacroCacheCounter.shared.reset()
        #expect(try await run([Before.doubleNode, Before.addOneNode]) == 11)

        let recorder = EventRecorder()
        #expect(try await run([Edited.doubleNode, Edited.addOneNode], recorder: recorder) == 110)
        #expect(MacroCacheCounter.shared["double"] == 1, "double's body did not change: served from the cache")
        #expect(MacroCacheCounter.shared["add_one"] == 2, "add_one's body changed: run again")
        #expect(recorder.trace.contains("node_cached:double"))
        #expect(recorder.trace.contains("node_end:addOne"))
    }

    @Test func whitespaceAndCommentsKeepTheCacheEntries() async throws {
        MacroCacheCounter.shared.reset()
        _ = try await run([Before.doubleNode, Before.addOneNode])
        let recorder = EventRecorder()
        #expect(try await run([Reformatted.doubleNode, Reformatted.addOneNode], recorder: recorder) == 11)
        #expect(MacroCacheCounter.shared["double"] == 1)
        #expect(MacroCacheCounter.shared["add_one"] == 1)
        #expect(recorder.trace.filter { $0.hasPrefix("node_cached") } == ["node_cached:double", "node_cached:addOne"])
    }

    @Test func aPinnedCodeVersionWinsOverTheDigest() async throws {
        MacroCacheCounter.shared.reset()
        #expect(try await run([Before.doubleNode, Pinned.addOneNode]) == 11)
        // The body changed but the pinned version did not: the old result is served, as documented.
        #expect(try await run([Before.doubleNode, PinnedEdited.addOneNode]) == 11)
        #expect(MacroCacheCounter.shared["add_one"] == 1)
    }

    @Test func explicitNodesKeepTheBuildIdentity() {
        let explicit = Node("add_one", inputs: "doubled", output: "result") { (doubled: Int) in doubled + 1 }
        #expect(explicit.sourceDigest == nil)
        #expect(CodeIdentity.of(explicit) == "build:" + CodeIdentity.build)
        let identified = explicit.identifiedBySource("abc")
        #expect(CodeIdentity.of(identified) == "source:abc")
        #expect(identified.named("other").sourceDigest == "abc")
        #expect(identified.cached(false).sourceDigest == "abc")
    }
}

import SwiftParser
import SwiftSyntax
import Testing

@testable import HyperNodesMacros

@Suite("Source digest")
struct SourceDigestTests {
    static func function(_ source: String) throws -> FunctionDeclSyntax {
        let file = Parser.parse(source: source)
        return try #require(file.statements.first?.item.as(FunctionDeclSyntax.self), "no function in \(source)")
    }

    static func digest(_ source: String) throws -> String {
        SourceDigest.digest(of: try function(source))
    }

    @Test("SHA-256 of the FIPS 180-4 examples")
    func sha256Vectors() {
        func hex(_ text: String) -> String { SourceDigest.hex(SHA256Digest.hash(Array(text.utf8))) }
        #expect(hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            SourceDigest.hex(SHA256Digest.hash([UInt8](repeating: 0x61, count: 1_000_000)))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        // Lengths around the padding boundary: 55, 56 and 64 bytes.
        #expect(
            hex(String(repeating: "a", count: 55))
                == "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318")
        #expect(
            hex(String(repeating: "a", count: 56))
                == "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a")
        #expect(
            hex(String(repeating: "a", count: 64))
                == "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb")
    }

    /// Cached entries are keyed by these digests: a change to the normalization
    /// or the scheme would silently invalidate every cache, so it is pinned.
    @Test func digestsAreStableAcrossReleases() throws {
        let digest = try Self.digest("func f(x: Int) -> Int { x + 1 }")
        let expected = SourceDigest.hex(
            SHA256Digest.hash(Array("hypernodes.source.v1\nfunc f ( x : Int ) -> Int { x + 1 }".utf8)))
        #expect(digest == expected)
        #expect(digest == "72efd9cf0c2d5b343ca10f198ba84fec2a3ed336ce254827c0bac23ef4b2f9f0")  // Python hashlib agrees
    }

    @Test func normalizedTextIsTheTokensWithoutTheNodeAttribute() throws {
        let function = try Self.function(
            """
            /// Doubles.
            @Node(output: "doubled") @inlinable
            func double(x: Int) -> Int {
                x * 2  // twice
            }
            """)
        #expect(SourceDigest.normalizedText(of: function) == "@ inlinable func double ( x : Int ) -> Int { x * 2 }")
    }

    @Test func whitespaceAndCommentsDoNotChangeTheDigest() throws {
        let plain = try Self.digest("func f(x: Int) -> Int { x + 1 }")
        let reformatted = try Self.digest(
            """
            /// Adds one.
            @Node(output: "y")
            func f(
                x: Int  // the input
            ) -> Int {
                /* the body */
                x
                    + 1
            }
            """)
        #expect(plain == reformatted)
        #expect(plain.count == 64)
    }

    @Test func everyTokenChangesTheDigest() throws {
        let base = try Self.digest("func f(x: Int) -> Int { x + 1 }")
        let variants = [
            "func f(x: Int) -> Int { x + 2 }",
            "func f(x: Int) -> Int { x - 1 }",
            "func f(y: Int) -> Int { y + 1 }",
            "func f(x: Int64) -> Int64 { x + 1 }",
            "func g(x: Int) -> Int { x + 1 }",
            "func f(x: Int) throws -> Int { x + 1 }",
            "@inlinable func f(x: Int) -> Int { x + 1 }",
        ]
        var digests: Set<String> = [base]
        for variant in variants {
            digests.insert(try Self.digest(variant))
        }
        #expect(digests.count == variants.count + 1)
    }

    @Test func spacesInsideStringLiteralsCount() throws {
        let one = try Self.digest(#"func f() -> String { "a b" }"#)
        let two = try Self.digest(#"func f() -> String { "a  b" }"#)
        #expect(one != two)
    }

    @Test func tokensAreSeparatedSoJoiningThemIsNotTheSame() throws {
        // `a+b` and `a + b` are the same tokens; `ab` is one token and differs.
        #expect(
            try Self.digest("func f(a: Int, b: Int) -> Int { a+b }")
                == Self.digest("func f(a: Int, b: Int) -> Int { a + b }"))
        #expect(
            try Self.digest("func f() -> Int { let ab = 1; return ab }")
                != Self.digest("func f() -> Int { let a = 1; return a }"))
    }
}

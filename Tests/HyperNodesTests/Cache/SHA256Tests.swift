import Foundation
import Testing

@testable import HyperNodes

@Suite("SHA256")
struct SHA256Tests {
    static func hex(_ bytes: [UInt8]) -> String {
        CacheKey(bytes: bytes).hex
    }

    static func digest(_ text: String) -> String {
        hex(SHA256.hash(Array(text.utf8)))
    }

    @Test("NIST FIPS 180-4 example vectors")
    func nistVectors() {
        #expect(
            Self.digest("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            Self.digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        )
        #expect(
            Self.digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        )
        #expect(
            Self.digest(
                "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                    + "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
            ) == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        )
    }

    @Test("one million 'a' in one update and in uneven pieces")
    func millionA() {
        let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        let message = [UInt8](repeating: 0x61, count: 1_000_000)
        #expect(Self.hex(SHA256.hash(message)) == expected)

        var hasher = SHA256()
        var offset = 0
        var step = 1
        while offset < message.count {
            let end = min(offset + step, message.count)
            hasher.update(message[offset..<end])
            offset = end
            step = step % 997 + 13
        }
        #expect(Self.hex(hasher.finalize()) == expected)
    }

    @Test(
        "padding boundaries",
        arguments: [
            (55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
            (56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
            (63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"),
            (64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
            (65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"),
            (119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"),
            (120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"),
            (127, "c57e9278af78fa3cab38667bef4ce29d783787a2f731d4e12200270f0c32320a"),
            (128, "6836cf13bac400e9105071cd6af47084dfacad4e5e302c94bfed24e013afb73e"),
        ]
    )
    func paddingBoundaries(length: Int, expected: String) {
        #expect(Self.hex(SHA256.hash([UInt8](repeating: 0x61, count: length))) == expected)
    }

    @Test("every split of a message gives the one-shot digest")
    func incrementalSplits() {
        let message = (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let expected = SHA256.hash(message)
        for split in 0...message.count {
            var hasher = SHA256()
            message.withUnsafeBytes { raw in
                hasher.update(UnsafeRawBufferPointer(rebasing: raw[..<split]))
                hasher.update(UnsafeRawBufferPointer(rebasing: raw[split...]))
            }
            #expect(hasher.finalize() == expected, "split at \(split)")
        }
    }

    @Test("non-contiguous sequences and Data hash like arrays")
    func otherSequences() {
        let message = Array("The quick brown fox jumps over the lazy dog".utf8)
        let expected = "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592"
        #expect(Self.hex(SHA256.hash(message.lazy.map { $0 })) == expected)
        #expect(Self.hex(SHA256.hash(Data(message))) == expected)
        #expect(
            Self.hex(SHA256.hash(repeatElement(UInt8(0x61), count: 3000)))
                == Self.hex(SHA256.hash([UInt8](repeating: 0x61, count: 3000))))
    }

    @Test("finalize does not consume the hasher")
    func finalizeIsNonDestructive() {
        var hasher = SHA256()
        hasher.update(Array("ab".utf8))
        _ = hasher.finalize()
        hasher.update(Array("c".utf8))
        #expect(Self.hex(hasher.finalize()) == Self.digest("abc"))
        #expect(hasher.finalize().count == 32)
    }
}

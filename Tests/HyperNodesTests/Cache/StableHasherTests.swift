import Foundation
import Testing

@testable import HyperNodes

@Suite("StableHasher")
struct StableHasherTests {
    static func key(_ build: (inout StableHasher) -> Void) -> CacheKey {
        var hasher = StableHasher()
        build(&hasher)
        return hasher.finalize()
    }

    @Test("strings are length-prefixed")
    func stringBoundaries() {
        let split1 = Self.key {
            $0.combine("ab")
            $0.combine("c")
        }
        let split2 = Self.key {
            $0.combine("a")
            $0.combine("bc")
        }
        let joined = Self.key { $0.combine("abc") }
        #expect(split1 != split2)
        #expect(split1 != joined)
        let emptyFirst = Self.key {
            $0.combine("")
            $0.combine("x")
        }
        let emptyLast = Self.key {
            $0.combine("x")
            $0.combine("")
        }
        #expect(emptyFirst != emptyLast)
    }

    @Test("byte arrays are length-prefixed")
    func byteBoundaries() {
        let split1 = Self.key {
            $0.combine([1, 2] as [UInt8])
            $0.combine([3] as [UInt8])
        }
        let split2 = Self.key {
            $0.combine([1] as [UInt8])
            $0.combine([2, 3] as [UInt8])
        }
        #expect(split1 != split2)
    }

    @Test("Data and [UInt8] with the same bytes agree")
    func dataMatchesBytes() {
        let bytes: [UInt8] = [0, 1, 2, 255]
        #expect(Self.key { $0.combine(bytes) } == Self.key { $0.combine(Data(bytes)) })
    }

    @Test("values of different kinds do not collide")
    func kindsAreTagged() {
        let keys: [CacheKey] = [
            Self.key { $0.combine("") },
            Self.key { $0.combine([] as [UInt8]) },
            Self.key { $0.combine(UInt64(0)) },
            Self.key { $0.combine("abc") },
            Self.key { $0.combine(Array("abc".utf8)) },
            Self.key { _ in },
        ]
        #expect(Set(keys).count == keys.count)
    }

    @Test("order matters and equal input gives equal keys")
    func determinism() {
        let upstream = CacheKey(bytes: Array(repeating: 7, count: 32))
        let a = Self.key {
            $0.combine("node")
            $0.combine(upstream)
            $0.combine(UInt64(42))
        }
        let b = Self.key {
            $0.combine("node")
            $0.combine(upstream)
            $0.combine(UInt64(42))
        }
        let c = Self.key {
            $0.combine(UInt64(42))
            $0.combine(upstream)
            $0.combine("node")
        }
        let d = Self.key {
            $0.combine("node")
            $0.combine(upstream)
            $0.combine(UInt64(43))
        }
        #expect(a == b)
        #expect(a != c)
        #expect(a != d)
    }

    @Test("the encoding is stable across releases")
    func goldenValue() {
        // sha256(01 len"resize" | 04 u64le(640) | 02 len 01 02 03 | 03 00..1f)
        let key = Self.key {
            $0.combine("resize")
            $0.combine(UInt64(640))
            $0.combine([1, 2, 3] as [UInt8])
            $0.combine(CacheKey(bytes: Array(0..<32)))
        }
        #expect(key.hex == "cc77d31319c83b20c0a44ca1b7ca23ad68f14b9bee8e8bc53322a7cb382b0a21")
        #expect(
            Self.key { _ in }.hex
                == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test("finalize can be called repeatedly")
    func finalizeTwice() {
        var hasher = StableHasher()
        hasher.combine("a")
        let first = hasher.finalize()
        #expect(hasher.finalize() == first)
        hasher.combine("b")
        #expect(
            hasher.finalize()
                == Self.key {
                    $0.combine("a")
                    $0.combine("b")
                })
    }
}

import Foundation

/// The runtime description of a value type that flows between nodes.
///
/// Every input and output of a node carries a `ValueType`, captured from the
/// node's Swift signature when it is declared. Pipelines compare them when
/// they are built, so a consumer whose input type differs from its
/// producer's output type is rejected before anything runs.
public struct ValueType: Sendable, Hashable, CustomStringConvertible {
    let witness: ValueWitness

    /// The value type of `type`.
    public static func of<T: Sendable>(_ type: T.Type) -> ValueType {
        ValueType(witness: TypedWitness<T>())
    }

    /// The short, readable name of the type, such as `Int` or `Array<String>`.
    public var name: String { witness.name }

    /// The fully qualified name of the type, such as `Swift.Int`.
    public var qualifiedName: String { witness.qualifiedName }

    /// Whether values of this type can be stored in a cache (the type is `Codable`).
    public var isCodable: Bool { witness.isCodable }

    /// The readable name of the type.
    public var description: String { name }

    /// Two value types are equal when they describe the same Swift type.
    public static func == (lhs: ValueType, rhs: ValueType) -> Bool {
        lhs.witness.typeID == rhs.witness.typeID
    }

    /// Names for two different types that tell them apart: the short names,
    /// or the qualified names when the short ones are equal (two `Item`s).
    static func distinctNames(_ a: ValueType, _ b: ValueType) -> (String, String) {
        a.name == b.name ? (readable(a.qualifiedName), readable(b.qualifiedName)) : (a.name, b.name)
    }

    /// A qualified name without the per-build addresses Swift prints for
    /// private and local types (`(unknown context at $5640…).`).
    static func readable(_ qualifiedName: String) -> String {
        var text = Substring(qualifiedName)
        var out = ""
        while let open = text.range(of: "(unknown context at ") {
            out += text[..<open.lowerBound]
            guard let close = text[open.upperBound...].range(of: ").") else { break }
            out += "(private)."
            text = text[close.upperBound...]
        }
        return out + text
    }

    /// Hashes the identity of the Swift type.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(witness.typeID)
    }
}

/// Type-specific operations the engine needs on type-erased values.
class ValueWitness: @unchecked Sendable {
    let typeID: ObjectIdentifier
    let name: String
    let qualifiedName: String
    let isCodable: Bool

    init(typeID: ObjectIdentifier, name: String, qualifiedName: String, isCodable: Bool) {
        self.typeID = typeID
        self.name = name
        self.qualifiedName = qualifiedName
        self.isCodable = isCodable
    }

    /// Whether `value` is of this type.
    func accepts(_ value: any Sendable) -> Bool { fatalError("abstract") }
    /// The type `[T]` for this type `T`.
    var arrayType: ValueType { fatalError("abstract") }
    /// Splits a value of type `[T]` into its elements, or `nil` if it is not a `[T]`.
    func elements(of value: any Sendable) -> [any Sendable]? { fatalError("abstract") }
    /// Builds a `[T]` from elements of type `T`.
    func makeArray(_ elements: [any Sendable]) -> any Sendable { fatalError("abstract") }
    /// Encodes a value for the cache and for content hashing.
    func encode(_ value: any Sendable) throws -> Data { fatalError("abstract") }
    /// Decodes a value stored by ``encode(_:)``.
    func decode(_ data: Data) throws -> any Sendable { fatalError("abstract") }
}

final class TypedWitness<T: Sendable>: ValueWitness, @unchecked Sendable {
    init() {
        super.init(
            typeID: ObjectIdentifier(T.self),
            name: String(describing: T.self),
            qualifiedName: String(reflecting: T.self),
            isCodable: T.self is any Codable.Type
        )
    }

    override func accepts(_ value: any Sendable) -> Bool { value is T }

    override var arrayType: ValueType { ValueType.of([T].self) }

    override func elements(of value: any Sendable) -> [any Sendable]? {
        guard let array = value as? [T] else { return nil }
        return array.map { $0 }
    }

    override func makeArray(_ elements: [any Sendable]) -> any Sendable {
        elements.map { $0 as! T }
    }

    override func encode(_ value: any Sendable) throws -> Data {
        guard let encodable = value as? any Encodable else {
            throw ValueCodingError("values of type \(name) are not Codable")
        }
        return try ValueCoding.encoder.encode(encodable)
    }

    override func decode(_ data: Data) throws -> any Sendable {
        guard let decodable = T.self as? any Decodable.Type else {
            throw ValueCodingError("values of type \(name) are not Codable")
        }
        let value = try ValueCoding.decoder.decode(decodable, from: data)
        guard let typed = value as? T else {
            throw ValueCodingError("decoded value is not of type \(name)")
        }
        return typed
    }
}

/// The encoder and decoder used for cached values and content hashes.
enum ValueCoding {
    // Configured once and shared: Foundation's JSONEncoder and JSONDecoder are
    // Sendable and safe to use from several threads once configured.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "+inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "+inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }()
}

struct ValueCodingError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

import SwiftSyntax

/// The code identity of a function, computed from its source at compile time.
///
/// The digest covers the function's tokens (its attributes other than
/// `@Node`, modifiers, signature and body) and nothing else: whitespace and
/// comments are trivia, so reformatting or re-commenting the function keeps
/// its digest, and any change to a token changes it.
public enum SourceDigest {
    /// A version tag hashed before the tokens, to be changed if the
    /// normalization ever changes.
    static let scheme = "hypernodes.source.v1"

    /// The normalized text of `function`: its tokens, `@Node` attributes
    /// left out, separated by single spaces.
    public static func normalizedText(of function: FunctionDeclSyntax) -> String {
        let attributes = function.attributes.filter { element in
            guard case .attribute(let attribute) = element else { return true }
            return !isNodeAttribute(attribute)
        }
        let stripped = function.with(\.attributes, attributes)
        return stripped.tokens(viewMode: .sourceAccurate).map(\.text).joined(separator: " ")
    }

    /// The hexadecimal SHA-256 digest of the normalized text of `function`.
    public static func digest(of function: FunctionDeclSyntax) -> String {
        hex(SHA256Digest.hash(Array((scheme + "\n" + normalizedText(of: function)).utf8)))
    }

    /// Whether `attribute` is `@Node` or `@HyperNodes.Node`.
    static func isNodeAttribute(_ attribute: AttributeSyntax) -> Bool {
        let name = attribute.attributeName.trimmedDescription
        return name == "Node" || name == "HyperNodes.Node"
    }

    /// Lower-case hexadecimal text of `bytes`.
    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        var text = ""
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return text
    }
}

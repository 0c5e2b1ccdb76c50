import Foundation

/// Turns text into a dense unit vector by hashing its features: a deterministic
/// stand-in for an embedding model, with real CPU work.
///
/// The features of a text are its terms (weight 1), the character trigrams of each term
/// (together weight about 1, so `browning` is near `brown`) and each pair of
/// neighbouring terms (weight 0.5, for a little word order). Each feature has a fixed
/// pseudo-random direction in ``dimensions`` dimensions, whose every component is the
/// sum of `rounds` random signs divided by √`rounds` (close to a normal distribution for
/// enough rounds); a text's vector is the weighted sum of its features' directions,
/// scaled to length 1. Texts that share features get similar vectors: the cosine of
/// two vectors estimates the overlap of the two texts' features. The work is
/// proportional to features × dimensions × rounds.
enum HashingEmbedder {
    /// The length of every vector.
    static let dimensions = 256
    /// The rounds per component of a feature's direction at the default work level.
    static let defaultRounds = 40

    /// The weighted features of `terms`, sorted by name (so that the floating-point
    /// sums never depend on dictionary order).
    static func features(of terms: [String]) -> [(name: String, weight: Double)] {
        var weights: [String: Double] = [:]
        for term in terms {
            weights["w:" + term, default: 0] += 1
            let padded = Array("^" + term + "$")
            if padded.count >= 3 {
                let trigramCount = padded.count - 2
                let weight = 1 / Double(trigramCount).squareRoot()
                for start in 0..<trigramCount {
                    weights["c:" + String(padded[start..<(start + 3)]), default: 0] += weight
                }
            }
        }
        for (first, second) in zip(terms, terms.dropFirst()) {
            weights["b:" + first + " " + second, default: 0] += 0.5
        }
        // Repeated features count less than proportionally (1 + ln w for w > 1).
        return weights.keys.sorted().map { name in
            let weight = weights[name]!
            return (name, weight > 1 ? 1 + log(weight) : weight)
        }
    }

    /// The unit vector of `terms`; all zeros when there are no terms.
    static func embed(terms: [String], rounds: Int = defaultRounds) -> [Float] {
        var vector = [Double](repeating: 0, count: dimensions)
        let scale = 1 / Double(max(1, rounds)).squareRoot()
        for feature in features(of: terms) {
            let seed = RetrievalHash.fnv1a(feature.name)
            let weight = feature.weight * scale
            for dimension in 0..<dimensions {
                var sum = 0
                var state = seed &+ UInt64(dimension) &* 0x9E37_79B9_7F4A_7C15
                for _ in 0..<rounds {
                    state &+= 0xD1B5_4A32_D192_ED03
                    sum += RetrievalHash.mix(state) & 1 == 0 ? 1 : -1
                }
                vector[dimension] += weight * Double(sum)
            }
        }
        return normalized(vector)
    }

    /// `vector` scaled to length 1, as `Float`s; all zeros for a zero vector.
    static func normalized(_ vector: [Double]) -> [Float] {
        let length = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard length > 0 else { return [Float](repeating: 0, count: vector.count) }
        return vector.map { Float($0 / length) }
    }
}

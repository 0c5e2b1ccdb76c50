import Foundation

/// How fast replay moves through a trace's time.
public enum PlaybackSpeed: Sendable, Hashable, CustomStringConvertible {
    /// Trace time runs `factor` times as fast as wall-clock time.
    case factor(Double)
    /// As fast as records arrive: the position follows everything loaded.
    case max

    /// The original timing.
    public static let normal = PlaybackSpeed.factor(1)

    /// The factors ``faster()`` and ``slower()`` step through, below ``max``.
    public static let steps: [Double] = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64]

    /// The next step up (from 64× to ``max``; ``max`` stays).
    public func faster() -> PlaybackSpeed {
        guard case .factor(let factor) = self else { return .max }
        if let next = Self.steps.first(where: { $0 > factor }) { return .factor(next) }
        return .max
    }

    /// The next step down (from ``max`` to 64×; 0.25× stays).
    public func slower() -> PlaybackSpeed {
        guard case .factor(let factor) = self else { return .factor(Self.steps[Self.steps.count - 1]) }
        if let previous = Self.steps.last(where: { $0 < factor }) { return .factor(previous) }
        return .factor(Self.steps[0])
    }

    /// `1×`, `0.25×`, `64×`, `max`.
    public var description: String {
        switch self {
        case .max: return "max"
        case .factor(let factor):
            if factor == factor.rounded() && abs(factor) < 1e15 { return "\(Int(factor))×" }
            return "\(factor)×"
        }
    }

    /// Parses `max`, `2`, `0.5`, `2x` or `2×`; `nil` for anything else or a factor that is not positive.
    public init?(parsing text: String) {
        var value = text.trimmingCharacters(in: .whitespaces).lowercased()
        if value == "max" {
            self = .max
            return
        }
        if value.hasSuffix("x") || value.hasSuffix("×") { value.removeLast() }
        guard let factor = Double(value), factor.isFinite, factor > 0 else { return nil }
        self = .factor(factor)
    }
}

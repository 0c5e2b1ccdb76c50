/// The outputs of one run, by name.
///
/// ```swift
/// let result = try await pipeline.run(inputs: ["x": 5])
/// let doubled = result["doubled", as: Int.self]        // Int?
/// let sum = try result.value("sum", as: Int.self)       // throws if absent or mistyped
/// let typed = result[Output<Int>("sum")]                // Int?
/// ```
public struct PipelineResult: @unchecked Sendable, CustomStringConvertible {
    let graph: CompiledGraph
    let slots: [Int]
    let frame: Frame
    /// Set for a map item that failed under ``MapFailurePolicy/collect``: the
    /// result holds no outputs and reading one throws.
    var failure: MapItemFailure? = nil

    /// Whether this result is that of a map item that failed (under
    /// ``MapFailurePolicy/collect``); such a result holds no outputs.
    public var isFailure: Bool { failure != nil }

    /// The names of the outputs held, in execution order.
    public var names: [String] { slots.compactMap { frame[$0] == nil ? nil : graph.slotNames[$0] } }

    /// The value of output `name`, or `nil` if this result does not hold it.
    public subscript(name: String) -> (any Sendable)? {
        guard let slot = graph.slotOf[name], slots.contains(slot) else { return nil }
        return frame[slot]
    }

    /// The value of output `name` as `T`, or `nil` if absent or of another type.
    public subscript<T>(name: String, as type: T.Type) -> T? {
        self[name] as? T
    }

    /// The value of a typed output, or `nil` if absent.
    public subscript<T>(output: Output<T>) -> T? {
        self[output.name] as? T
    }

    /// The value of output `name` as `T`.
    ///
    /// - Throws: ``ResultError`` naming the output and what is available, or
    ///   both types when the value has another type, or the item and its error
    ///   when this is the result of a failed map item.
    public func value<T>(_ name: String, as type: T.Type = T.self) throws -> T {
        if let failure { throw ResultError.failedItem(failure, output: name) }
        return try ResultError.typed(self[name], name: name, available: names)
    }

    /// The value of a typed output.
    ///
    /// - Throws: ``ResultError`` when the result does not hold it or it has another type.
    public func value<T>(_ output: Output<T>) throws -> T {
        try value(output.name, as: T.self)
    }

    /// All outputs as a dictionary.
    public var values: [String: any Sendable] {
        var values: [String: any Sendable] = [:]
        for slot in slots {
            if let value = frame[slot] { values[graph.slotNames[slot]] = value }
        }
        return values
    }

    /// `["name": value, …]` in execution order, or `failed: …` for a failed map item.
    public var description: String {
        if let failure { return "failed: \(failure.error)" }
        let parts = slots.compactMap { slot in
            frame[slot].map { "\"\(graph.slotNames[slot])\": \(String(describing: $0))" }
        }
        return "[" + parts.joined(separator: ", ") + "]"
    }
}

/// A failure to read a value from a result.
public enum ResultError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The result holds no output of that name.
    case missing(name: String, available: [String])
    /// The output has another type than the one requested.
    case wrongType(name: String, requested: String, actual: String)
    /// The output belongs to a map item that failed under ``MapFailurePolicy/collect``;
    /// `error` is the item's error message (`clean[3] > parse_row: …`).
    case itemFailed(name: String, item: Int, error: String)

    static func failedItem(_ failure: MapItemFailure, output: String) -> ResultError {
        .itemFailed(name: output, item: failure.index, error: String(describing: failure.error))
    }

    /// `value` as `T`, or the error saying why it is not one.
    static func typed<T>(_ value: (any Sendable)?, name: String, available: @autoclosure () -> [String]) throws -> T {
        guard let value else { throw ResultError.missing(name: name, available: available()) }
        guard let typed = value as? T else {
            throw ResultError.wrongType(
                name: name, requested: String(describing: T.self), actual: String(describing: type(of: value)))
        }
        return typed
    }

    /// The message.
    public var description: String {
        switch self {
        case .missing(let name, let available):
            "no output '\(name)' in the result (outputs: \(available.isEmpty ? "none" : available.joined(separator: ", ")))"
        case .wrongType(let name, let requested, let actual):
            "output '\(name)' is \(actual), not \(requested)"
        case .itemFailed(let name, let item, let error):
            "no output '\(name)' for item \(item): the item failed: \(error)"
        }
    }
}

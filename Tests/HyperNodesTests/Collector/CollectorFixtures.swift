import HyperNodes

/// Pipelines for the collector's tests.
enum CollectorFixtures {
    struct Boom: Error, CustomStringConvertible {
        let value: Int
        var description: String { "boom at \(value)" }
    }

    /// `double: x → doubled`, `add_one: doubled → result`; `double` fails for `failOn`.
    static func arithmetic(name: String = "arith", failOn: Int? = nil) throws -> Pipeline {
        let double = Node("double", inputs: "x", output: "doubled") { (x: Int) in
            if x == failOn { throw Boom(value: x) }
            return x * 2
        }
        let addOne = Node("add_one", inputs: "doubled", output: "result") { (d: Int) in d + 1 }
        return try Pipeline(nodes: [double, addOne], name: name)
    }

    /// `rows` maps over `row`; inside each item `cells` (the inner `arith` mapped over `x`)
    /// runs over `[row, row + 1, row + 2]`, then `total` adds its results up.
    static func nested() throws -> Pipeline {
        let spread = Node("spread", inputs: "row", output: "x") { (row: Int) in [row, row + 1, row + 2] }
        let cells = try arithmetic().asNode(name: "cells", mapOver: ["x"])
        let total = Node("total", inputs: "result", output: "sum") { (r: [Int]) in r.reduce(0, +) }
        return try Pipeline(nodes: [spread, cells, total], name: "rows")
    }
}

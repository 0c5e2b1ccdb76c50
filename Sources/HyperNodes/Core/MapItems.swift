/// The items of a map: which element of each mapped list item *i* takes.
struct MapItems: Sendable {
    let lists: [(slot: Int, elements: [any Sendable])]
    let mode: MapMode
    let count: Int

    init(lists: [(slot: Int, elements: [any Sendable])], names: [String], mode: MapMode) throws {
        self.lists = lists
        self.mode = mode
        switch mode {
        case .zip:
            let lengths = Set(lists.map(\.elements.count))
            if lengths.count > 1 {
                var byName: [String: Int] = [:]
                for (name, list) in zip(names, lists) { byName[name] = list.elements.count }
                throw PipelineError.zipLengthMismatch(lengths: byName)
            }
            count = lengths.first ?? 0
        case .product:
            count = lists.isEmpty ? 0 : lists.reduce(1) { $0 * $1.elements.count }
        }
    }

    /// Writes item `index`'s elements into `frame`.
    func fill(_ frame: Frame, item index: Int) {
        switch mode {
        case .zip:
            for list in lists { frame[list.slot] = list.elements[index] }
        case .product:
            // The first list varies slowest.
            var rest = index
            for list in lists.reversed() {
                let n = list.elements.count
                frame[list.slot] = list.elements[rest % n]
                rest /= n
            }
        }
    }
}

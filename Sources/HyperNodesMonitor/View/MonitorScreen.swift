/// The monitor's screens, each reachable by one key.
public enum MonitorScreen: Int, Sendable, Hashable, CaseIterable {
    /// Pipelines and nodes as a tree, with map progress.
    case tree
    /// Throughput and latency of one map.
    case map
    /// Spans as bars on a time axis.
    case waterfall

    /// The screen's name in the status bar and the help.
    public var title: String {
        switch self {
        case .tree: "Tree"
        case .map: "Map"
        case .waterfall: "Waterfall"
        }
    }

    /// The key that shows the screen (`1`, `2`, `3`).
    public var key: Character {
        switch self {
        case .tree: "1"
        case .map: "2"
        case .waterfall: "3"
        }
    }

    /// The next screen (Tab), wrapping around.
    public var next: MonitorScreen { MonitorScreen(rawValue: (rawValue + 1) % Self.allCases.count) ?? .tree }
    /// The previous screen (Shift-Tab), wrapping around.
    public var previous: MonitorScreen {
        MonitorScreen(rawValue: (rawValue + Self.allCases.count - 1) % Self.allCases.count) ?? .tree
    }
}

import ArgumentParser
import HyperNodes

/// `--on-failure`: what the `clean_row` map does with a row that fails.
enum FailurePolicyOption: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// Clean every other row and list the failures in the report.
    case collect
    /// End at the first failing row with its error.
    case stop

    /// The engine's policy.
    var policy: MapFailurePolicy { self == .collect ? .collect : .stop }
}

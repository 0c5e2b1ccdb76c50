extension UInt64 {
    /// `self + other`, or `UInt64.max` when the sum does not fit: times and
    /// durations from a damaged trace can be anything.
    func saturatingAdd(_ other: UInt64) -> UInt64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }
}

/// State that only an ``EventQueue``'s drain thread touches.
///
/// The queue calls its `deliver` closure on one thread, one batch at a time,
/// so the state needs no lock; this box only carries it into that closure.
/// Never use it from any other thread.
final class DrainThreadOwned<Value>: @unchecked Sendable {
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    func withValue<Result>(_ body: (inout Value) -> Result) -> Result {
        body(&value)
    }
}

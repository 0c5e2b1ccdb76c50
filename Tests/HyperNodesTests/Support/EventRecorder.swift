import HyperNodes
import Synchronization

/// A callback that keeps every event with its context, for assertions.
final class EventRecorder: PipelineCallback, Sendable {
    struct Record: Sendable {
        let event: PipelineEvent
        let context: CallbackContext
    }

    private let storage = Mutex<[Record]>([])
    let wantsValuePreviews: Bool

    init(previews: Bool = false) { wantsValuePreviews = previews }

    func handle(_ event: PipelineEvent, context: CallbackContext) {
        storage.withLock { $0.append(Record(event: event, context: context)) }
    }

    var records: [Record] { storage.withLock { $0 } }
    var events: [PipelineEvent] { records.map(\.event) }

    /// `kind:name` per event, e.g. `node_start:double`; map items as `map_item_start[0]`.
    var trace: [String] {
        events.map { event in
            if let index = event.itemIndex { return "\(event.kind)[\(index)]" }
            return "\(event.kind):\(event.name)"
        }
    }

    func clear() { storage.withLock { $0.removeAll() } }
}

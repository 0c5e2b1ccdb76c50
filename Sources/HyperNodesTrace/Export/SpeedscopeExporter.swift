import HyperNodes

/// Writes a trace as a speedscope file (https://www.speedscope.app):
/// one evented profile per worker lane of each run, in nanoseconds.
///
/// Frames are shared between profiles: one per span kind and name (the
/// items of a map share one frame). Each profile's open and close events
/// are balanced — every close matches the latest open, at non-decreasing
/// times — as speedscope requires; a damaged trace's overlapping spans get
/// a profile of their own. Times count from the earliest run's start.
public struct SpeedscopeExporter: Sendable {
    /// Creates an exporter.
    public init() {}

    /// The speedscope JSON document for `model`.
    public func export(_ model: TraceModel) -> [UInt8] {
        var frames: [String] = []
        var frameIndex: [String: Int] = [:]
        var profiles = JSONBuffer(capacity: 1 << 16)
        var profileCount = 0
        for run in model.runs {
            let offset = ExportSupport.offset(of: run, in: model)
            let runEnd = offset.saturatingAdd(max(run.duration, run.spans.map(\.end).max() ?? 0))
            for track in TrackLayout(run: run).tracks {
                if profileCount > 0 { profiles.raw(",\n") }
                profileCount += 1
                var name = "\(run.name) · lane \(track.lane)"
                if track.overflow > 0 { name += " (overlapping spans \(track.overflow))" }
                if let label = ExportSupport.runLabel(run, in: model) { name += " · \(label)" }
                profiles.raw("{\"type\":\"evented\",\"name\":")
                profiles.string(name)
                profiles.raw(",\"unit\":\"nanoseconds\",\"startValue\":")
                profiles.number(offset)
                profiles.raw(",\"endValue\":")
                profiles.number(runEnd)
                profiles.raw(",\"events\":[")
                for (position, event) in TrackLayout.events(of: track, in: run).enumerated() {
                    let frameName = ExportSupport.frameName(of: run.spans[event.span])
                    let frame: Int
                    if let known = frameIndex[frameName] {
                        frame = known
                    } else {
                        frame = frames.count
                        frameIndex[frameName] = frame
                        frames.append(frameName)
                    }
                    if position > 0 { profiles.byte(UInt8(ascii: ",")) }
                    profiles.raw(event.open ? "{\"type\":\"O\",\"frame\":" : "{\"type\":\"C\",\"frame\":")
                    profiles.number(frame)
                    profiles.raw(",\"at\":")
                    profiles.number(offset.saturatingAdd(event.time))
                    profiles.byte(UInt8(ascii: "}"))
                }
                profiles.raw("]}")
            }
        }
        var out = JSONBuffer(capacity: profiles.count + frames.count * 32 + 256)
        out.raw("{\"$schema\":\"https://www.speedscope.app/file-format-schema.json\",\"name\":")
        out.string(model.runs.map(\.name).joined(separator: ", "))
        out.raw(",\"exporter\":\"hypernodes\",\"activeProfileIndex\":0,\"shared\":{\"frames\":[")
        for (position, frame) in frames.enumerated() {
            if position > 0 { out.byte(UInt8(ascii: ",")) }
            out.raw("{\"name\":")
            out.string(frame)
            out.byte(UInt8(ascii: "}"))
        }
        out.raw("]},\"profiles\":[\n")
        profiles.withUnsafeBytes { if let base = $0.baseAddress { out.append(base, count: $0.count) } }
        out.raw("\n]}\n")
        return out.bytes
    }
}

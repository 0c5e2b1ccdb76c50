/// The spans of one run laid out on tracks on which they nest strictly, one
/// track per worker lane: the layout Chrome trace viewers and speedscope
/// need.
///
/// Spans of one lane nest or follow each other in a well-formed trace, so
/// each lane is one track. A damaged trace can break that; a span that
/// would overlap another without nesting goes to an extra track of its
/// lane instead, so every track nests strictly whatever the input.
struct TrackLayout {
    /// One track: spans in start order, each nested in or after the previous ones.
    struct Track {
        /// The worker lane.
        var lane: Int
        /// 0 for the lane's own track; 1, 2, … for extra tracks of a damaged trace.
        var overflow: Int
        /// Span indices, ordered by start (a parent before its children).
        var spans: [Int]
    }

    /// The tracks, ordered by lane and overflow.
    let tracks: [Track]

    init(run: TraceRun) {
        var byLane: [Int: [Int]] = [:]
        for span in run.spans { byLane[span.lane, default: []].append(span.index) }
        var tracks: [Track] = []
        for lane in byLane.keys.sorted() {
            let spans = byLane[lane]!.sorted { a, b in
                let x = run.spans[a]
                let y = run.spans[b]
                if x.start != y.start { return x.start < y.start }
                if x.end != y.end { return x.end > y.end }
                if x.depth != y.depth { return x.depth < y.depth }
                return a < b
            }
            var laneTracks: [Track] = []
            var stacks: [[UInt64]] = []  // open span ends per track
            for index in spans {
                let span = run.spans[index]
                var placed = false
                for position in laneTracks.indices {
                    while let top = stacks[position].last, top <= span.start {
                        stacks[position].removeLast()
                    }
                    if let top = stacks[position].last, top < span.end { continue }
                    stacks[position].append(span.end)
                    laneTracks[position].spans.append(index)
                    placed = true
                    break
                }
                if !placed {
                    laneTracks.append(Track(lane: lane, overflow: laneTracks.count, spans: [index]))
                    stacks.append([span.end])
                }
            }
            tracks += laneTracks
        }
        self.tracks = tracks
    }

    /// Open and close events of a track's spans in an order that keeps them
    /// balanced: a close always matches the latest open, times never decrease.
    static func events(of track: Track, in run: TraceRun) -> [(span: Int, open: Bool, time: UInt64)] {
        var events: [(span: Int, open: Bool, time: UInt64)] = []
        events.reserveCapacity(track.spans.count * 2)
        var stack: [Int] = []
        for index in track.spans {
            let span = run.spans[index]
            while let top = stack.last, run.spans[top].end <= span.start {
                events.append((top, false, run.spans[top].end))
                stack.removeLast()
            }
            events.append((index, true, span.start))
            stack.append(index)
        }
        while let top = stack.popLast() {
            events.append((top, false, run.spans[top].end))
        }
        return events
    }
}

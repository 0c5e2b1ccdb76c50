import Testing

@testable import HyperNodesMonitor

@Suite("Monitor playback clock")
struct SourcePlaybackClockTests {
    let second: UInt64 = 1_000_000_000

    @Test("replay moves by wall time times the speed and never passes what has been loaded")
    func replay() {
        var clock = PlaybackClock(mode: .replay)
        clock.advance(to: 100, latest: 10 * second, finished: false)
        #expect(clock.position == 0)
        clock.advance(to: 100 + second, latest: 10 * second, finished: false)
        #expect(clock.position == second)
        clock.speed = .factor(4)
        clock.advance(to: 100 + 2 * second, latest: 10 * second, finished: false)
        #expect(clock.position == 5 * second)
        clock.advance(to: 100 + 3 * second, latest: 6 * second, finished: false)
        #expect(clock.position == 6 * second)  // only 6 s loaded
        clock.advance(to: 100 + 4 * second, latest: 20 * second, finished: true)
        #expect(clock.position == 10 * second)
        clock.advance(to: 100 + 10 * second, latest: 20 * second, finished: true)
        #expect(clock.position == 20 * second && clock.isAtEnd)
        clock.advance(to: 100 + 20 * second, latest: 20 * second, finished: true)
        #expect(clock.position == 20 * second)
    }

    @Test("max speed and follow pin replay to the latest time loaded")
    func maxAndFollow() {
        var clock = PlaybackClock(mode: .replay, speed: .max)
        clock.advance(to: 0, latest: 7, finished: false)
        #expect(clock.position == 7)
        clock.speed = .normal
        clock.seek(to: 0)
        clock.follows = true
        #expect(clock.position == 7)
        clock.advance(to: 1, latest: 900, finished: false)
        #expect(clock.position == 900)
    }

    @Test("pause holds the position, resume continues without a jump")
    func pause() {
        var clock = PlaybackClock(mode: .replay, paused: true)
        clock.advance(to: 0, latest: 100 * second, finished: true)
        clock.advance(to: 5 * second, latest: 100 * second, finished: true)
        #expect(clock.position == 0 && clock.isPaused)
        clock.togglePause()
        clock.advance(to: 50 * second, latest: 100 * second, finished: true)
        #expect(clock.position == 0)  // the paused time does not count
        clock.advance(to: 51 * second, latest: 100 * second, finished: true)
        #expect(clock.position == second)
    }

    @Test("seek, steps sized to the run, start and end stay within what is loaded")
    func seekAndStep() {
        var clock = PlaybackClock(mode: .replay, paused: true)
        clock.advance(to: 0, latest: 30 * second, finished: true)
        #expect(clock.stepSize == 500_000_000)  // a hundredth of 30 s, rounded up to 1-2-5
        clock.seek(to: 10 * second)
        clock.step(by: 2)
        #expect(clock.position == 11 * second)
        clock.step(by: -100)
        #expect(clock.position == 0)
        clock.step(by: .max)
        #expect(clock.position == 30 * second)
        clock.seek(to: .max)
        #expect(clock.position == 30 * second)
        clock.jumpToStart()
        #expect(clock.position == 0)
        clock.jumpToEnd(latest: 30 * second)
        #expect(clock.position == 30 * second)
        var short = PlaybackClock(mode: .replay)
        short.advance(to: 0, latest: 50_000, finished: true)
        #expect(short.stepSize == 1_000)
        short.advance(to: 0, latest: 123_000_000, finished: true)
        #expect(short.stepSize == 2_000_000)
    }

    @Test("live follows the latest time and the wall clock, stops at the end, and resumes following on G")
    func live() {
        var clock = PlaybackClock(mode: .live)
        #expect(clock.follows)
        clock.advance(to: 0, latest: 5 * second, finished: false)
        #expect(clock.position == 5 * second)
        clock.advance(to: second, latest: 5 * second, finished: false)
        #expect(clock.position == 6 * second)  // running spans grow between events
        clock.advance(to: 2 * second, latest: 9 * second, finished: false)
        #expect(clock.position == 9 * second)
        clock.togglePause()
        #expect(!clock.follows)
        clock.advance(to: 3 * second, latest: 12 * second, finished: false)
        #expect(clock.position == 9 * second)
        clock.step(by: -1)
        #expect(clock.position < 9 * second)
        clock.jumpToEnd(latest: 12 * second)
        #expect(clock.follows && clock.position == 12 * second)
        clock.togglePause()
        clock.follows = true
        clock.advance(to: 4 * second, latest: 13 * second, finished: true)
        #expect(clock.position == 13 * second && clock.isAtEnd)
    }

    @Test("speed steps from 0.25× to 64× and max, and parse from the command line")
    func speeds() {
        var speed = PlaybackSpeed.normal
        var seen: [String] = []
        for _ in 0..<12 {
            speed = speed.faster()
            seen.append(speed.description)
        }
        #expect(seen.prefix(8) == ["2×", "4×", "8×", "16×", "32×", "64×", "max", "max"])
        for _ in 0..<20 { speed = speed.slower() }
        #expect(speed == .factor(0.25) && speed.description == "0.25×")
        #expect(PlaybackSpeed.factor(3).faster() == .factor(4) && PlaybackSpeed.factor(3).slower() == .factor(2))
        #expect(PlaybackSpeed(parsing: "max") == .max && PlaybackSpeed(parsing: "2x") == .factor(2))
        #expect(PlaybackSpeed(parsing: "0.5") == .factor(0.5) && PlaybackSpeed(parsing: "0") == nil)
        #expect(PlaybackSpeed(parsing: "fast") == nil && PlaybackSpeed(parsing: "-1") == nil)
    }
}

import Foundation
import HyperNodesTrace
import Testing

/// The `longrun` demo as a program: deterministic results whatever the pacing and
/// concurrency, the damaged files quarantined and failing their strict check, the cached
/// baseline, and clear messages for bad options.
@Suite("longrun demo")
struct LongRunDemoTests {
    static let small = ["--items", "30", "--batches", "4", "--lines", "80"]

    /// The report row `label` of a run's output.
    static func row(_ label: String, _ output: RunOutput) -> String? {
        LongRunProcess.row(label, in: output.stdout)
    }

    @Test("the digest is the same with one worker or three, paced or not; two damaged files fail their strict check")
    func digestIsDeterministic() async throws {
        let sequential = try await Executable.run(
            Self.small + ["--minutes", "0", "--concurrency", "1", "--no-cache"], product: "longrun")
        let paced = try await Executable.run(
            Self.small + ["--minutes", "0.02", "--concurrency", "3", "--no-cache"], product: "longrun")
        #expect(sequential.status == 0, "\(sequential)")
        #expect(paced.status == 0, "\(paced)")
        let digest = try #require(Self.row("Digest", sequential))
        #expect(digest.count == 16 && digest.allSatisfy(\.isHexDigit))
        #expect(Self.row("Digest", paced) == digest, "\(paced)")
        #expect(sequential.stdout.contains("not paced"))
        #expect(paced.stdout.contains("paced at "))
        let quarantined = sequential.stdout.split(separator: "\n").filter {
            $0.contains("fails the strict check at line")
        }
        #expect(quarantined.count == 2, "\(sequential.stdout)")
        #expect(Self.row("Files", sequential)?.hasPrefix("30 on 4 hosts") == true, "\(sequential.stdout)")
        // Another seed analyses other files.
        let other = try await Executable.run(
            Self.small + ["--minutes", "0", "--no-cache", "--seed", "7"], product: "longrun")
        #expect(other.status == 0 && Self.row("Digest", other) != digest, "\(other)")
    }

    @Test("a second run with the same cache serves build_baseline from it, with the same digest")
    func secondRunHitsTheCache() async throws {
        let cache = TemporaryDirectory("hn-longrun-cache")
        let arguments = Self.small + ["--minutes", "0", "--cache-dir", cache.url.path]
        let first = try await Executable.run(arguments, product: "longrun")
        let second = try await Executable.run(arguments, product: "longrun")
        #expect(first.status == 0 && second.status == 0, "\(first)\n\(second)")
        #expect(Self.row("From cache", first) == "nothing", "\(first)")
        #expect(Self.row("From cache", second) == "build_baseline", "\(second)")
        #expect(Self.row("Digest", first) == Self.row("Digest", second))
    }

    @Test("the recorded trace holds the main run with its nested maps and the two failed strict checks")
    func recordedTrace() async throws {
        let directory = TemporaryDirectory("hn-longrun-trace")
        let path = directory.url.appendingPathComponent("run.jsonl").path
        let run = try await Executable.run(
            Self.small + ["--minutes", "0", "--no-cache", "--record", path], product: "longrun")
        #expect(run.status == 0, "\(run)")
        let model = try TraceModel(path: path)
        #expect(model.problems.isEmpty)
        #expect(model.runs.map(\.name) == ["longrun", "strict_check", "strict_check"])
        #expect(model.runs.map(\.status) == [.ok, .error, .error])
        let main = model.runs[0]
        let maps = main.maps.map { "\($0.name) \($0.done)/\($0.items)" }
        #expect(maps.filter { $0 == "host_analysis 4/4" }.count == 1, "\(maps)")
        #expect(main.maps.filter { $0.name == "file_analysis" }.map(\.done).reduce(0, +) == 30, "\(maps)")
        #expect(model.runs.allSatisfy { $0.isComplete })
    }

    @Test(
        "bad options get a message naming the option and the value",
        arguments: [
            (["--items", "0"], "--items must be between 1 and 1000000, got 0."),
            (["--minutes", "-1"], "--minutes must be between 0 and 1440, got -1.0."),
            (["--concurrency", "0"], "--concurrency must be between 1 and 1000, got 0."),
            (["--no-cache", "--cache-dir", "/tmp"], "--no-cache and --cache-dir cannot be used together."),
            (["--minutes", "0", "--no-cache", "--record", "/nonexistent/dir/run.jsonl"], "--record: "),
        ])
    func badOptions(arguments: [String], message: String) async throws {
        let run = try await Executable.run(Self.small + arguments, product: "longrun")
        #expect(run.status != 0, "\(run)")
        #expect(run.stderr.contains(message), "\(run)")
        #expect(!run.stdout.contains("Digest"), "\(run)")
    }
}

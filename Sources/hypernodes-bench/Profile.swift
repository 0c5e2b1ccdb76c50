import Foundation
import HyperNodes

/// `hypernodes-bench profile WORKLOAD`: runs one workload of the engine suite
/// in a loop for a fixed time, without statistics, so that a profiler
/// (`perf record`, `valgrind --tool=callgrind`) sees only that workload.
enum ProfileSuite {
    enum Workload: String, CaseIterable {
        case chain
        case chainCallbacks = "chain-callbacks"
        case map3
        case map3Callbacks = "map3-callbacks"
        case cacheHit = "cache-hit"
    }

    static func run(_ workload: Workload, seconds: Double) async throws {
        let deadline = Harness.clock.now + .nanoseconds(Int64(seconds * 1e9))
        var iterations = 0
        let chainInputs: [String: any Sendable] = ["v0": 0]
        let n = 100_000
        let mapInputs: [String: any Sendable] = ["x": Array(0..<n)]
        let sink = AsyncCallback(NoOpCallback())
        switch workload {
        case .chain, .chainCallbacks:
            let callbacks: [any PipelineCallback] = workload == .chain ? [] : EngineSuite.callbacks(sink: sink)
            let pipeline = try Pipeline(nodes: EngineSuite.chainNodes(), name: "chain10", callbacks: callbacks)
            while Harness.clock.now < deadline {
                _ = try await EngineSuite.timeChain(
                    pipeline, inputs: chainInputs, runs: 1_000, sink: workload == .chain ? nil : sink)
                iterations += 1_000
            }
        case .map3, .map3Callbacks:
            let callbacks: [any PipelineCallback] = workload == .map3 ? [] : EngineSuite.callbacks(sink: sink)
            let pipeline = try Pipeline(nodes: EngineSuite.map3Nodes(), name: "map3", callbacks: callbacks)
            while Harness.clock.now < deadline {
                _ = try await EngineSuite.timeMap(
                    pipeline, inputs: mapInputs, items: n, sink: workload == .map3 ? nil : sink)
                iterations += 1
            }
        case .cacheHit:
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("hypernodes-bench-\(getpid())-\(UUID().uuidString)", isDirectory: true)
            Harness.registerTemporary(directory)
            defer { Harness.removeTemporaries() }
            let pipeline = try Pipeline(
                nodes: EngineSuite.chainNodes(), name: "chain10", cache: DiskCache(directory: directory))
            while Harness.clock.now < deadline {
                _ = try await EngineSuite.timeChain(pipeline, inputs: chainInputs, runs: 100)
                iterations += 100
            }
        }
        Harness.log("profile \(workload.rawValue): \(iterations) iterations in \(seconds) s")
    }
}

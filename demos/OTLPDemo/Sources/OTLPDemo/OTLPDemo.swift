import Foundation
import HyperNodes
import HyperNodesTelemetry
import Logging
import OTel
import ServiceLifecycle
import Synchronization

/// Runs the demo pipeline three times with `TelemetryCallback`, exporting the
/// spans with swift-otel over OTLP/HTTP: a first run that executes every
/// node, a second served from the cache, and a third that fails in one node.
///
/// Configured only by the standard OpenTelemetry variables:
/// `OTEL_EXPORTER_OTLP_ENDPOINT` (default `http://localhost:4318`),
/// `OTEL_EXPORTER_OTLP_HEADERS` (for example `Authorization=Bearer …` for
/// Logfire), `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, `OTEL_SERVICE_NAME`, …
/// The spans are flushed before the program exits.
@main
struct OTLPDemo {
    static func main() async throws {
        var configuration = OTel.Configuration.default
        configuration.serviceName = "hypernodes-otlp-demo"
        configuration.traces.exporter = .otlp
        configuration.metrics.enabled = false
        configuration.logs.enabled = false
        // swift-otel logs its configuration at `info`, headers included (a
        // Logfire write token): only warnings, unless OTEL_LOG_LEVEL says otherwise.
        configuration.diagnosticLogLevel = .warning
        let observability: any Service
        do {
            observability = try OTel.bootstrap(configuration: configuration)
        } catch {
            FileHandle.standardError.write(Data("otlp-demo: cannot set up the OTLP exporter: \(error)\n".utf8))
            exit(2)
        }
        let services = ServiceGroup(
            services: [observability], gracefulShutdownSignals: [.sigterm, .sigint],
            logger: Logger(label: "otlp-demo"))

        let cacheDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("hypernodes-otlp-demo-\(UUID().uuidString)", isDirectory: true)

        let failure: (any Error)? = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            var failure: (any Error)?
            do {
                try await runDemo(cache: DiskCache(directory: cacheDirectory))
            } catch {
                failure = error
            }
            // Flushes the spans still buffered and stops the exporter.
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
            return failure
        }
        try? FileManager.default.removeItem(at: cacheDirectory)
        if let failure {
            FileHandle.standardError.write(Data("otlp-demo: \(failure)\n".utf8))
            exit(1)
        }
    }

    static func runDemo(cache: DiskCache) async throws {
        let pipeline = try DemoPipeline.make(cache: cache, callbacks: [TelemetryCallback()])
        let inputs: [String: any Sendable] = ["documents": DemoPipeline.documents, "api_key": "sk-demo-0123456789"]

        let first = try await pipeline.run(inputs: inputs)
        print("run 1: \(try first.value("report", as: String.self))")

        let counter = CachedNodeCounter()
        var cached = pipeline
        cached.callbacks.append(counter)
        let second = try await cached.run(inputs: inputs)
        print("run 2: \(try second.value("report", as: String.self)) (\(counter.count) nodes from the cache)")

        var failing = inputs
        failing["documents"] = DemoPipeline.documents + [""]
        do {
            _ = try await pipeline.run(inputs: failing)
            throw DemoFailure("run 3 should have failed on its empty document")
        } catch let error as NodeError {
            print("run 3: failed as intended: \(error)")
        }
    }
}

/// Counts the nodes served from the cache.
final class CachedNodeCounter: PipelineCallback {
    private let cached = Mutex(0)
    var count: Int { cached.withLock { $0 } }
    func onNodeCached(_ event: PipelineEvent, context: CallbackContext) {
        cached.withLock { $0 += 1 }
    }
}

/// The demo did not behave as it should.
struct DemoFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

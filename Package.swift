// swift-tools-version:6.0
import CompilerPluginSupport
import PackageDescription

let package = Package(
    name: "HyperNodes",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "HyperNodes", targets: ["HyperNodes"]),
        .library(name: "HyperNodesTrace", targets: ["HyperNodesTrace"]),
        .library(name: "HyperNodesTelemetry", targets: ["HyperNodesTelemetry"]),
        .library(name: "HyperNodesMonitor", targets: ["HyperNodesMonitor"]),
        .executable(name: "hypernodes", targets: ["hypernodes"]),
        .executable(name: "hypernodes-bench", targets: ["hypernodes-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        // 1.7 brings the InMemoryTracing product the tests and benchmarks use.
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.0"),
        // The @Node macro's implementation. 600.0.1, 602.0.0 and 603.0.1 cost the same to
        // build with Swift 6.3 (within a few percent); 603 parses Swift 6.3's syntax.
        .package(url: "https://github.com/swiftlang/swift-syntax.git", from: "603.0.1"),
    ],
    targets: [
        .target(
            name: "HyperNodes",
            dependencies: [.product(name: "Logging", package: "swift-log"), "HyperNodesMacros"]
        ),
        .macro(
            name: "HyperNodesMacros",
            dependencies: [
                .product(name: "SwiftSyntax", package: "swift-syntax"),
                .product(name: "SwiftDiagnostics", package: "swift-syntax"),
                .product(name: "SwiftSyntaxMacros", package: "swift-syntax"),
                .product(name: "SwiftCompilerPlugin", package: "swift-syntax"),
            ]
        ),
        .target(
            name: "HyperNodesTrace",
            dependencies: ["HyperNodes", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "HyperNodesTelemetry",
            dependencies: [
                "HyperNodes",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),
        // Wide-character ncurses; only the monitor's terminal backend calls it.
        .systemLibrary(
            name: "CNcursesw",
            providers: [.apt(["libncursesw5-dev"])]
        ),
        .target(
            name: "HyperNodesMonitor",
            dependencies: ["HyperNodes", "HyperNodesTrace", "CNcursesw"]
        ),
        .executableTarget(
            name: "hypernodes",
            dependencies: [
                "HyperNodes",
                "HyperNodesTrace",
                "HyperNodesTelemetry",
                "HyperNodesMonitor",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "hypernodes-bench",
            dependencies: [
                "HyperNodes",
                "HyperNodesTrace",
                "HyperNodesTelemetry",
                "HyperNodesMonitor",
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
            ]
        ),
        .executableTarget(
            name: "quickstart",
            dependencies: ["HyperNodes"],
            path: "demos/QuickStart"
        ),
        .executableTarget(
            name: "longrun",
            dependencies: [
                "HyperNodes",
                "HyperNodesTrace",
                "HyperNodesTelemetry",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "demos/LongRun"
        ),
        .executableTarget(
            name: "retrieval",
            dependencies: [
                "HyperNodes",
                "HyperNodesTrace",
                "HyperNodesTelemetry",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "demos/Retrieval"
        ),
        .executableTarget(
            name: "cleaning",
            dependencies: [
                "HyperNodes",
                "HyperNodesTrace",
                "HyperNodesTelemetry",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "demos/DataCleaning"
        ),
        .testTarget(
            name: "HyperNodesTests",
            dependencies: [
                "HyperNodes",
                "HyperNodesTrace",
                "HyperNodesTelemetry",
                "HyperNodesMonitor",
                "hypernodes",
                "quickstart",
                "longrun",
                "retrieval",
                "cleaning",
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
            ],
            // Golden files and scripts read at run time from the source tree (via #filePath), not bundled.
            exclude: [
                "Progress/Golden", "Trace/Golden", "Trace/validate_otlp.py", "Monitor/Golden", "Collector/Golden",
            ]
        ),
        .testTarget(
            name: "HyperNodesMacrosTests",
            dependencies: [
                "HyperNodesMacros",
                .product(name: "SwiftSyntaxMacrosGenericTestSupport", package: "swift-syntax"),
            ]
        ),
    ]
)

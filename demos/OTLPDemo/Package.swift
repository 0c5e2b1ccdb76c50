// swift-tools-version:6.1
import PackageDescription

// The OTLP demo: runs a small pipeline with `TelemetryCallback` and exports
// its spans with swift-otel over OTLP/HTTP. A package of its own, so that the
// library's build never pulls swift-otel (minutes to build).
let package = Package(
    name: "OTLPDemo",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "HyperNodes", path: "../.."),
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.4.1"),
    ],
    targets: [
        .executableTarget(
            name: "OTLPDemo",
            dependencies: [
                .product(name: "HyperNodes", package: "HyperNodes"),
                .product(name: "HyperNodesTelemetry", package: "HyperNodes"),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        )
    ]
)

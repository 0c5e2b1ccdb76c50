// swift-tools-version:6.0
import CompilerPluginSupport
import PackageDescription

let package = Package(
    name: "HyperNodes",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "HyperNodes", targets: ["HyperNodes"]),
        .executable(name: "hypernodes", targets: ["hypernodes"]),
        .executable(name: "hypernodes-bench", targets: ["hypernodes-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
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
        .executableTarget(
            name: "hypernodes",
            dependencies: [
                "HyperNodes",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "hypernodes-bench",
            dependencies: ["HyperNodes"]
        ),
        .executableTarget(
            name: "quickstart",
            dependencies: ["HyperNodes"],
            path: "demos/QuickStart"
        ),
        .testTarget(
            name: "HyperNodesTests",
            dependencies: ["HyperNodes", "hypernodes", "quickstart"]
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

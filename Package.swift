// swift-tools-version: 6.1
import Foundation
import PackageDescription

let upcoming: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// Development subsets: `ZRULES_ONLY=rulekit swift test --scratch-path .build-rulekit` builds and tests
/// one area without compiling the rest. On 2-core machines this keeps the edit-test loop short.
/// Unset (as in CI), the whole package is built.
let subsets: [String: Set<String>] = [
    "rulekit": ["RuleKit", "RuleKitTests", "TestSupport", "lint-benchmark"],
    "emulator": ["ZohoEmulator", "ZohoEmulatorTests", "TestSupport"],
    "client": ["ZohoCRM", "ZohoEmulator", "ZohoCRMTests", "TestSupport"],
    "engine": [
        "RuleKit", "ZohoCRM", "ZohoEmulator", "Engine", "EngineTests", "TestSupport", "engine-benchmark",
    ],
]
let selected: Set<String>? = ProcessInfo.processInfo.environment["ZRULES_ONLY"].map { names in
    names.split(separator: ",").reduce(into: Set<String>()) { $0.formUnion(subsets[String($1)] ?? []) }
}
/// The shared test helpers (manual clock, seeded random, temporary folders, fixture orgs) use the client and the
/// emulator where the subset builds them, and nothing otherwise, so the RuleKit subset stays free of NIO.
let testSupportDependencies: [Target.Dependency] = ["ZohoCRM", "ZohoEmulator"]
    .filter { selected?.contains($0) ?? true }
    .map { .target(name: $0) }

let targets: [Target] = [
    .target(
        name: "RuleKit",
        dependencies: [.product(name: "Yams", package: "Yams")],
        swiftSettings: upcoming
    ),
    .target(
        name: "ZohoCRM",
        dependencies: [
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Logging", package: "swift-log"),
        ],
        swiftSettings: upcoming
    ),
    .target(
        name: "Engine",
        dependencies: [
            "RuleKit",
            "ZohoCRM",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ],
        swiftSettings: upcoming
    ),
    .target(
        name: "ZohoEmulator",
        dependencies: [
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Yams", package: "Yams"),
            .product(name: "Logging", package: "swift-log"),
        ],
        swiftSettings: upcoming
    ),
    .executableTarget(
        name: "zrules",
        dependencies: [
            "RuleKit",
            "ZohoCRM",
            "Engine",
            "ZohoEmulator",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ],
        // The executable has no public API, so internal-by-default imports would only get in the way of the
        // argument parser's conformances.
        swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
    ),
    .executableTarget(
        name: "lint-benchmark",
        dependencies: ["RuleKit"],
        path: "Benchmarks/LintBenchmark",
        swiftSettings: upcoming
    ),
    .executableTarget(
        name: "engine-benchmark",
        dependencies: [
            "Engine",
            "RuleKit",
            "ZohoCRM",
            "ZohoEmulator",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Logging", package: "swift-log"),
        ],
        path: "Benchmarks/EngineBenchmark",
        swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
    ),
    .target(
        name: "TestSupport",
        dependencies: testSupportDependencies,
        path: "Tests/TestSupport",
        swiftSettings: upcoming
    ),
    .testTarget(
        name: "RuleKitTests",
        dependencies: ["RuleKit", "TestSupport"],
        resources: [.copy("Fixtures")],
        swiftSettings: upcoming
    ),
    .testTarget(
        name: "ZohoEmulatorTests",
        dependencies: [
            "ZohoEmulator",
            "TestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ],
        resources: [.copy("OAS")],
        swiftSettings: upcoming
    ),
    .testTarget(
        name: "ZohoCRMTests",
        dependencies: [
            "ZohoCRM",
            "ZohoEmulator",
            "TestSupport",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "InMemoryLogging", package: "swift-log"),
        ],
        swiftSettings: upcoming
    ),
    .testTarget(
        name: "EngineTests",
        dependencies: [
            "Engine",
            "RuleKit",
            "ZohoCRM",
            "ZohoEmulator",
            "TestSupport",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ],
        swiftSettings: upcoming
    ),
    .testTarget(
        name: "zrulesTests",
        dependencies: [
            "zrules",
            "Engine",
            "RuleKit",
            "ZohoEmulator",
            "ZohoCRM",
            "TestSupport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Logging", package: "swift-log"),
        ],
        swiftSettings: upcoming
    ),
]

let activeTargets = targets.filter { selected?.contains($0.name) ?? true }
let libraries = ["RuleKit", "ZohoCRM", "Engine", "ZohoEmulator"].filter { selected?.contains($0) ?? true }
var products: [Product] = libraries.map { Product.library(name: $0, targets: [$0]) }
if selected == nil { products.append(.executable(name: "zrules", targets: ["zrules"])) }

let package = Package(
    name: "zrules",
    platforms: [.macOS(.v15)],
    products: products,
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: activeTargets
)

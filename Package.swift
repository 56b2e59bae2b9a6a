// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "goldfleet",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "goldfleet", targets: ["goldfleet"]),
        // The Juju double: a stand-in for the real `juju` client, used by tests and by the demo
        // when no real juju is installed.
        .executable(name: "juju", targets: ["JujuDouble"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.30.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibSSH2",
            pkgConfig: "libssh2",
            providers: [.apt(["libssh2-1-dev"])]
        ),
        // One library per part, dependencies pointing one way (drawn in docs/architecture.md):
        // GoldfleetSupport at the bottom, then Inventory; LXDKit, SSHKit and JujuKit; Gold;
        // Orchestrator; the thin executable on top. SwiftPM refuses a cycle.
        .target(
            name: "GoldfleetSupport",
            dependencies: [
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        .target(
            name: "Inventory",
            dependencies: [
                "GoldfleetSupport",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "LXDKit",
            dependencies: [
                "GoldfleetSupport",
                "Inventory",
                .product(name: "Yams", package: "Yams"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(
            name: "SSHKit",
            dependencies: [
                "CLibSSH2",
                "GoldfleetSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(
            name: "JujuKit",
            dependencies: ["GoldfleetSupport", "Inventory", "SSHKit"]
        ),
        .target(
            name: "Gold",
            dependencies: ["GoldfleetSupport", "Inventory", "LXDKit", "JujuKit"]
        ),
        .target(
            name: "Orchestrator",
            dependencies: [
                "GoldfleetSupport", "Inventory", "LXDKit", "SSHKit", "JujuKit", "Gold",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "goldfleet",
            dependencies: [
                "GoldfleetSupport", "Inventory", "LXDKit", "SSHKit", "JujuKit", "Gold", "Orchestrator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "JujuDouble"),
        // Unit lane: one test target per library, no root, no LXD, no network (`swift test`).
        .target(
            name: "TestSupport",
            dependencies: ["GoldfleetSupport", "Inventory", .product(name: "Yams", package: "Yams")],
            path: "Tests/TestSupport",
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "GoldfleetSupportTests", dependencies: ["GoldfleetSupport", "Inventory", "TestSupport"]),
        .testTarget(name: "InventoryTests", dependencies: ["Inventory", "TestSupport", .product(name: "Yams", package: "Yams")]),
        .testTarget(name: "LXDKitTests", dependencies: ["LXDKit", "TestSupport", .product(name: "NIOCore", package: "swift-nio")]),
        .testTarget(name: "SSHKitTests", dependencies: ["SSHKit", "TestSupport"]),
        .testTarget(name: "JujuKitTests", dependencies: ["JujuKit", "TestSupport"]),
        .testTarget(name: "GoldTests", dependencies: ["Gold", "TestSupport"]),
        .testTarget(name: "OrchestratorTests", dependencies: ["Orchestrator", "TestSupport"]),
        // `goldfleet`: the tests run the built binary on hostile input.
        .testTarget(name: "goldfleetTests", dependencies: ["goldfleet", "Inventory", "TestSupport"]),
        // Integration lane: real LXD, real sshd in real containers, the Juju double (scripts/test).
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["GoldfleetSupport", "Inventory", "LXDKit", "SSHKit", "JujuKit", "Gold", "Orchestrator", "TestSupport", "JujuDouble", "goldfleet"],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)

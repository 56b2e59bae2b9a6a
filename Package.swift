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
        .library(name: "GoldfleetCore", targets: ["GoldfleetCore"]),
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
        .target(
            name: "GoldfleetCore",
            dependencies: [
                "CLibSSH2",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        .executableTarget(
            name: "goldfleet",
            dependencies: [
                "GoldfleetCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "JujuDouble"),
        .testTarget(
            name: "GoldfleetCoreTests",
            // `goldfleet`: HostileInputProcessTests runs the built binary.
            dependencies: ["GoldfleetCore", "goldfleet"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["GoldfleetCore", "JujuDouble", "goldfleet"],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)

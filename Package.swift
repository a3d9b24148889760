// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "slaprobe",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "slaprobe", targets: ["SlaprobeCLI"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // C libraries enter through thin shim targets; nothing else imports them.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(
            name: "CMicroHTTPD",
            pkgConfig: "libmicrohttpd",
            providers: [.apt(["libmicrohttpd-dev"])]
        ),
        .systemLibrary(name: "CCrypt", providers: [.apt(["libcrypt-dev"])]),
        .systemLibrary(name: "CLibcrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CMalloc"),
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        // Per-thread nice values, so a flood of requests to slaprobe's own server yields the CPU to probe starts.
        .systemLibrary(name: "CThreads"),
        // Swift concurrency's default executor: parked threads and a timer thread instead of libdispatch's
        // worker pool, whose monitor wakes the process every second.
        .target(name: "CTaskPool"),
        .target(name: "TaskPool", dependencies: ["CTaskPool"]),
        // A TSan-visible lock used everywhere state is shared between threads.
        .target(name: "Locking"),
        // SHA-256 and HMAC-SHA256 through libcrypto, which libcurl already loads for TLS.
        .target(name: "Digest", dependencies: ["CLibcrypto"]),
        // Safe Swift APIs over the C libraries.
        .target(name: "HTTPClient", dependencies: ["CCurl", "CThreads", "Locking"]),
        .target(
            name: "HTTPServer",
            dependencies: ["CMicroHTTPD", "CCrypt", "CThreads", "Locking", "Digest"]
        ),
        // Pure logic.
        .target(name: "Config", dependencies: ["CYAML", "JSON", "Locking"]),
        .target(name: "Exposition"),
        .target(name: "JSON"),
        // Behaviour.
        .target(
            name: "Probing",
            dependencies: [
                "HTTPClient", "Config", "JSON", "Locking",
                "Digest",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The store: probe results into counters, histograms and rolling windows, read as one snapshot type.
        .target(name: "RollingWindows", dependencies: ["Config", "Exposition", "HTTPClient", "Locking", "Probing"]),
        .target(
            name: "Alerting",
            dependencies: [
                "HTTPClient", "Config", "JSON", "RollingWindows",
                "Digest",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "Simulator",
            dependencies: [
                "HTTPServer", "Exposition", "JSON", "Config",
                "Digest",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "SlaprobeService",
            dependencies: [
                "HTTPServer", "HTTPClient", "Config", "RollingWindows", "Exposition", "JSON", "Probing", "Simulator",
                "Alerting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "SlaprobeCLI",
            dependencies: [
                "SlaprobeService", "Locking", "CMalloc", "TaskPool",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // Release builds link with the toolchain's lld and pack the relative relocations (DT_RELR, glibc 2.36):
            // the position-independent binary then carries 16 KB of them instead of 2 MB of RELA records, which
            // the loader read into memory at every start.
            linkerSettings: [
                .unsafeFlags(
                    ["-Xclang-linker", "-fuse-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"],
                    .when(platforms: [.linux], configuration: .release)
                )
            ]
        ),
        .testTarget(name: "DigestTests", dependencies: ["Digest"]),
        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "TaskPoolTests", dependencies: ["TaskPool", "SlaprobeTesting"]),
        .testTarget(name: "HTTPClientTests", dependencies: ["HTTPClient", "HTTPServer", "CThreads", "SlaprobeTesting"]),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "CThreads", "SlaprobeTesting"]),
        .testTarget(name: "ConfigTests", dependencies: ["Config", "SlaprobeTesting"]),
        .testTarget(
            name: "AlertingTests",
            dependencies: [
                "Alerting", "HTTPClient", "Config", "RollingWindows", "SlaprobeTesting",
                "Digest",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "RollingWindowsTests", dependencies: ["RollingWindows", "SlaprobeTesting"]),
        .testTarget(name: "ExpositionTests", dependencies: ["Exposition", "SlaprobeTesting"]),
        .testTarget(name: "ProbingTests", dependencies: ["Probing", "HTTPServer", "SlaprobeTesting"]),
        .testTarget(
            name: "SimulatorTests",
            dependencies: ["Simulator", "HTTPServer", "Digest"]
        ),
        .testTarget(
            name: "SlaprobeServiceTests",
            dependencies: ["SlaprobeService", .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")]
        ),
        // Helpers for tests that drive real slaprobe processes (HummingbirdTesting-style).
        .target(name: "SlaprobeTesting", dependencies: ["HTTPClient", "Locking"]),
        .testTarget(
            name: "ReliabilityTests",
            dependencies: ["HTTPClient", "HTTPServer", "Config", "SlaprobeCLI", "SlaprobeTesting"]
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["SlaprobeCLI", "HTTPClient", "HTTPServer", "SlaprobeTesting"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// swift-tools-version: 6.2
// Fuzz targets for slaprobe, built only by scripts/fuzz with `swift build --sanitize=fuzzer --sanitize=address`
// so the main build is untouched.
//
// The root package exports no library product (only the `slaprobe` executable), so nothing of it can be
// imported through `.package(path: "..")`, and SwiftPM refuses that dependency beside targets of the same names.
// The modules under test are therefore compiled here from the root's own sources through the symlinks in
// Sources/ (Config, HTTPServer, Simulator and what they need: Locking, JSON, Digest, CYAML and CThreads), with the
// root's dependency versions. Once the root
// exports a library product with Config, HTTPServer and Simulator, the symlinks and these four targets go, and
// the fuzz targets depend on `.package(path: "..")` and `.product(name: ..., package: "slaprobe")` instead.
import PackageDescription

let fuzzFlags: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

let package = Package(
    name: "slaprobe-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2")
    ],
    targets: [
        // The root's modules, from its sources (symlinks).
        .systemLibrary(name: "CMicroHTTPD", pkgConfig: "libmicrohttpd"),
        .systemLibrary(name: "CCrypt"),
        .systemLibrary(name: "CLibcrypto", pkgConfig: "libcrypto"),
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1"),
        .systemLibrary(name: "CThreads"),
        .target(name: "Digest", dependencies: ["CLibcrypto"]),
        .target(name: "Config", dependencies: ["CYAML", "JSON", "Locking"]),
        .target(name: "Exposition"),
        .target(name: "JSON"),
        .target(name: "Locking"),
        .target(
            name: "HTTPServer",
            dependencies: ["CMicroHTTPD", "CCrypt", "CThreads", "Locking", "Digest"]
        ),
        .target(
            name: "Simulator",
            dependencies: [
                "HTTPServer", "Exposition", "Config", "JSON", "Locking",
                "Digest",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // One executable per fuzz target: libFuzzer's main calls LLVMFuzzerTestOneInput.
        .executableTarget(name: "FuzzConfig", dependencies: ["Config"], swiftSettings: fuzzFlags),
        .executableTarget(name: "FuzzRouting", dependencies: ["Simulator", "HTTPServer"], swiftSettings: fuzzFlags),
        .executableTarget(name: "FuzzListenAddress", dependencies: ["HTTPServer"], swiftSettings: fuzzFlags),
    ],
    swiftLanguageModes: [.v6]
)

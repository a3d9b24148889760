import Foundation
import SlaprobeTesting
import Testing

extension ArtifactTests {
    /// The Dockerfile: hadolint, and its runtime packages are exactly the libraries the binary links.
    @Suite struct DockerfileTests {
        /// Runtime packages in the Dockerfile that are not shared libraries of the binary, and why.
        static let runtimePackagesThatAreNotLibraries: Set<String> = [
            "ca-certificates",  // trust store for https targets
            "curl",  // the HEALTHCHECK's client
            "tzdata",  // the time zone files of maintenance windows' time_zone
        ]
        /// The packages of the libraries the Swift runtime itself needs (its C++ runtime), which `swiftc` links
        /// dynamically beside a static Swift standard library.
        static let swiftRuntimeLibraries: Set<String> = ["libstdc++6", "libgcc-s1"]

        @Test func dockerfilePassesHadolint() throws {
            let (status, output) = try Harness.run(
                try ArtifactTests.tool("hadolint"),
                [ArtifactTests.path("Dockerfile")]
            )
            #expect(status == 0, "hadolint:\n\(output)")
            #expect(output.isEmpty, "hadolint:\n\(output)")
        }

        @Test func dockerfileRuntimePackagesAreExactlyTheLibrariesTheBinaryLinks() throws {
            let installed = try Self.runtimePackages(dockerfile: ArtifactTests.read("Dockerfile"))
            let libraries = installed.subtracting(Self.runtimePackagesThatAreNotLibraries)
            #expect(installed.isSuperset(of: Self.runtimePackagesThatAreNotLibraries), "\(installed)")
            #expect(libraries.isSuperset(of: ["libcurl4", "libmicrohttpd12"]), "\(libraries)")

            // The release build the image makes, when one is at hand (`swift build -c release --static-swift-stdlib
            // --scratch-path .build-artifacts-release`), and always the binary under test: its Swift runtime comes from
            // the toolchain (no Debian package; linked statically in release) and its other libraries are the same.
            var binaries = [(Harness.slaprobe, false)]
            let release = ArtifactTests.path(".build-artifacts-release/release/slaprobe")
            if FileManager.default.isExecutableFile(atPath: release) { binaries.append((release, true)) }
            for (binary, isStaticRelease) in binaries {
                let linked = try Self.linkedPackages(binary, requireEveryLibraryPackaged: isStaticRelease)
                // The Swift runtime's own C++ libraries: direct in the static release binary, and loaded through
                // the toolchain's libswiftCore.so in any other build.
                let direct = isStaticRelease ? linked.direct : linked.direct.union(Self.swiftRuntimeLibraries)
                #expect(
                    direct == libraries,
                    """
                    \(binary) links \(direct.sorted()) (beyond libc); the Dockerfile's runtime stage installs \
                    \(libraries.sorted())
                    """
                )
                // Every library ldd loads, direct or not, comes from a listed package or one of their dependencies.
                let closure = try Self.dependencyClosure(of: libraries.union(["libc6"]))
                let missing = linked.all.subtracting(closure)
                #expect(
                    missing.isEmpty,
                    "\(binary): ldd loads libraries from \(missing.sorted()), which nothing installs"
                )
            }
        }

        /// The packages of the runtime stage's `apt-get install` (the last `FROM` stage).
        static func runtimePackages(dockerfile: String) throws -> Set<String> {
            let joined = dockerfile.replacingOccurrences(of: "\\\n", with: " ")
            let lines = joined.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            let lastStage = try #require(lines.lastIndex { $0.uppercased().hasPrefix("FROM ") })
            let install = try #require(
                lines[lastStage...].first { $0.hasPrefix("RUN ") && $0.contains("apt-get install") },
                "the runtime stage has no apt-get install"
            )
            let afterInstall = install.components(separatedBy: "apt-get install").dropFirst().joined()
            let command = afterInstall.components(separatedBy: "&&")[0]
            return Set(command.split(separator: " ").map(String.init).filter { !$0.hasPrefix("-") })
        }

        /// The Debian packages of the libraries `binary` links: `direct` for its own NEEDED entries, `all` for every
        /// library `ldd` loads; libc6 (libc, libm, the loader) is left out of `direct`. A library no package owns (the
        /// Swift toolchain's, in a debug build) is skipped unless `requireEveryLibraryPackaged`.
        static func linkedPackages(
            _ binary: String,
            requireEveryLibraryPackaged: Bool
        ) throws -> (direct: Set<String>, all: Set<String>) {
            let (lddStatus, ldd) = try Harness.run("ldd", [binary])
            guard lddStatus == 0 else { throw TestFailure("ldd \(binary): \(ldd)") }
            var paths: [String: String] = [:]
            for line in ldd.split(separator: "\n") {
                let parts = line.split(separator: " ").map(String.init)
                if parts.count >= 3, parts[1] == "=>" {
                    paths[parts[0].trimmingCharacters(in: .whitespaces)] = parts[2]
                }
            }
            let (readelfStatus, dynamic) = try Harness.run("readelf", ["-d", binary])
            guard readelfStatus == 0 else { throw TestFailure("readelf -d \(binary): \(dynamic)") }
            let needed = dynamic.matches(of: /\(NEEDED\)\s+Shared library: \[([^\]]+)\]/).map { String($0.1) }
            #expect(!needed.isEmpty, "\(binary) has no NEEDED entries")

            var direct: Set<String> = []
            var all: Set<String> = []
            for (library, location) in paths {
                guard let package = try package(owning: location) else {
                    #expect(!requireEveryLibraryPackaged, "\(binary): no Debian package owns \(library) (\(location))")
                    continue
                }
                all.insert(package)
                if needed.contains(library) && package != "libc6" { direct.insert(package) }
            }
            for library in needed where paths[library] == nil && !library.hasPrefix("ld-linux") {
                Issue.record("\(binary): ldd did not resolve \(library)")
            }
            return (direct, all)
        }

        /// The package owning a library file, trying both sides of the /usr merge (dpkg knows one spelling).
        static func package(owning file: String) throws -> String? {
            var candidates = [file]
            if file.hasPrefix("/usr/lib/") { candidates.append(String(file.dropFirst(4))) }
            if file.hasPrefix("/lib/") { candidates.append("/usr" + file) }
            let resolved = URL(fileURLWithPath: file).resolvingSymlinksInPath().path
            if resolved != file { candidates.append(resolved) }
            for candidate in candidates {
                let (status, output) = try Harness.run("dpkg", ["-S", candidate])
                if status == 0, let first = output.split(separator: "\n").first, let colon = first.firstIndex(of: ":") {
                    return String(first[..<colon])
                }
            }
            return nil
        }

        /// `packages` and everything they depend on (Depends and Pre-Depends, recursively), as installed here.
        static func dependencyClosure(of packages: Set<String>) throws -> Set<String> {
            var closure: Set<String> = []
            var queue = Array(packages)
            while let package = queue.popLast() {
                guard closure.insert(package).inserted else { continue }
                let (status, output) = try Harness.run(
                    "dpkg-query",
                    ["-W", "-f", "${Depends}, ${Pre-Depends}", package]
                )
                guard status == 0 else { continue }
                for alternative in output.split(separator: ",") {
                    for choice in alternative.split(separator: "|") {
                        let name = choice.trimmingCharacters(in: .whitespaces).split(separator: " ").first.map(
                            String.init
                        )
                        if let name = name?.split(separator: ":").first.map(String.init), !name.isEmpty {
                            queue.append(name)
                        }
                    }
                }
            }
            return closure
        }
    }
}

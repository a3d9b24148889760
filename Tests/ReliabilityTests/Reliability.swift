import Foundation
import SlaprobeTesting
import Testing

/// Every reliability suite nests in this one, so they run one after another: each measures timing, memory and
/// scheduler lag, which other suites running beside them on a 2-core machine would distort.
@Suite(.serialized) enum Reliability {
    /// Reads a duration in seconds from the environment, with a default.
    static func seconds(_ variable: String, default value: Double) -> Double {
        ProcessInfo.processInfo.environment[variable].flatMap(Double.init) ?? value
    }

    /// Prints one measurement line the docs table is built from (`swift test` shows it).
    static func report(_ test: String, _ line: String) {
        print("[reliability] \(test): \(line)")
    }

    /// Starts slaprobe with `config` written to `directory/slaprobe.yml`; returns the process and its web port.
    static func startSlaprobe(
        config: String,
        in directory: URL,
        environment: [String: String] = [:]
    ) async throws -> (ManagedProcess, Int, URL) {
        try await Harness.startSlaprobe(
            config: config,
            in: directory,
            arguments: ["--log.level", "info"],
            environment: environment
        )
    }
}

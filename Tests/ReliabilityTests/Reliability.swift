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
        let file = directory.appendingPathComponent("slaprobe.yml")
        try config.write(to: file, atomically: true, encoding: .utf8)
        let slaprobe = try ManagedProcess(
            Harness.slaprobe,
            ["--config.file", file.path, "--web.listen-address", "127.0.0.1:0", "--log.level", "info"],
            environment: environment
        )
        do {
            let port = try await slaprobe.listeningPort(message: "slaprobe listening")
            return (slaprobe, port, file)
        } catch {
            slaprobe.stop()
            throw error
        }
    }
}

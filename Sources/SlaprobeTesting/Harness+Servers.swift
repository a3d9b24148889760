import Foundation

extension Harness {
    /// Starts `slaprobe` with `arguments` and waits until it listens; the web port is the one it logged. A
    /// process that does not come up is stopped before the error is thrown.
    package static func startSlaprobe(
        _ arguments: [String],
        environment: [String: String] = [:],
        name: String? = nil,
        timeout: Double = 15
    ) async throws -> (ManagedProcess, Int) {
        let slaprobe = try ManagedProcess(Harness.slaprobe, arguments, environment: environment, name: name)
        do {
            return (slaprobe, try await slaprobe.listeningPort(message: "slaprobe listening", timeout: timeout))
        } catch {
            slaprobe.stop()
            throw error
        }
    }

    /// Starts `slaprobe --config.file configFile` on an ephemeral port of 127.0.0.1, with `arguments` after.
    package static func startSlaprobe(
        configFile: URL,
        arguments: [String] = [],
        environment: [String: String] = [:],
        name: String? = nil
    ) async throws -> (ManagedProcess, Int) {
        try await startSlaprobe(
            ["--config.file", configFile.path, "--web.listen-address", "127.0.0.1:0"] + arguments,
            environment: environment,
            name: name
        )
    }

    /// Writes `config` to `directory/slaprobe.yml` and starts slaprobe on it; returns the process, its web port
    /// and the config file.
    package static func startSlaprobe(
        config: String,
        in directory: URL,
        arguments: [String] = [],
        environment: [String: String] = [:]
    ) async throws -> (ManagedProcess, Int, URL) {
        let file = directory.appendingPathComponent("slaprobe.yml")
        try config.write(to: file, atomically: true, encoding: .utf8)
        let (slaprobe, port) = try await startSlaprobe(configFile: file, arguments: arguments, environment: environment)
        return (slaprobe, port, file)
    }

    /// Starts a real Prometheus on a free port of 127.0.0.1 with `config` as `directory/prometheus.yml` and its
    /// storage in `directory/data`, and `arguments` (feature flags) after; returns the process and its port.
    package static func startPrometheus(
        config: String,
        in directory: URL,
        arguments: [String] = []
    ) throws -> (ManagedProcess, Int) {
        try config.write(to: directory.appendingPathComponent("prometheus.yml"), atomically: true, encoding: .utf8)
        let port = try freePort()
        let prometheus = try ManagedProcess(
            "prometheus",
            [
                "--config.file=\(directory.path)/prometheus.yml", "--storage.tsdb.path=\(directory.path)/data",
                "--web.listen-address=127.0.0.1:\(port)",
            ] + arguments
        )
        return (prometheus, port)
    }
}

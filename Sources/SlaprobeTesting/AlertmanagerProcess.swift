import Foundation
import HTTPClient

/// A real `prometheus-alertmanager` on a free port of 127.0.0.1 with clustering off, its config and storage in a
/// throw-away folder. Ready when the initialiser returns.
package final class AlertmanagerProcess: Sendable {
    /// A route that sends every alert to a receiver that discards it.
    package static let blackhole = "route:\n  receiver: blackhole\nreceivers:\n  - name: blackhole\n"

    package let port: Int
    private let process: ManagedProcess
    private let directory: URL

    /// Starts Alertmanager with `config` and waits up to 20 s until `/-/ready` answers 200.
    package init(config: String = AlertmanagerProcess.blackhole) async throws {
        directory = try Harness.temporaryDirectory()
        try config.write(to: directory.appendingPathComponent("alertmanager.yml"), atomically: true, encoding: .utf8)
        port = try Harness.freePort()
        process = try ManagedProcess(
            "prometheus-alertmanager",
            [
                "--config.file=\(directory.path)/alertmanager.yml", "--storage.path=\(directory.path)/data",
                "--cluster.listen-address=", "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
            ]
        )
        do {
            _ = try await Harness.poll(url + "/-/ready", timeout: 20) { $0.status == 200 }
        } catch {
            stop()
            throw error
        }
    }

    package var url: String { "http://127.0.0.1:\(port)" }

    /// GET /api/v2/alerts, decoded.
    package func alerts(using loop: TransferLoop) async -> [[String: Any]] {
        let result = await loop.perform(ClientRequest(url: url + "/api/v2/alerts"))
        return (try? JSONSerialization.jsonObject(with: Data(result.body))) as? [[String: Any]] ?? []
    }

    /// Stops Alertmanager at once and removes its folder.
    package func stop() {
        // SIGKILL: a test process may ignore SIGTERM, and its children inherit that.
        process.kill()
        try? FileManager.default.removeItem(at: directory)
    }
}

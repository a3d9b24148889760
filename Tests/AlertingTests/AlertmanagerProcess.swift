import Foundation
import HTTPClient

#if canImport(Glibc)
    import Glibc
#endif

/// A real `prometheus-alertmanager` on 127.0.0.1 with clustering off and a throw-away storage directory.
final class AlertmanagerProcess: Sendable {
    let port: Int
    private let process: Process
    private let directory: String

    init() async throws {
        directory = NSTemporaryDirectory() + "am-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "route:\n  receiver: blackhole\nreceivers:\n  - name: blackhole\n".write(
            toFile: directory + "/alertmanager.yml",
            atomically: true,
            encoding: .utf8
        )
        port = freePort()
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/prometheus-alertmanager")
        process.arguments = [
            "--config.file=\(directory)/alertmanager.yml", "--storage.path=\(directory)/data",
            "--cluster.listen-address=", "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let loop = TransferLoop(name: "am-ready")
        loop.start()
        defer { loop.shutdown() }
        let url = "http://127.0.0.1:\(port)/-/ready"
        _ = await waitUntil(timeout: 20) { await loop.perform(ClientRequest(url: url)).status == 200 }
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// GET /api/v2/alerts, decoded.
    func alerts(using loop: TransferLoop) async -> [[String: Any]] {
        let result = await loop.perform(ClientRequest(url: url + "/api/v2/alerts"))
        return (try? JSONSerialization.jsonObject(with: Data(result.body))) as? [[String: Any]] ?? []
    }

    func stop() {
        // SIGKILL: the test process may block SIGTERM, and children inherit the blocked mask.
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: directory)
    }
}

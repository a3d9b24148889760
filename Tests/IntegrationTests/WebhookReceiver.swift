import Foundation
import HTTPServer
import Locking
import SlaprobeTesting

/// A webhook receiver for tests: records every delivery and answers with a status the test controls.
final class WebhookReceiver: Sendable {
    struct Delivery: Sendable {
        let headers: [String: String]
        let body: [UInt8]
        let receivedAt: Date

        var json: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] }
    }

    private final class Log: Sendable {
        let state = Locked<(deliveries: [Delivery], attempts: [Delivery], status: Int)>(([], [], 200))
    }

    private let log = Log()
    private let server = Locked<HTTPServer?>(nil)

    /// Starts listening on 127.0.0.1 on a free port.
    init(status: Int = 200) throws {
        log.state.withLock { $0.status = status }
        let log = self.log
        let server = try HTTPServer(options: ServerOptions(host: "127.0.0.1", port: 0)) { request in
            let delivery = Delivery(headers: request.headers, body: request.body, receivedAt: Date())
            let status = log.state.withLock { state -> Int in
                state.attempts.append(delivery)
                if (200...299).contains(state.status) { state.deliveries.append(delivery) }
                return state.status
            }
            return .text(status == 200 ? "ok" : "unavailable", status: status)
        }
        self.server.withLock { $0 = server }
    }

    var url: String { "http://127.0.0.1:\(server.withLock { $0!.port })/hook" }

    /// Sets the status answered from now on.
    func answer(_ status: Int) { log.state.withLock { $0.status = status } }

    /// Deliveries answered with a 2xx.
    var deliveries: [Delivery] { log.state.withLock { $0.deliveries } }
    /// Every request, whatever it was answered.
    var attempts: [Delivery] { log.state.withLock { $0.attempts } }

    /// Waits up to `timeout` seconds for a delivered payload matching `predicate`.
    func waitFor(timeout: Double, _ predicate: (Delivery) -> Bool) async throws -> Delivery {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let match = deliveries.first(where: predicate) { return match }
            try await Task.sleep(for: .milliseconds(100))
        }
        let seen = deliveries.map { String(decoding: $0.body, as: UTF8.self).prefix(400) }
        throw TestFailure("no matching delivery within \(timeout)s; got \(deliveries.count): \(seen)")
    }

    func stop() { server.withLock { $0?.stop() } }

    deinit { stop() }
}

extension WebhookReceiver.Delivery {
    /// Whether this payload reports `alertname` for `probe` with `status` (firing or resolved).
    func reports(_ alertname: String, probe: String, status: String) -> Bool {
        guard let alerts = json?["alerts"] as? [[String: Any]] else { return false }
        return alerts.contains { alert in
            let labels = alert["labels"] as? [String: String]
            return labels?["alertname"] == alertname && labels?["probe"] == probe
                && alert["status"] as? String == status
        }
    }
}

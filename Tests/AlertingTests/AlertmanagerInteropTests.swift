import Alerting
import Config
import Foundation
import HTTPClient
import ServiceLifecycle
import SlaprobeTesting
import Testing

@Suite("Interoperation with a real Alertmanager", .serialized, .timeLimit(.minutes(1)))
struct AlertmanagerInteropTests {
    @Test func fingerprintEqualsTheOneAlertmanagerReports() async throws {
        let alertmanager = try await AlertmanagerProcess()
        defer { alertmanager.stop() }
        let loop = TransferLoop()
        loop.start()
        defer { loop.shutdown() }
        let labelSets: [[String: String]] = [
            ["alertname": "SlaprobeLatencyHigh", "probe": "entitlement", "severity": "page"],
            [
                "alertname": "SlaprobeNoData", "probe": "checkout", "severity": "ticket", "team": "billing",
                "z_last": "ü ✓",
            ],
            ["alertname": "A", "Zeta": "upper sorts first", "a": "\"quoted\" \\ value"],
        ]
        let body = try JSONSerialization.data(withJSONObject: labelSets.map { ["labels": $0] })
        let posted = await loop.perform(
            ClientRequest(
                url: alertmanager.url + "/api/v2/alerts",
                method: "POST",
                headers: [("Content-Type", "application/json")],
                body: Array(body)
            )
        )
        #expect(posted.status == 200)
        var reported: [[String: Any]] = []
        _ = await waitUntil {
            reported = await alertmanager.alerts(using: loop)
            return reported.count == labelSets.count
        }
        #expect(reported.count == labelSets.count)
        for labels in labelSets {
            let match = reported.first { ($0["labels"] as? [String: String]) == labels }
            #expect(match?["fingerprint"] as? String == Fingerprint(labels: labels).description, "\(labels)")
        }
    }

    private func engineConfig(_ directory: String, alertmanager: String) -> AlertingConfig {
        AlertingConfig(
            defaultRules: false,
            rules: [Fixtures.latencyRule()],
            staticLabels: ["team": "billing"],
            externalURL: "http://slaprobe.test:9115",
            receivers: [ReceiverConfig(name: "am", kind: .alertmanager, url: alertmanager, timeout: 2)],
            delivery: DeliveryPolicy(initialBackoff: 0.05, maxBackoff: 0.2),
            outbox: OutboxConfig(directory: directory + "/outbox"),
            stateFile: directory + "/state.json"
        )
    }

    @Test func pushIsAcceptedAndListedWithOurFingerprint() async throws {
        let alertmanager = try await AlertmanagerProcess()
        defer { alertmanager.stop() }
        let directory = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let loop = TransferLoop()
        loop.start()
        defer { loop.shutdown() }
        let engine = try AlertEngine(config: engineConfig(directory, alertmanager: alertmanager.url), transfers: loop)
        let running = RunningServices([engine.notifier, engine])
        let alerts = engine.evaluate([Fixtures.probe(over: 10)], now: Date().timeIntervalSince1970)
        let ours = try #require(alerts.first)
        var listed: [[String: Any]] = []
        _ = await waitUntil {
            listed = await alertmanager.alerts(using: loop)
            return !listed.isEmpty
        }
        await running.stop()
        #expect(listed.count == 1)
        #expect(listed.first?["fingerprint"] as? String == ours.fingerprint)
        #expect((listed.first?["labels"] as? [String: String]) == ours.labels)
        #expect((listed.first?["status"] as? [String: Any])?["state"] as? String == "active")
        #expect((listed.first?["annotations"] as? [String: String])?["request_ids"] == "req-slow-1,req-slow-2")
        #expect(engine.notificationMetrics().first?.sent == 1)
    }

    @Test func twoReplicasWithOneConfigProduceOneAlert() async throws {
        let alertmanager = try await AlertmanagerProcess()
        defer { alertmanager.stop() }
        let first = Fixtures.temporaryDirectory("first")
        let second = Fixtures.temporaryDirectory("second")
        defer {
            try? FileManager.default.removeItem(atPath: first)
            try? FileManager.default.removeItem(atPath: second)
        }
        let loop = TransferLoop()
        loop.start()
        defer { loop.shutdown() }
        let engines = [
            try AlertEngine(config: engineConfig(first, alertmanager: alertmanager.url), transfers: loop),
            try AlertEngine(config: engineConfig(second, alertmanager: alertmanager.url), transfers: loop),
        ]
        let now = Date().timeIntervalSince1970
        let running = RunningServices(engines.flatMap { [$0.notifier, $0] as [any Service] })
        for (index, engine) in engines.enumerated() {
            // The replicas evaluate at slightly different times and see slightly different samples.
            engine.evaluate([Fixtures.probe(samples: 100 + index, over: 10 + index)], now: now + Double(index))
        }
        _ = await waitUntil { engines.allSatisfy { $0.notificationMetrics().first?.sent == 1 } }
        await running.stop()
        #expect(engines.map { $0.notificationMetrics().first?.sent } == [1, 1])
        let listed = await alertmanager.alerts(using: loop)
        #expect(listed.count == 1)
    }
}

import Foundation
import SlaprobeTesting
import Testing

/// The built-in evaluator end to end: SLA breaches injected into `slaprobe target` become Alertmanager-format
/// webhooks and Alertmanager pushes, resolve when the breach ends, and survive receiver outages and `kill -9`.
@Suite(.serialized) struct AlertDeliveryTests {
    static let hookSecret = "whsec_" + Data("integration-test-signing-key-1234".utf8).base64EncodedString()

    /// slaprobe with fast windows and rules so breaches fire within seconds.
    static func config(targetPort: Int, storage: String, receivers: String) -> String {
        """
        global:
          interval: 250ms
          windows: [10s]
        target:
          url: http://127.0.0.1:\(targetPort)
          api_key_env: TEST_KEY
          webhook_secret_env: TEST_SECRET
        alerting:
          evaluation_interval: 1s
          window: 10s
          long_window: 20s
          group_wait: 1s
          group_interval: 2s
          resend_delay: 2s
          external_url: http://slaprobe.test/
          storage_path: \(storage)
          delivery:
            initial_backoff: 500ms
            max_backoff: 2s
          rules:
            - name: SlaprobeLatencyHigh
              kind: latency
              for: 2s
              min_samples: 10
            - name: SlaprobeCacheHitRatioLow
              kind: cache_hit_ratio
              for: 2s
              min_samples: 20
            - name: SlaprobeErrorRatioHigh
              kind: error_ratio
              windows: [10s, 20s]
              min_samples: 40
        \(receivers)
        """
    }

    static func webhookReceiver(_ url: String) -> String {
        """
          receivers:
            - name: oncall
              kind: webhook
              url: \(url)
              signing: standard_webhooks
              secret_env: HOOK_SECRET
        """
    }

    struct Running {
        let target: ManagedProcess
        let targetPort: Int
        let slaprobe: ManagedProcess
        let port: Int
        let directory: URL
        let configFile: URL

        func stop() {
            slaprobe.stop()
            target.stop()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    static func startSlaprobe(configFile: URL, extra: [String] = []) async throws -> (ManagedProcess, Int) {
        try await Harness.startSlaprobe(
            configFile: configFile,
            arguments: extra,
            environment: ["TEST_KEY": FaultTests.key, "TEST_SECRET": FaultTests.secret, "HOOK_SECRET": hookSecret]
        )
    }

    static func start(receivers: (Int) -> String, extra: [String] = []) async throws -> Running {
        let (target, targetPort) = try await FaultTests.startTarget()
        let directory = try Harness.temporaryDirectory()
        let file = directory.appendingPathComponent("slaprobe.yml")
        try config(
            targetPort: targetPort,
            storage: directory.appendingPathComponent("data").path,
            receivers: receivers(targetPort)
        )
        .write(to: file, atomically: true, encoding: .utf8)
        let (slaprobe, port) = try await startSlaprobe(configFile: file, extra: extra)
        return Running(
            target: target,
            targetPort: targetPort,
            slaprobe: slaprobe,
            port: port,
            directory: directory,
            configFile: file
        )
    }

    /// Checks a webhook body against the Alertmanager webhook payload, version 4, field for field.
    static func expectAlertmanagerPayload(_ json: [String: Any], status: String, alertname: String, probe: String)
        throws
    {
        #expect(
            Set(json.keys) == [
                "version", "groupKey", "truncatedAlerts", "status", "receiver", "groupLabels", "commonLabels",
                "commonAnnotations", "externalURL", "alerts",
            ]
        )
        #expect(json["version"] as? String == "4")
        #expect((json["groupKey"] as? String)?.isEmpty == false)
        #expect(json["truncatedAlerts"] as? Int == 0)
        #expect(json["status"] as? String == status)
        #expect(json["receiver"] as? String == "oncall")
        #expect(json["externalURL"] as? String == "http://slaprobe.test/")
        let groupLabels = try #require(json["groupLabels"] as? [String: String])
        #expect(groupLabels == ["alertname": alertname, "probe": probe])
        let common = try #require(json["commonLabels"] as? [String: String])
        #expect(common["alertname"] == alertname && common["probe"] == probe && common["severity"] != nil)
        #expect(json["commonAnnotations"] is [String: String])
        let alerts = try #require(json["alerts"] as? [[String: Any]])
        let alert = try #require(alerts.first { ($0["labels"] as? [String: String])?["alertname"] == alertname })
        #expect(
            Set(alert.keys) == ["status", "labels", "annotations", "startsAt", "endsAt", "generatorURL", "fingerprint"]
        )
        #expect(alert["status"] as? String == status)
        let labels = try #require(alert["labels"] as? [String: String])
        #expect(Set(labels.keys) == ["alertname", "probe", "severity"], "no instance-specific labels: \(labels)")
        let annotations = try #require(alert["annotations"] as? [String: String])
        for key in ["summary", "description", "runbook_url", "window", "samples", "threshold"] {
            #expect(annotations[key]?.isEmpty == false, "annotation \(key) in \(annotations)")
        }
        #expect(annotations["runbook_url"]?.contains("docs/operations.md#\(alertname.lowercased())") == true)
        let startsAt = try #require(alert["startsAt"] as? String)
        #expect(startsAt.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/) != nil, "startsAt \(startsAt)")
        let endsAt = try #require(alert["endsAt"] as? String)
        if status == "firing" {
            #expect(endsAt == "0001-01-01T00:00:00Z")
        } else {
            #expect(endsAt.hasPrefix("20"))
        }
        #expect((alert["generatorURL"] as? String)?.hasPrefix("http://slaprobe.test/") == true)
        let fingerprint = try #require(alert["fingerprint"] as? String)
        #expect(fingerprint.wholeMatch(of: /[0-9a-f]{16}/) != nil)
    }

    /// Verifies a Standard Webhooks signature with Python's hmac: an implementation independent of ours.
    static func verifyStandardWebhooksSignature(_ delivery: WebhookReceiver.Delivery) throws -> Bool {
        let id = try #require(delivery.headers["webhook-id"])
        let timestamp = try #require(delivery.headers["webhook-timestamp"])
        let signature = try #require(delivery.headers["webhook-signature"])
        let script = """
            import base64, hashlib, hmac, sys
            secret, msg_id, ts, sig = sys.argv[1:5]
            key = base64.b64decode(secret[len("whsec_"):])
            body = sys.stdin.buffer.read()
            mac = base64.b64encode(hmac.new(key, f"{msg_id}.{ts}.".encode() + body, hashlib.sha256).digest()).decode()
            print("valid" if any(s == "v1," + mac for s in sig.split(" ")) else "invalid")
            """
        let (_, output) = try Harness.run(
            "python3",
            ["-c", script, hookSecret, id, timestamp, signature],
            input: String(decoding: delivery.body, as: UTF8.self)
        )
        return output.trimmingCharacters(in: .whitespacesAndNewlines) == "valid"
    }

    @Test func latencyCacheAndErrorBreachesFireAndResolveAsAlertmanagerWebhooks() async throws {
        let receiver = try WebhookReceiver()
        let running = try await Self.start(receivers: { _ in Self.webhookReceiver(receiver.url) })
        defer { running.stop() }
        let base = "http://127.0.0.1:\(running.port)"
        _ = try await Harness.poll(base + "/readyz", timeout: 15) { $0.status == 200 }
        try await Task.sleep(for: .seconds(3))
        #expect(receiver.deliveries.isEmpty, "a healthy target pages nobody")

        let injected = Date()
        try await FaultTests.setFaults(running.targetPort, "endpoint=entitlement&latency=150ms")
        try await FaultTests.setFaults(running.targetPort, "cache_hit_ratio=0.5")
        try await FaultTests.setFaults(running.targetPort, "endpoint=checkout&error_rate=0.05")

        let latency = try await receiver.waitFor(timeout: 30) {
            $0.reports("SlaprobeLatencyHigh", probe: "entitlement", status: "firing")
        }
        // Onset (a few slow samples push the share over 5 %), then for: 2s, group_wait 1s and 2 evaluations of 1s.
        #expect(latency.receivedAt.timeIntervalSince(injected) < 10)
        try Self.expectAlertmanagerPayload(
            try #require(latency.json),
            status: "firing",
            alertname: "SlaprobeLatencyHigh",
            probe: "entitlement"
        )
        let annotations = try #require(
            ((latency.json?["alerts"] as? [[String: Any]])?.first?["annotations"]) as? [String: String]
        )
        #expect(Double(annotations["p95"] ?? "") ?? 0 > 0.1, "\(annotations)")
        #expect(annotations["request_ids"]?.count ?? 0 >= 36)
        #expect(try Self.verifyStandardWebhooksSignature(latency))

        let cache = try await receiver.waitFor(timeout: 30) {
            $0.reports("SlaprobeCacheHitRatioLow", probe: "entitlement", status: "firing")
        }
        try Self.expectAlertmanagerPayload(
            try #require(cache.json),
            status: "firing",
            alertname: "SlaprobeCacheHitRatioLow",
            probe: "entitlement"
        )
        let errors = try await receiver.waitFor(timeout: 40) {
            $0.reports("SlaprobeErrorRatioHigh", probe: "checkout", status: "firing")
        }
        try Self.expectAlertmanagerPayload(
            try #require(errors.json),
            status: "firing",
            alertname: "SlaprobeErrorRatioHigh",
            probe: "checkout"
        )

        // The API, the status page and the gauge agree with what was sent.
        let page = await Harness.fetch(base + "/").bodyString
        #expect(page.contains("<td>SlaprobeLatencyHigh</td><td>entitlement</td><td>firing</td>"))
        let alertsJSON = await Harness.fetch(base + "/api/v1/alerts").bodyString
        #expect(alertsJSON.contains("SlaprobeLatencyHigh"))
        let metrics = await Harness.fetch(base + "/metrics").bodyString
        #expect(
            Harness.sample(
                metrics,
                #"slaprobe_alerts{alertname="SlaprobeLatencyHigh",probe="entitlement",alertstate="firing"}"#
            )
                == 1
        )
        #expect((Harness.sample(metrics, #"slaprobe_notifications_total{receiver="oncall",result="sent"}"#) ?? 0) >= 3)

        try await FaultTests.setFaults(
            running.targetPort,
            "reset=true&latency=0&jitter=0&miss_latency=0&cache_hit_ratio=1"
        )
        let resolved = try await receiver.waitFor(timeout: 40) {
            $0.reports("SlaprobeLatencyHigh", probe: "entitlement", status: "resolved")
        }
        try Self.expectAlertmanagerPayload(
            try #require(resolved.json),
            status: "resolved",
            alertname: "SlaprobeLatencyHigh",
            probe: "entitlement"
        )
        _ = try await receiver.waitFor(timeout: 40) {
            $0.reports("SlaprobeCacheHitRatioLow", probe: "entitlement", status: "resolved")
        }
        _ = try await receiver.waitFor(timeout: 60) {
            $0.reports("SlaprobeErrorRatioHigh", probe: "checkout", status: "resolved")
        }
        // No secret (API key, webhook signing secret, receiver signing secret) in any output, payloads included.
        var outputs = [running.slaprobe.text, running.target.text]
        outputs += receiver.attempts.map { String(decoding: $0.body, as: UTF8.self) + "\($0.headers)" }
        for path in ["/api/v1/alerts", "/api/v1/probes", "/metrics", "/"] {
            outputs.append(await Harness.fetch(base + path).bodyString)
        }
        for output in outputs {
            for secret in [Self.hookSecret, FaultTests.key, FaultTests.secret] {
                #expect(!output.contains(secret), "secret leaked: \(output.prefix(200))")
            }
        }
    }

    @Test func aReceiverDownFor30SecondsStillGetsTheNotificationWithOneWebhookID() async throws {
        let receiver = try WebhookReceiver(status: 503)
        let running = try await Self.start(receivers: { _ in Self.webhookReceiver(receiver.url) })
        defer { running.stop() }
        try await FaultTests.setFaults(running.targetPort, "endpoint=entitlement&latency=150ms")
        let deadline = Date().addingTimeInterval(20)
        while receiver.attempts.isEmpty && Date() < deadline { try await Task.sleep(for: .milliseconds(200)) }
        let firstAttempt = try #require(receiver.attempts.first)
        try await Task.sleep(for: .seconds(30))
        #expect(receiver.deliveries.isEmpty)
        receiver.answer(200)
        let delivered = try await receiver.waitFor(timeout: 15) {
            $0.reports("SlaprobeLatencyHigh", probe: "entitlement", status: "firing")
        }
        let id = try #require(firstAttempt.headers["webhook-id"])
        #expect(delivered.headers["webhook-id"] == id)
        let attemptsForFirst = receiver.attempts.filter { $0.headers["webhook-id"] == id }
        #expect(attemptsForFirst.count >= 3, "retried while the receiver answered 503")
        #expect(try Self.verifyStandardWebhooksSignature(delivered))
    }

    @Test func aNotificationPendingAtKill9IsDeliveredAfterRestartWithTheSameWebhookID() async throws {
        let receiver = try WebhookReceiver(status: 503)
        let running = try await Self.start(receivers: { _ in Self.webhookReceiver(receiver.url) })
        defer { running.stop() }
        try await FaultTests.setFaults(running.targetPort, "endpoint=entitlement&latency=150ms")
        let deadline = Date().addingTimeInterval(20)
        while receiver.attempts.isEmpty && Date() < deadline { try await Task.sleep(for: .milliseconds(200)) }
        let pending = try #require(receiver.attempts.first)
        running.slaprobe.signal(SIGKILL)
        _ = await running.slaprobe.waitForExit(timeout: 5)
        receiver.answer(200)

        let (restarted, _) = try await Self.startSlaprobe(configFile: running.configFile)
        defer { restarted.stop() }
        let delivered = try await receiver.waitFor(timeout: 20) {
            $0.reports("SlaprobeLatencyHigh", probe: "entitlement", status: "firing")
        }
        #expect(delivered.headers["webhook-id"] == pending.headers["webhook-id"])
        // The alert's state survived too: it is firing again without a second, different page.
        try await Task.sleep(for: .seconds(4))
        let firingPages = Set(
            receiver.deliveries.filter { $0.reports("SlaprobeLatencyHigh", probe: "entitlement", status: "firing") }
                .compactMap { $0.headers["webhook-id"] }
        )
        #expect(firingPages.count == 1, "one page, not a second one after the restart: \(firingPages)")
        #expect(restarted.text.contains("restored alert state"))
    }

    @Test func twoReplicasPushOneAlertToARealAlertmanagerWithOurFingerprint() async throws {
        let alertmanager = try await AlertmanagerProcess(
            config: """
                route:
                  receiver: blackhole
                  group_by: [alertname, probe]
                receivers:
                  - name: blackhole
                """
        )
        defer { alertmanager.stop() }
        let amPort = alertmanager.port

        let receivers = """
              receivers:
                - name: alertmanager
                  kind: alertmanager
                  url: http://127.0.0.1:\(amPort)
            """
        let first = try await Self.start(receivers: { _ in receivers })
        defer { first.stop() }
        // The second replica: same config text, its own storage and port, the same target.
        let secondDirectory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: secondDirectory) }
        let secondFile = secondDirectory.appendingPathComponent("slaprobe.yml")
        try Self.config(
            targetPort: first.targetPort,
            storage: secondDirectory.appendingPathComponent("data").path,
            receivers: receivers
        ).write(to: secondFile, atomically: true, encoding: .utf8)
        let (second, secondPort) = try await Self.startSlaprobe(configFile: secondFile)
        defer { second.stop() }

        try await FaultTests.setFaults(first.targetPort, "endpoint=entitlement&latency=150ms")
        let listed = try await Harness.poll("http://127.0.0.1:\(amPort)/api/v2/alerts", timeout: 30) {
            $0.bodyString.contains("SlaprobeLatencyHigh")
        }
        // Both replicas have fired by now.
        for port in [first.port, secondPort] {
            _ = try await Harness.poll("http://127.0.0.1:\(port)/api/v1/alerts", timeout: 20) {
                $0.bodyString.contains(#""state":"firing""#) && $0.bodyString.contains("SlaprobeLatencyHigh")
            }
        }
        try await Task.sleep(for: .seconds(3))
        let amAlerts = try #require(
            try JSONSerialization.jsonObject(
                with: Data(await Harness.fetch("http://127.0.0.1:\(amPort)/api/v2/alerts").body)
            )
                as? [[String: Any]]
        )
        let latencyAlerts = amAlerts.filter {
            ($0["labels"] as? [String: String])?["alertname"] == "SlaprobeLatencyHigh"
        }
        #expect(latencyAlerts.count == 1, "two replicas, one alert: \(listed.bodyString.prefix(500))")
        let amFingerprint = try #require(latencyAlerts.first?["fingerprint"] as? String)
        let ours = try #require(
            try JSONSerialization.jsonObject(
                with: Data(await Harness.fetch("http://127.0.0.1:\(first.port)/api/v1/alerts").body)
            )
                as? [String: Any]
        )
        let ourAlerts = try #require((ours["data"] as? [String: Any])?["alerts"] as? [[String: Any]])
        let ourLatency = try #require(
            ourAlerts.first { ($0["labels"] as? [String: String])?["alertname"] == "SlaprobeLatencyHigh" }
        )
        #expect(ourLatency["fingerprint"] as? String == amFingerprint)
        let annotations = try #require(latencyAlerts.first?["annotations"] as? [String: String])
        #expect(annotations["summary"]?.contains("entitlement") == true)
        #expect(annotations["request_ids"] != nil)
    }
}

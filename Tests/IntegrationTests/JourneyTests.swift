import Foundation
import SlaprobeTesting
import Testing

/// Journeys against `slaprobe target`: time to entitlement measured per step, one grant and one revoke per run,
/// dropped grants and bad signatures failing at the right step, and the step latency alert with its evidence.
@Suite(.serialized) struct JourneyTests {
    static let wrongSecret = "whsec_not_the_target_secret_0000"

    /// The purchase journey written out as steps, with a short `entitled` deadline (the built-in one waits 10 s).
    static let shortPurchase = """
          - name: short
            kind: journey
            interval: 500ms
            timeout: 3s
            steps:
              - name: checkout
                path: /api/v1/checkout/create
                headers:
                  Content-Type: application/json
                  Idempotency-Key: "{{uuid}}"
                body: '{"user_id":"{{journey_user}}","project_id":"p1","price_id":"price_1","mode":"subscription","success_url":"https://slaprobe.invalid/s","cancel_url":"https://slaprobe.invalid/c"}'
                extract:
                  session_id: {json_path: session_id}
              - name: webhook
                path: /api/v1/webhooks/stripe
                sign: stripe
                headers:
                  Content-Type: application/json
                body: '{"id":"evt_{{uuid}}","object":"event","type":"checkout.session.completed","created":{{unix}},"livemode":false,"data":{"object":{"id":"{{vars.session_id}}","object":"checkout.session","mode":"subscription","status":"complete","metadata":{"user_id":"{{journey_user}}","project_id":"p1"}}}}'
              - name: entitled
                path: /api/v1/entitlements?user_id={{journey_user}}&project_id=p1
                expect_status: [200]
                assertions:
                  - json_path: entitled
                    equals: true
                poll: {interval: 100ms, deadline: 1s}
                latency_threshold: 1s
        """

    static func config(targetPort: Int, probes: String, alerting: String = "") -> String {
        TargetConfig.yaml(targetPort: targetPort, probes: probes, then: alerting)
    }

    static let environment = [
        "TEST_KEY": FaultTests.key, "TEST_SECRET": FaultTests.secret, "WRONG_SECRET": wrongSecret,
    ]

    static func metrics(_ port: Int) async -> String {
        await Harness.fetch("http://127.0.0.1:\(port)/metrics").bodyString
    }

    @Test func grantDelayIsTheEntitledStepsLatencyAndEveryRunGrantsAndRevokesOnce() async throws {
        let (target, targetPort) = try await FaultTests.startTarget()
        defer { target.stop() }
        try await FaultTests.setFaults(targetPort, "grant_delay=300ms&grant_jitter=0")
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let probes = """
              - name: purchase
                kind: journey
                journey: purchase
                interval: 1s
            """
        let file = directory.appendingPathComponent("slaprobe.yml")
        try Self.config(targetPort: targetPort, probes: probes).write(to: file, atomically: true, encoding: .utf8)

        // `once`: exactly one run, so the target's counters can be compared exactly.
        for run in 1...2 {
            let (status, output) = try Harness.run(
                Harness.slaprobe,
                ["once", "--config.file", file.path, "--output", "json"],
                environment: Self.environment
            )
            #expect(status == 0, "\(output)")
            // Output is stdout and stderr together; the report is the JSON array.
            let start = try #require(output.range(of: "[{")?.lowerBound, "\(output)")
            let report = Data(output[start...].utf8)
            let items = try #require(try JSONSerialization.jsonObject(with: report) as? [[String: Any]])
            let steps = try #require(items.first?["steps"] as? [[String: Any]])
            #expect(steps.map { $0["name"] as? String } == ["checkout", "webhook", "entitled", "revoke"])
            #expect(steps.allSatisfy { ($0["request_id"] as? String)?.isEmpty == false })
            #expect((items.first?["trace_id"] as? String)?.count == 32)
            let entitled = try #require(steps[2]["latency_seconds"] as? Double)
            #expect(entitled >= 0.3 && entitled < 0.45, "time to entitlement \(entitled)")
            let targetMetrics = await Self.metrics(targetPort)
            #expect(Harness.sample(targetMetrics, "simulator_entitlement_grants_total") == Double(run))
            #expect(Harness.sample(targetMetrics, "simulator_entitlement_revokes_total") == Double(run))
            for reason in ["unknown_session", "other_user"] {
                let refused = Harness.sample(targetMetrics, "simulator_webhooks_refused_total{reason=\"\(reason)\"}")
                #expect(refused ?? 0 == 0, "refused webhooks (\(reason)): \(refused ?? 0)")
            }
        }
        let (_, table) = try Harness.run(
            Harness.slaprobe,
            ["once", "--config.file", file.path],
            environment: Self.environment
        )
        for step in ["checkout", "webhook", "entitled", "revoke"] {
            #expect(table.contains("\n  \(step) "), "step row \(step) in\n\(table)")
        }

        // The service: the entitled step's window p50 is the grant delay, and every run succeeds.
        let (slaprobe, port) = try await Harness.startSlaprobe(configFile: file, environment: Self.environment)
        defer { slaprobe.stop() }
        let p50Series =
            #"slaprobe_window_step_latency_seconds{probe="purchase",step="entitled",window="10s",quantile="0.5"}"#
        var text = ""
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            text = await Self.metrics(port)
            if (Harness.sample(text, #"slaprobe_probes_total{probe="purchase",result="success"}"#) ?? 0) >= 4 { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        let p50 = try #require(Harness.sample(text, p50Series), "\(text)")
        #expect(p50 >= 0.3 && p50 <= 0.4, "entitled p50 \(p50)")
        #expect(Harness.sample(text, #"slaprobe_probes_total{probe="purchase",result="failure"}"#) == 0)
        #expect(
            Harness.sample(text, #"slaprobe_probe_step_duration_seconds_count{probe="purchase",step="revoke"}"#) ?? 0
                >= 4
        )
        #expect(text.contains(#"slaprobe_probe_step_duration_seconds_bucket{probe="purchase",step="entitled",le="1"}"#))
        #expect(
            text.contains(#"slaprobe_probe_step_failures_total{probe="purchase",step="entitled",reason="timeout"} 0"#)
        )
        #expect(!text.contains(#"probe="entitlement""#))

        // The page shows the latest run; one may end between reading the API and the page, so read both again
        // (a few times at most) until they show the same run.
        var shown = false
        for _ in 0..<5 {
            let json = await Harness.fetch("http://127.0.0.1:\(port)/api/v1/probes").bodyString
            let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            let purchase = try #require((document["probes"] as? [[String: Any]])?.first)
            let recent = try #require((purchase["recent"] as? [[String: Any]])?.first)
            #expect((recent["trace_id"] as? String)?.count == 32)
            let steps = try #require(recent["steps"] as? [[String: Any]])
            #expect(steps.map { $0["name"] as? String } == ["checkout", "webhook", "entitled", "revoke"])
            #expect(
                steps.allSatisfy { $0["success"] as? Bool == true && ($0["request_id"] as? String)?.isEmpty == false }
            )
            let page = await Harness.fetch("http://127.0.0.1:\(port)/").bodyString
            #expect(page.contains("Journey purchase"))
            if page.contains(recent["trace_id"] as? String ?? "-")
                && page.contains(steps[2]["request_id"] as? String ?? "-")
            {
                shown = true
                break
            }
        }
        #expect(shown, "the page shows the latest run's trace id and entitled request id")
    }

    @Test func droppedGrantsFailAtEntitledWithTimeoutWhileOtherProbesKeepTheirSchedule() async throws {
        let (target, targetPort) = try await FaultTests.startTarget()
        defer { target.stop() }
        try await FaultTests.setFaults(targetPort, "drop_grants=true")
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let probes =
            Self.shortPurchase + "\n" + """
                  - name: healthy
                    kind: checkout
                """
        let (slaprobe, port, _) = try await Harness.startSlaprobe(
            config: Self.config(targetPort: targetPort, probes: probes),
            in: directory,
            environment: Self.environment
        )
        defer { slaprobe.stop() }
        let started = Date()
        try await Task.sleep(for: .seconds(6))
        let text = await Self.metrics(port)
        let elapsed = Date().timeIntervalSince(started)
        func value(_ series: String) -> Double { Harness.sample(text, series) ?? -1 }

        let failures = value(#"slaprobe_probes_total{probe="short",result="failure"}"#)
        #expect(failures >= 2)
        #expect(value(#"slaprobe_probes_total{probe="short",result="success"}"#) == 0)
        #expect(value(#"slaprobe_probe_failures_total{probe="short",reason="timeout"}"#) == failures)
        #expect(
            value(#"slaprobe_probe_step_failures_total{probe="short",step="entitled",reason="timeout"}"#) == failures
        )
        #expect(value(#"slaprobe_probe_step_failures_total{probe="short",step="webhook",reason="http_status"}"#) == 0)
        // The step fails after its 1 s deadline, not before.
        #expect(
            value(#"slaprobe_window_step_latency_seconds{probe="short",step="entitled",window="10s",quantile="0.5"}"#)
                >= 1
        )

        let healthy = value(#"slaprobe_probes_total{probe="healthy",result="success"}"#)
        #expect(value(#"slaprobe_probes_total{probe="healthy",result="failure"}"#) == 0)
        #expect(healthy >= (elapsed - 1) / 0.25 * 0.85, "healthy ran \(healthy) times in \(elapsed)s")

        let json = await Harness.fetch("http://127.0.0.1:\(port)/api/v1/probes").bodyString
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let short = try #require((document["probes"] as? [[String: Any]])?.first { $0["name"] as? String == "short" })
        let recent = try #require((short["recent"] as? [[String: Any]])?.first)
        let steps = try #require(recent["steps"] as? [[String: Any]])
        #expect(steps.map { $0["name"] as? String } == ["checkout", "webhook", "entitled"])
        #expect(steps.last?["failure_reason"] as? String == "timeout")
    }

    @Test func aWebhookSignedWithAWrongSecretFailsAtTheWebhookStep() async throws {
        let (target, targetPort) = try await FaultTests.startTarget()
        defer { target.stop() }
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let probes = """
              - name: forged
                kind: journey
                journey: purchase
                interval: 500ms
                webhook_secret_env: WRONG_SECRET
            """
        let (slaprobe, port, _) = try await Harness.startSlaprobe(
            config: Self.config(targetPort: targetPort, probes: probes),
            in: directory,
            environment: Self.environment
        )
        defer { slaprobe.stop() }
        var text = ""
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            text = await Self.metrics(port)
            if (Harness.sample(text, #"slaprobe_probes_total{probe="forged",result="failure"}"#) ?? 0) >= 2 { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        let failures = try #require(Harness.sample(text, #"slaprobe_probes_total{probe="forged",result="failure"}"#))
        #expect(failures >= 2)
        #expect(
            Harness.sample(text, #"slaprobe_probe_failures_total{probe="forged",reason="http_status"}"#) == failures
        )
        let series = #"slaprobe_probe_step_failures_total{probe="forged",step="webhook",reason="http_status"}"#
        #expect(Harness.sample(text, series) == failures)
        #expect(
            Harness.sample(text, #"slaprobe_probe_step_duration_seconds_count{probe="forged",step="entitled"}"#) == 0
        )
        let targetMetrics = await Self.metrics(targetPort)
        #expect(Harness.sample(targetMetrics, "simulator_entitlement_grants_total") ?? 0 == 0)
    }

    @Test func aSlowGrantFiresTheStepLatencyAlertWithItsEvidence() async throws {
        let receiver = try WebhookReceiver()
        let (target, targetPort) = try await FaultTests.startTarget()
        defer { target.stop() }
        try await FaultTests.setFaults(targetPort, "grant_delay=1500ms&grant_jitter=0")
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let probes = """
              - name: purchase
                kind: journey
                journey: purchase
                interval: 500ms
            """
        let alerting = """
            alerting:
              evaluation_interval: 500ms
              window: 10s
              group_wait: 500ms
              group_interval: 1s
              rules:
                - name: SlaprobeLatencyHigh
                  kind: latency
                  for: 1s
                  min_samples: 2
              receivers:
                - name: oncall
                  kind: webhook
                  url: \(receiver.url)
            """
        let (slaprobe, _, _) = try await Harness.startSlaprobe(
            config: Self.config(targetPort: targetPort, probes: probes, alerting: alerting),
            in: directory,
            environment: Self.environment
        )
        defer { slaprobe.stop() }
        let delivery = try await receiver.waitFor(timeout: 40) { delivery in
            guard let alerts = delivery.json?["alerts"] as? [[String: Any]] else { return false }
            return alerts.contains { ($0["labels"] as? [String: String])?["step"] == "entitled" }
        }
        let alerts = try #require(delivery.json?["alerts"] as? [[String: Any]])
        let alert = try #require(alerts.first { ($0["labels"] as? [String: String])?["step"] == "entitled" })
        let labels = try #require(alert["labels"] as? [String: String])
        #expect(labels["alertname"] == "SlaprobeLatencyHigh" && labels["probe"] == "purchase")
        #expect(alert["status"] as? String == "firing")
        let annotations = try #require(alert["annotations"] as? [String: String])
        #expect(Double(annotations["p95"] ?? "") ?? 0 >= 1.5, "\(annotations)")
        #expect(annotations["threshold"] == "1")
        let requestIDs = (annotations["request_ids"] ?? "").split(separator: ",")
        let traceIDs = (annotations["trace_ids"] ?? "").split(separator: ",")
        #expect(!requestIDs.isEmpty, "\(annotations)")
        #expect(!traceIDs.isEmpty && traceIDs.allSatisfy { $0.wholeMatch(of: /[0-9a-f]{32}/) != nil }, "\(annotations)")
    }
}

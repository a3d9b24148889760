import Foundation
import SlaprobeTesting
import Testing

/// slaprobe against `slaprobe target` with injected faults: every failure is counted with the right reason,
/// nothing crashes, and healthy probes keep their schedule.
@Suite(.serialized) struct FaultTests {
    static let key = "sk_test_fault_key_4f1c"
    static let secret = "whsec_fault_secret_8d2e"

    static func startTarget(_ extra: [String] = []) async throws -> (ManagedProcess, Int) {
        let target = try ManagedProcess(
            Harness.slaprobe,
            [
                "target", "--web.listen-address", "127.0.0.1:0", "--latency", "0s", "--jitter", "0s", "--miss-latency",
                "0s",
            ]
                + extra,
            environment: ["SLAPROBE_API_KEY": key, "SLAPROBE_WEBHOOK_SECRET": secret],
            name: "target"
        )
        let port = try await target.listeningPort(message: "simulated billing API listening")
        return (target, port)
    }

    static func setFaults(_ port: Int, _ query: String) async throws {
        let result = await Harness.fetch("http://127.0.0.1:\(port)/admin/faults?\(query)", method: "POST")
        guard result.status == 200 else {
            throw TestFailure("setting faults \(query): \(result.status) \(result.bodyString)")
        }
    }

    @Test func injectedFaultsAreMeasuredAndCountedWithTheRightReason() async throws {
        let (targetA, portA) = try await Self.startTarget()
        defer { targetA.stop() }
        let (targetB, portB) = try await Self.startTarget()
        defer { targetB.stop() }
        try await Self.setFaults(portA, "endpoint=entitlement&latency=150ms")
        try await Self.setFaults(portA, "endpoint=checkout&error_rate=1")
        try await Self.setFaults(portA, "endpoint=webhook&hang=true")
        try await Self.setFaults(portB, "endpoint=entitlement&body_bytes=50000000")
        let closedPort = try Harness.freePort()

        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = """
            global:
              interval: 250ms
              windows: [10s, 1m]
            target:
              url: http://127.0.0.1:\(portA)
              api_key_env: TEST_KEY
              webhook_secret_env: TEST_SECRET
            probes:
              - name: slow
                kind: entitlement
              - name: errors
                kind: checkout
              - name: hanging
                kind: webhook
                interval: 1s
                timeout: 500ms
              - name: refused
                kind: http
                url: http://127.0.0.1:\(closedPort)/
              - name: unresolvable
                kind: http
                url: http://no-such-host.invalid/
                interval: 1s
              - name: huge
                kind: entitlement
                url: http://127.0.0.1:\(portB)/api/v1/entitlements?user_id=u&project_id=p
              - name: healthy
                kind: checkout
                url: http://127.0.0.1:\(portB)/api/v1/checkout/create
            """
        let file = directory.appendingPathComponent("slaprobe.yml")
        try config.write(to: file, atomically: true, encoding: .utf8)
        let (slaprobe, port) = try await Harness.startSlaprobe(
            configFile: file,
            environment: ["TEST_KEY": Self.key, "TEST_SECRET": Self.secret]
        )
        defer { slaprobe.stop() }
        let started = Date()
        try await Task.sleep(for: .seconds(8))
        let text = await Harness.fetch("http://127.0.0.1:\(port)/metrics").bodyString
        let elapsed = Date().timeIntervalSince(started)
        func value(_ series: String) -> Double { Harness.sample(text, series) ?? -1 }

        // 150 ms injected: the window p95 is over the 100 ms SLA, and p50 is 150 ms + 20 ms at most. This suite runs
        // beside browser and Prometheus tests on two cores (one run measured +10.7 ms); bench/ holds the accuracy
        // budget (within 0.3 ms of curl) on a quiet machine.
        let p95 = value(#"slaprobe_window_latency_seconds{probe="slow",window="10s",quantile="0.95"}"#)
        let p50 = value(#"slaprobe_window_latency_seconds{probe="slow",window="10s",quantile="0.5"}"#)
        #expect(p95 > 0.1)
        #expect(p50 >= 0.149 && p50 - 0.150 <= 0.020, "p50 \(p50)")
        #expect(value(#"slaprobe_window_samples_over_threshold{probe="slow",window="10s"}"#) > 0)

        let reasons: [(String, String)] = [
            ("errors", "http_status"), ("hanging", "timeout"), ("refused", "connect"), ("unresolvable", "dns"),
            ("huge", "body_too_large"),
        ]
        for (probe, reason) in reasons {
            let failures = value("slaprobe_probe_failures_total{probe=\"\(probe)\",reason=\"\(reason)\"}")
            let total = value("slaprobe_probes_total{probe=\"\(probe)\",result=\"failure\"}")
            #expect(failures >= 2, "\(probe): \(reason) counted \(failures)")
            #expect(failures == total, "\(probe): every failure is \(reason)")
            #expect(value("slaprobe_probe_success{probe=\"\(probe)\"}") == 0)
        }
        // A timed-out probe counts its full timeout as latency.
        #expect(value(#"slaprobe_window_latency_seconds{probe="hanging",window="10s",quantile="0.5"}"#) >= 0.5)

        // The healthy probe kept its 250 ms schedule while the others failed around it.
        let healthy = value(#"slaprobe_probes_total{probe="healthy",result="success"}"#)
        #expect(value(#"slaprobe_probes_total{probe="healthy",result="failure"}"#) == 0)
        #expect(healthy >= (elapsed - 1) / 0.25 * 0.85, "healthy ran \(healthy) times in \(elapsed)s")
        #expect(healthy <= (elapsed + 1) / 0.25 * 1.1)
        let lagCount = value("slaprobe_scheduler_lag_seconds_count")
        let lagFast = value(#"slaprobe_scheduler_lag_seconds_bucket{le="0.01"}"#)
        #expect(lagCount > 100)
        // Tests run in parallel on two cores; benchmarks (bench/) hold the strict lag budget.
        #expect(lagFast / lagCount >= 0.85, "scheduler lag: \(lagFast) of \(lagCount) under 10 ms")

        #expect(await Harness.fetch("http://127.0.0.1:\(port)/healthz").status == 200)
        #expect(slaprobe.process.isRunning)
        let api = await Harness.fetch("http://127.0.0.1:\(port)/api/v1/probes").bodyString
        #expect(api.contains(#""failure_reason":"body_too_large""#))
        #expect(api.contains(#""failure_reason":"connect""#))
    }

    @Test func aTargetThatAcceptsForgedWebhooksFailsAsAssertion() async throws {
        // The simulator's /admin/faults answers any POST with 200 and checks no signature: a stand-in for a target
        // that accepts forged webhooks. The real webhook endpoint refuses the forged and stale ones.
        let (target, port) = try await Self.startTarget()
        defer { target.stop() }
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("slaprobe.yml")
        try """
        probes:
          - name: accepts-anything
            kind: webhook
            url: http://127.0.0.1:\(port)/admin/faults
            webhook_secret_env: TEST_SECRET
          - name: webhook
            kind: webhook
            url: http://127.0.0.1:\(port)/api/v1/webhooks/stripe
            webhook_secret_env: TEST_SECRET
        """.write(to: file, atomically: true, encoding: .utf8)
        let (status, output) = try Harness.run(
            Harness.slaprobe,
            ["once", "--config.file", file.path],
            environment: ["TEST_SECRET": Self.secret]
        )
        #expect(status == 1)
        let lines = output.split(separator: "\n")
        let forged = try #require(lines.first { $0.hasPrefix("accepts-anything") })
        #expect(forged.contains("FAIL (assertion)"))
        #expect(forged.contains("forged signature"))
        let good = try #require(lines.first { $0.hasPrefix("webhook") })
        #expect(good.contains(" ok "))
        #expect(!output.contains(Self.secret))
    }
}

import Foundation
import SlaprobeTesting
import Testing

/// slaprobe against `slaprobe target`: a user pool spreads entitlement lookups over many users of the target's
/// cache, and latency by cache outcome tells slow misses from a slow API.
@Suite struct CacheHonestyTests {
    static let key = "sk_test_cache_key_91ab"
    static let secret = "whsec_cache_secret_17c4"

    static func startTarget(_ extra: [String]) async throws -> (ManagedProcess, Int) {
        let target = try ManagedProcess(
            Harness.slaprobe,
            ["target", "--web.listen-address", "127.0.0.1:0", "--latency", "0s", "--jitter", "0s"] + extra,
            environment: ["SLAPROBE_API_KEY": key, "SLAPROBE_WEBHOOK_SECRET": secret],
            name: "target"
        )
        let port = try await target.listeningPort(message: "simulated billing API listening")
        return (target, port)
    }

    static func config(targetPort: Int, probe: String) -> String {
        """
        global:
          windows: [10s, 1m]
        target:
          url: http://127.0.0.1:\(targetPort)
          api_key_env: TEST_KEY
          webhook_secret_env: TEST_SECRET
        probes:
        \(probe)
        """
    }

    static func metrics(_ port: Int) async -> String {
        await Harness.fetch("http://127.0.0.1:\(port)/metrics").bodyString
    }

    @Test func aPoolOf500ReachesManyDistinctUsersOfTheTarget() async throws {
        let (target, targetPort) = try await Self.startTarget(["--miss-latency", "0s"])
        defer { target.stop() }
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let probe = """
              - name: pooled
                kind: entitlement
                interval: 50ms
                user_pool: {size: 500}
            """
        let (slaprobe, port, _) = try await Harness.startSlaprobe(
            config: Self.config(targetPort: targetPort, probe: probe),
            in: directory,
            environment: ["TEST_KEY": Self.key, "TEST_SECRET": Self.secret]
        )
        defer { slaprobe.stop() }
        try await Task.sleep(for: .seconds(8))

        // Counted on the target's side: each user's first lookup makes it warm, and 1,000 stay warm.
        let targetText = await Self.metrics(targetPort)
        let warmUsers = try #require(Harness.sample(targetText, "simulator_entitlement_cache_warm_users"))
        let lookups = try #require(Harness.sample(targetText, #"simulator_requests_total{endpoint="entitlement"}"#))
        #expect(lookups >= 80, "only \(lookups) lookups in 8 s")
        #expect(warmUsers >= 60 && warmUsers >= lookups * 0.6, "\(warmUsers) distinct users in \(lookups) lookups")

        // slaprobe's own view is honest: mostly cold misses, not the hit ratio of one warm key.
        let text = await Self.metrics(port)
        let ratio = try #require(Harness.sample(text, #"slaprobe_window_cache_hit_ratio{probe="pooled",window="1m"}"#))
        #expect(ratio < 0.5, "hit ratio \(ratio)")
        let miss = #"slaprobe_window_cache_latency_seconds{probe="pooled",window="1m",cache="miss",quantile="0.95"}"#
        #expect(Harness.sample(text, miss) != nil)
        let (status, lint) = try Harness.run("promtool", ["check", "metrics"], input: text)
        #expect(status == 0, "promtool: \(lint)")
    }

    @Test func slowMissesMoveTheMissP95AndNotTheHitP95() async throws {
        let (target, targetPort) = try await Self.startTarget(["--miss-latency", "0s", "--cache-hit-ratio", "0.7"])
        defer { target.stop() }
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let probe = """
              - name: pooled
                kind: entitlement
                interval: 200ms
                timeout: 200ms
                user_pool: [u1, u2, u3, u4, u5, u6, u7, u8, u9, u10]
            """
        let (slaprobe, port, _) = try await Harness.startSlaprobe(
            config: Self.config(targetPort: targetPort, probe: probe),
            in: directory,
            environment: ["TEST_KEY": Self.key, "TEST_SECRET": Self.secret]
        )
        defer { slaprobe.stop() }
        func p95(_ text: String, _ cache: String) -> Double? {
            let labels = "probe=\"pooled\",window=\"10s\",cache=\"\(cache)\",quantile=\"0.95\""
            return Harness.sample(text, "slaprobe_window_cache_latency_seconds{\(labels)}")
        }
        try await Task.sleep(for: .seconds(5))
        let before = await Self.metrics(port)
        let hitBefore = try #require(p95(before, "hit"))
        let missBefore = try #require(p95(before, "miss"))
        #expect(missBefore < 0.1, "miss p95 before \(missBefore)")

        let set = await Harness.fetch(
            "http://127.0.0.1:\(targetPort)/admin/faults?endpoint=entitlement&miss_latency=150ms",
            method: "POST"
        )
        #expect(set.status == 200)
        // The 10 s window then holds only samples taken with slow misses.
        try await Task.sleep(for: .seconds(10.8))
        let after = await Self.metrics(port)
        let hitAfter = try #require(p95(after, "hit"))
        let missAfter = try #require(p95(after, "miss"))
        #expect(missAfter >= 0.15, "miss p95 \(missBefore) -> \(missAfter)")
        #expect(hitAfter < 0.1, "hit p95 \(hitBefore) -> \(hitAfter)")
        #expect(missAfter - missBefore > 0.1)
        #expect(abs(hitAfter - hitBefore) < 0.05, "hit p95 \(hitBefore) -> \(hitAfter)")
        // The window's overall p95 would mix the two; the hit p95 alone shows the API itself is still fast.
        let overall = #"slaprobe_window_latency_seconds{probe="pooled",window="10s",quantile="0.95"}"#
        #expect((Harness.sample(after, overall) ?? 0) >= 0.15)
    }
}

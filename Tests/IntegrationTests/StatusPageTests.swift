import Foundation
import SlaprobeTesting
import Testing

/// The status page `/` in a real browser: a probe whose window p95 passes its SLA shows as breaching (not as
/// "ok" because its last run succeeded), with its latency chart and threshold line, in headless Chromium. The page
/// has no script at all (checked), so what Chromium renders is what a browser with JavaScript off shows; Chromium's
/// `--dump-dom` itself needs JavaScript to read the document back.
@Suite(.serialized) struct StatusPageTests {
    static let environment = TargetConfig.environment

    static func config(targetPort: Int) -> String {
        TargetConfig.yaml(
            targetPort: targetPort,
            probes: TargetConfig.billingProbes("entitlement", "checkout"),
            then: "alerting:\n  window: 10s\n  long_window: 20s"
        )
    }

    /// The window p95 of `probe` from `/api/v1/probes`, if it has one.
    static func p95(_ port: Int, probe: String) async -> Double? {
        let body = await Harness.fetch("http://127.0.0.1:\(port)/api/v1/probes").body
        guard let json = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            let probes = json["probes"] as? [[String: Any]],
            let entry = probes.first(where: { $0["name"] as? String == probe }),
            let windows = entry["windows"] as? [[String: Any]]
        else { return nil }
        return windows.first?["p95_seconds"] as? Double
    }

    /// Runs headless Chromium on `arguments` (after the common flags), bounded by `timeout` seconds.
    static func chromium(_ arguments: [String], profile: URL, timeout: Int = 60) async throws -> (Int32, String) {
        try await Harness.runOffPool(
            "timeout",
            [
                "--kill-after=5", String(timeout), "chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run",
                "--user-data-dir=\(profile.path)",
            ] + arguments
        )
    }

    @Test func aProbeOverItsSLAShowsAsBreachingWithItsChartInABrowser() async throws {
        let (target, targetPort) = try await FaultTests.startTarget()
        defer { target.stop() }
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (slaprobe, port, _) = try await Harness.startSlaprobe(
            config: Self.config(targetPort: targetPort),
            in: directory,
            environment: Self.environment
        )
        defer { slaprobe.stop() }

        try await FaultTests.setFaults(targetPort, "endpoint=entitlement&latency=150ms&jitter=0")
        let deadline = Date().addingTimeInterval(30)
        var p95: Double?
        while Date() < deadline {
            p95 = await Self.p95(port, probe: "entitlement")
            if let p95, p95 > 0.1 { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        #expect((p95 ?? 0) > 0.1, "entitlement p95 \(p95 ?? -1)")
        // The page judges on the rule's window and minimum samples (20): wait until the page says so.
        let url = "http://127.0.0.1:\(port)/"
        let page = try await Harness.poll(url, timeout: 20) {
            $0.bodyString.contains(#"data-probe="entitlement" data-sla="breach""#)
        }
        #expect(page.bodyString.contains(#"<meta http-equiv="refresh" content="10">"#))
        #expect(!page.bodyString.contains("<script"))
        #expect(!page.bodyString.contains("src=\"http") && !page.bodyString.contains("href=\"http"))
        #expect(!page.bodyString.contains(FaultTests.key) && !page.bodyString.contains(FaultTests.secret))

        let profile = directory.appendingPathComponent("chromium")
        let (status, dom) = try await Self.chromium(["--dump-dom", url], profile: profile)
        #expect(status == 0, "chromium exited with \(status): \(dom.suffix(2000))")
        #expect(dom.contains(#"data-probe="entitlement" data-sla="breach""#), "\(dom.prefix(4000))")
        // The last run of a probe 50 ms over its SLA succeeds: the old page called it "ok".
        #expect(dom.contains(#"<span class="check breach" data-rule="SlaprobeLatencyHigh">p95 "#))
        let chart = try #require(
            dom.firstMatch(of: /<svg class="chart"[^>]*data-probe="entitlement"[\s\S]*?<\/svg>/)?.output,
            "no chart for entitlement"
        )
        #expect(chart.contains(#"class="threshold" data-threshold="0.1""#))
        #expect(chart.contains("<polyline class=\"latency\""))
        #expect(dom.contains(#"data-probe="checkout" data-sla=""#))
        #expect(dom.contains("<h2>Silences</h2>") && dom.contains("<h2>Alerts</h2>"))

        let screenshot = directory.appendingPathComponent("status.png")
        let (shotStatus, shotOutput) = try await Self.chromium(
            ["--screenshot=\(screenshot.path)", "--window-size=1366,900", url],
            profile: profile
        )
        #expect(shotStatus == 0, "\(shotOutput.suffix(2000))")
        let png = try Data(contentsOf: screenshot)
        #expect(png.count > 10_000 && png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
    }
}

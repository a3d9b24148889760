import Foundation
import SlaprobeTesting
import Testing

/// A page of more than 100 probes is written while it is read, chunked: a real Prometheus scrapes all of it, and
/// promtool and the reference OpenMetrics parser accept it.
@Suite(.serialized) struct StreamedMetricsTests {
    static let probes = 120

    static func config(targetPort: Int) -> String {
        var lines = ["global:", "  interval: 5s", "  windows: [1m]", "probes:"]
        for index in 0..<probes {
            lines += [
                "  - name: p\(index)",
                "    kind: http",
                "    url: http://127.0.0.1:\(targetPort)/api/v1/entitlements?user_id=u&project_id=p",
                "    api_key_env: TEST_KEY",
            ]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func prometheusScrapesEveryProbeOfAStreamedPage() async throws {
        let (target, targetPort) = try await FaultTests.startTarget()
        defer { target.stop() }
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (slaprobe, port, _) = try await Harness.startSlaprobe(
            config: Self.config(targetPort: targetPort),
            in: directory,
            environment: TargetConfig.environment
        )
        defer { slaprobe.stop() }
        _ = try await Harness.poll("http://127.0.0.1:\(port)/readyz", timeout: 30) { $0.status == 200 }

        let page = await Harness.fetch("http://127.0.0.1:\(port)/metrics")
        #expect(page.status == 200)
        #expect(page.header("transfer-encoding") == "chunked")
        #expect(page.header("content-length") == nil)
        #expect(page.body.count > 1_000_000, "about 11 KB a probe")
        #expect(page.bodyString.components(separatedBy: "slaprobe_probes_total{probe=").count == 2 * Self.probes + 1)
        let check = try Harness.run(ArtifactTests.promtool, ["check", "metrics"], input: page.bodyString)
        #expect(check.0 == 0, "promtool check metrics:\n\(check.1.prefix(2000))")

        let openMetrics = await Harness.fetch(
            "http://127.0.0.1:\(port)/metrics",
            headers: [("Accept", "application/openmetrics-text; version=1.0.0")]
        )
        #expect(openMetrics.bodyString.hasSuffix("# EOF\n"))
        let parsed = try Harness.run(
            "python3",
            [
                "-c",
                "import sys\nfrom prometheus_client.openmetrics.parser import text_string_to_metric_families\n"
                    + "print(len(list(text_string_to_metric_families(sys.stdin.read()))))",
            ],
            input: openMetrics.bodyString
        )
        #expect(parsed.0 == 0, "\(parsed.1.prefix(2000))")

        let prometheusConfig = """
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: slaprobe
                static_configs:
                  - targets: ["127.0.0.1:\(port)"]
            """
        let (prometheus, prometheusPort) = try Harness.startPrometheus(config: prometheusConfig, in: directory)
        defer { prometheus.stop() }
        let api = "http://127.0.0.1:\(prometheusPort)/api/v1/query?query="
        let query = "count(slaprobe_probes_total%7Bresult=%22success%22%7D)"
        let counted = try await Harness.poll(api + query, timeout: 30) { $0.bodyString.contains("\"\(Self.probes)\"]") }
        #expect(counted.bodyString.contains("\"\(Self.probes)\"]"), "\(counted.bodyString)")
        let up = await Harness.fetch(api + "up").bodyString
        #expect(up.contains(#""job":"slaprobe""#) && up.contains("\"1\"]"), "\(up)")
    }
}

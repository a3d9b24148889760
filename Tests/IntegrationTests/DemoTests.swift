import Foundation
import SlaprobeTesting
import Testing

/// `slaprobe demo` as a user runs it: a real process serving real HTTP on loopback.
@Suite(.serialized) struct DemoTests {
    @Test func demoServesMetricsWithAllThreeProbesSucceedingAndPromtoolIsSilent() async throws {
        let demo = try ManagedProcess(Harness.slaprobe, ["demo", "--web.listen-address", "127.0.0.1:0"])
        defer { demo.stop() }
        let port = try await demo.listeningPort(message: "slaprobe listening")
        let base = "http://127.0.0.1:\(port)"

        let started = Date()
        let metrics = try await Harness.poll(base + "/metrics", timeout: 15) { result in
            ["entitlement", "checkout", "webhook"].allSatisfy {
                (Harness.sample(result.bodyString, "slaprobe_probes_total{probe=\"\($0)\",result=\"success\"}") ?? 0)
                    >= 1
            }
        }
        #expect(Date().timeIntervalSince(started) < 15)
        let text = metrics.bodyString
        #expect(metrics.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
        for probe in ["entitlement", "checkout", "webhook"] {
            #expect(Harness.sample(text, "slaprobe_probe_success{probe=\"\(probe)\"}") == 1)
        }
        for family in [
            "slaprobe_probe_duration_seconds_bucket", "slaprobe_probe_phase_duration_seconds_bucket",
            "slaprobe_probe_failures_total", "slaprobe_probe_last_run_timestamp_seconds",
            "slaprobe_cache_lookups_total",
            "slaprobe_window_latency_seconds", "slaprobe_window_error_ratio", "slaprobe_window_cache_hit_ratio",
            "slaprobe_window_samples", "slaprobe_scheduler_lag_seconds_bucket",
            "slaprobe_config_last_reload_successful",
            "slaprobe_build_info", "process_cpu_seconds_total", "process_resident_memory_bytes",
            "process_start_time_seconds", "process_open_fds",
        ] {
            #expect(text.contains("\n\(family)"), "missing \(family)")
        }
        #expect(text.contains(#"slaprobe_probe_duration_seconds_bucket{probe="entitlement",le="0.1"}"#))
        #expect(text.contains(#"slaprobe_probe_duration_seconds_bucket{probe="checkout",le="0.5"}"#))
        #expect(text.contains(#"slaprobe_probe_duration_seconds_bucket{probe="webhook",le="1"}"#))

        let (status, lint) = try Harness.run("promtool", ["check", "metrics"], input: text)
        #expect(status == 0)
        #expect(lint.isEmpty, "promtool: \(lint)")

        let ready = try await Harness.poll(base + "/readyz", timeout: 5) { $0.status == 200 }
        #expect(ready.bodyString == "ready\n")
        #expect(await Harness.fetch(base + "/healthz").status == 200)
        #expect(await Harness.fetch(base + "/-/healthy").status == 200)
        #expect(await Harness.fetch(base + "/-/ready").status == 200)
        #expect(await Harness.fetch(base + "/nope").status == 404)
        #expect(await Harness.fetch(base + "/metrics", method: "DELETE").status == 405)

        let page = await Harness.fetch(base + "/")
        #expect(page.status == 200)
        #expect(page.header("Content-Type")?.hasPrefix("text/html") == true)
        #expect(page.bodyString.contains("<td>entitlement</td>"))

        let api = await Harness.fetch(base + "/api/v1/probes")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(api.body)) as? [String: Any])
        let probes = try #require(json["probes"] as? [[String: Any]])
        #expect(probes.compactMap { $0["name"] as? String } == ["entitlement", "checkout", "webhook", "purchase"])
        let recent = try #require(probes[0]["recent"] as? [[String: Any]])
        #expect(recent.first?["success"] as? Bool == true)
        #expect((recent.first?["request_id"] as? String)?.count == 36)
    }

    @Test func openMetricsIsServedWhenAskedForAndParsesWithTheReferenceParser() async throws {
        let demo = try ManagedProcess(Harness.slaprobe, ["demo", "--web.listen-address", "127.0.0.1:0"])
        defer { demo.stop() }
        let port = try await demo.listeningPort(message: "slaprobe listening")
        _ = try await Harness.poll("http://127.0.0.1:\(port)/readyz", timeout: 15) { $0.status == 200 }
        let result = await Harness.fetch(
            "http://127.0.0.1:\(port)/metrics",
            headers: [("Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5")]
        )
        #expect(result.header("Content-Type") == "application/openmetrics-text; version=1.0.0; charset=utf-8")
        #expect(result.bodyString.hasSuffix("# EOF\n"))
        let script = """
            import sys
            from prometheus_client.openmetrics.parser import text_string_to_metric_families
            names = [f.name for f in text_string_to_metric_families(sys.stdin.read())]
            assert "slaprobe_probe_duration_seconds" in names, names
            assert "slaprobe_probes" in names, names
            print("ok", len(names))
            """
        let (status, output) = try Harness.run("python3", ["-c", script], input: result.bodyString)
        #expect(status == 0, "\(output)")
        #expect(output.hasPrefix("ok"))
    }

    @Test func realPrometheusScrapesTheDemo() async throws {
        let demo = try ManagedProcess(Harness.slaprobe, ["demo", "--web.listen-address", "127.0.0.1:0"])
        defer { demo.stop() }
        let port = try await demo.listeningPort(message: "slaprobe listening")
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = """
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: slaprobe
                static_configs:
                  - targets: ["127.0.0.1:\(port)"]
            """
        let (prometheus, promPort) = try Harness.startPrometheus(config: config, in: directory)
        defer { prometheus.stop() }
        let api = "http://127.0.0.1:\(promPort)/api/v1/query?query="
        let up = try await Harness.poll(api + "up", timeout: 30) {
            $0.bodyString.contains(#""job":"slaprobe""#) && $0.bodyString.contains("\"1\"]")
        }
        #expect(up.bodyString.contains(#""job":"slaprobe""#))
        #expect(up.bodyString.contains("\"1\"]"))
        let query = "histogram_quantile(0.95,%20rate(slaprobe_probe_duration_seconds_bucket%5B1m%5D))"
        let quantile = try await Harness.poll(api + query, timeout: 30) { result in
            result.bodyString.contains(#""probe":"entitlement""#) && !result.bodyString.contains("NaN")
        }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(quantile.body)) as? [String: Any])
        let data = try #require(json["data"] as? [String: Any])
        let series = try #require(data["result"] as? [[String: Any]])
        #expect(series.count == 4, "the three probes and the purchase journey")
        for item in series {
            let value = try #require((item["value"] as? [Any])?.last as? String)
            let seconds = try #require(Double(value))
            #expect(seconds > 0 && seconds < 1)
        }
    }
}

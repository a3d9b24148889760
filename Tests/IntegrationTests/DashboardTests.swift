import Foundation
import HTTPClient
import SlaprobeTesting
import Testing

extension ArtifactTests {
    /// The Grafana dashboard: every panel query returns data from a real Prometheus scraping real slaprobe
    /// processes, and the dashboard reads its data source and probe variables.
    @Suite struct DashboardTests {
        @Test func everyDashboardQueryReturnsDataFromARealPrometheus() async throws {
            let directory = try Harness.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }

            let demo = try ManagedProcess(Harness.slaprobe, ["demo", "--web.listen-address", "127.0.0.1:0"])
            defer { demo.stop() }
            // An https target for the certificate panel: openssl's test server with a fresh self-signed certificate.
            let (certificate, key) = try ArtifactTests.makeCertificate(in: directory)
            let tlsPort = try Harness.freePort()
            let tlsServer = try ManagedProcess(
                "openssl",
                [
                    "s_server", "-quiet", "-www", "-accept", "127.0.0.1:\(tlsPort)", "-cert", certificate, "-key", key,
                ]
            )
            defer { tlsServer.stop() }
            let probeConfig = directory.appendingPathComponent("tls.yml")
            try """
            global:
              interval: 1s
              timeout: 1s
            probes:
              - name: tls
                kind: http
                url: https://127.0.0.1:\(tlsPort)/
                ca_file: \(certificate)
            """.write(to: probeConfig, atomically: true, encoding: .utf8)
            let prober = try ManagedProcess(
                Harness.slaprobe,
                ["--config.file", probeConfig.path, "--web.listen-address", "127.0.0.1:0"],
                name: "slaprobe-tls"
            )
            defer { prober.stop() }
            let demoPort = try await demo.listeningPort(message: "slaprobe listening")
            let proberPort = try await prober.listeningPort(message: "slaprobe listening")

            let config = """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - \(ArtifactTests.path("alerts/slaprobe.rules.yml"))
                scrape_configs:
                  - job_name: slaprobe
                    static_configs:
                      - targets: ["127.0.0.1:\(demoPort)", "127.0.0.1:\(proberPort)"]
                """
            let (prometheus, prometheusPort) = try Harness.startPrometheus(config: config, in: directory)
            defer { prometheus.stop() }
            let api = "http://127.0.0.1:\(prometheusPort)/api/v1"

            // Both targets up, then a few scrapes so every rate has two samples in its range.
            _ = try await Harness.poll(
                api + "/query?query=" + ArtifactTests.encode("sum(up{job=\"slaprobe\"})"),
                timeout: 30
            ) {
                $0.bodyString.contains("\"2\"]")
            }
            _ = try await Harness.poll(
                api + "/query?query=" + ArtifactTests.encode("slaprobe_probe_tls_cert_expiry_timestamp_seconds"),
                timeout: 20
            ) { (try? ArtifactTests.resultCount($0)) ?? 0 > 0 }
            try await Task.sleep(for: .seconds(3))

            // The rules load and evaluate without error in the real Prometheus.
            let rules = try await Harness.poll(api + "/rules", timeout: 20) { result in
                !result.bodyString.contains("\"health\":\"unknown\"") && result.bodyString.contains("\"health\":\"ok\"")
            }
            #expect(!rules.bodyString.contains("\"health\":\"err\""), "a rule failed: \(rules.bodyString.prefix(3000))")

            // The probe variable's query.
            let values = await Harness.fetch(api + "/label/probe/values?match[]=slaprobe_probes_total")
            for probe in ArtifactTests.probes {
                #expect(values.bodyString.contains("\"\(probe)\""), "\(values.bodyString)")
            }

            // Every panel query, with Grafana's variables as Grafana would substitute them.
            let deadline = Date().addingTimeInterval(30)
            for query in try ArtifactTests.dashboardQueries() {
                let expression = ArtifactTests.substituteVariables(query.expr)
                #expect(!expression.contains("$"), "panel \"\(query.panel)\" uses an unknown variable: \(expression)")
                var last = ""
                var ok = false
                while !ok {
                    let result = await Harness.fetch(api + "/query?query=" + ArtifactTests.encode(expression))
                    last = result.bodyString
                    ok = result.status == 200 && ((try? ArtifactTests.resultCount(result)) ?? 0) > 0
                    if ok || Date() > deadline { break }
                    try await Task.sleep(for: .milliseconds(500))
                }
                #expect(ok, "panel \"\(query.panel)\": \(expression)\nreturned \(last.prefix(600))")
            }
        }

        @Test func dashboardReadsTheDataSourceAndProbeVariables() throws {
            let data = try Data(contentsOf: URL(fileURLWithPath: ArtifactTests.path("dashboards/slaprobe.json")))
            let dashboard = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect((dashboard["schemaVersion"] as? Int ?? 0) >= 39)
            let variables = (dashboard["templating"] as? [String: Any])?["list"] as? [[String: Any]] ?? []
            let datasource = try #require(variables.first { $0["name"] as? String == "datasource" })
            #expect(datasource["type"] as? String == "datasource")
            #expect(datasource["query"] as? String == "prometheus")
            let probe = try #require(variables.first { $0["name"] as? String == "probe" })
            #expect(probe["definition"] as? String == "label_values(slaprobe_probes_total, probe)")
            #expect(probe["multi"] as? Bool == true)
            #expect(probe["includeAll"] as? Bool == true)
            let panels = dashboard["panels"] as? [[String: Any]] ?? []
            let titles = panels.compactMap { $0["title"] as? String }
            #expect(Set(titles).count == titles.count, "panel titles repeat: \(titles)")
            for panel in panels where panel["type"] as? String != "row" {
                let title = panel["title"] as? String ?? "?"
                #expect((panel["datasource"] as? [String: Any])?["uid"] as? String == "${datasource}", "\(title)")
                let targets = panel["targets"] as? [[String: Any]] ?? []
                #expect(!targets.isEmpty, "\(title) has no query")
                for target in targets {
                    #expect((target["datasource"] as? [String: Any])?["uid"] as? String == "${datasource}", "\(title)")
                }
            }
            // Time to entitlement draws the entitled step's default SLA (p95 < 1 s) as a threshold line.
            let entitlement = try #require(panels.first { $0["title"] as? String == "Time to entitlement" })
            let defaults = (entitlement["fieldConfig"] as? [String: Any])?["defaults"] as? [String: Any] ?? [:]
            let style = ((defaults["custom"] as? [String: Any])?["thresholdsStyle"] as? [String: Any])?["mode"]
            #expect(["line", "dashed", "line+area", "dashed+area"].contains(style as? String ?? "off"))
            let steps = (defaults["thresholds"] as? [String: Any])?["steps"] as? [[String: Any]] ?? []
            #expect(steps.contains { ($0["value"] as? Double) == 1 }, "\(steps)")
            // The histogram latency panel's p95 shows exemplars (trace ids of recent runs), and only that target.
            let histogram = try #require(
                panels.first { $0["title"] as? String == "Latency quantiles from the histogram" }
            )
            let exemplarTargets = (histogram["targets"] as? [[String: Any]] ?? []).filter {
                $0["exemplar"] as? Bool == true
            }
            #expect(exemplarTargets.count == 1)
            #expect((exemplarTargets.first?["expr"] as? String)?.hasPrefix("histogram_quantile(0.95") == true)
            #expect(
                (exemplarTargets.first?["expr"] as? String)?.contains("slaprobe_probe_duration_seconds_bucket") == true
            )
            let queries = try ArtifactTests.dashboardQueries().map(\.expr).joined(separator: "\n")
            for needle in [
                "histogram_quantile(0.95", "slaprobe_window_latency_seconds", "slaprobe_probe_phase_duration_seconds",
                "slaprobe_probe_latency_threshold_seconds", "slaprobe_window_error_ratio",
                "slaprobe_window_cache_hit_ratio",
                "slaprobe_alerts", "slaprobe_notification_queue_length", "slaprobe_notification_dead_letters_total",
                "slaprobe_scheduler_lag_seconds_bucket", "slaprobe_probe_tls_cert_expiry_timestamp_seconds",
                "slaprobe_window_step_latency_seconds", "slaprobe_probe_step_duration_seconds_bucket",
                "slaprobe_probe_step_failures_total", "step=\"entitled\"",
            ] {
                #expect(queries.contains(needle), "no panel reads \(needle)")
            }
        }
    }
}

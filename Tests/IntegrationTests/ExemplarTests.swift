import Foundation
import SlaprobeTesting
import Testing

/// Exemplars end to end: `slaprobe` probing `slaprobe target`, scraped in OpenMetrics by a real Prometheus with
/// exemplar storage, whose `/api/v1/query_exemplars` returns trace ids the target really received.
@Suite(.serialized) struct ExemplarTests {
    static let environment = TargetConfig.environment

    static func config(targetPort: Int) -> String {
        TargetConfig.yaml(targetPort: targetPort, probes: TargetConfig.billingProbes("entitlement", "checkout"))
    }

    /// The trace ids of the `traceparent`s the target received, from its `GET /admin/requests`.
    static func receivedTraceIDs(_ targetPort: Int) async throws -> Set<String> {
        let body = await Harness.fetch("http://127.0.0.1:\(targetPort)/admin/requests").body
        let json = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        let requests = try #require(json["requests"] as? [[String: Any]])
        return Set(requests.compactMap { $0["trace_id"] as? String }.filter { !$0.isEmpty })
    }

    @Test func prometheusStoresExemplarsWhoseTraceIDsTheTargetReceived() async throws {
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

        // The OpenMetrics page carries exemplars on bucket lines, each in the bucket its value belongs to; the
        // text format carries none.
        let openMetrics = try await Harness.poll(
            "http://127.0.0.1:\(port)/metrics",
            timeout: 15,
            headers: [("Accept", "application/openmetrics-text; version=1.0.0")]
        ) {
            $0.bodyString.contains("slaprobe_probe_duration_seconds_bucket{probe=\"checkout\"")
                && $0.bodyString.contains("trace_id=")
        }
        let lines = openMetrics.bodyString.split(separator: "\n").filter { $0.contains(" # {trace_id=\"") }
        #expect(!lines.isEmpty)
        for line in lines {
            #expect(line.hasPrefix("slaprobe_probe_duration_seconds_bucket{"), "\(line)")
            let match = try #require(
                line.firstMatch(of: /le="([^"]+)"\} \d+ # \{trace_id="([0-9a-f]{32})"\} ([0-9.e+-]+) ([0-9.]+)$/),
                "\(line)"
            )
            let bound = match.output.1 == "+Inf" ? Double.infinity : try #require(Double(match.output.1))
            let value = try #require(Double(match.output.3))
            #expect(value <= bound, "\(line)")
            let timestamp = try #require(Double(match.output.4))
            #expect(abs(timestamp - Date().timeIntervalSince1970) < 120, "\(line)")
        }
        let text = await Harness.fetch("http://127.0.0.1:\(port)/metrics").bodyString
        #expect(!text.contains("trace_id") && !text.contains(" # {"))
        let parsed = try Harness.run(
            "python3",
            [
                "-c",
                "import sys\nfrom prometheus_client.openmetrics.parser import text_string_to_metric_families\n"
                    + "print(len(list(text_string_to_metric_families(sys.stdin.read()))))",
            ],
            input: openMetrics.bodyString
        )
        #expect(parsed.0 == 0, "\(parsed.1)")

        let prometheusConfig = """
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: slaprobe
                static_configs:
                  - targets: ["127.0.0.1:\(port)"]
            """
        let (prometheus, prometheusPort) = try Harness.startPrometheus(
            config: prometheusConfig,
            in: directory,
            arguments: ["--enable-feature=exemplar-storage"]
        )
        defer { prometheus.stop() }
        let start = Int(Date().timeIntervalSince1970) - 600
        let query =
            "http://127.0.0.1:\(prometheusPort)/api/v1/query_exemplars?query=slaprobe_probe_duration_seconds_bucket"
            + "&start=\(start)&end=\(Int(Date().timeIntervalSince1970) + 600)"
        let answer = try await Harness.poll(query, timeout: 45) { $0.bodyString.contains("\"trace_id\"") }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any])
        let series = try #require(json["data"] as? [[String: Any]])
        var traceIDs: [String] = []
        var probes: Set<String> = []
        for item in series {
            let labels = item["seriesLabels"] as? [String: String] ?? [:]
            probes.insert(labels["probe"] ?? "")
            for exemplar in item["exemplars"] as? [[String: Any]] ?? [] {
                let trace = (exemplar["labels"] as? [String: String])?["trace_id"] ?? ""
                #expect(trace.wholeMatch(of: /[0-9a-f]{32}/) != nil, "\(exemplar)")
                traceIDs.append(trace)
            }
        }
        #expect(!traceIDs.isEmpty)
        #expect(probes.isSubset(of: ["entitlement", "checkout"]) && !probes.isEmpty, "\(probes)")
        let received = try await Self.receivedTraceIDs(targetPort)
        let unknown = traceIDs.filter { !received.contains($0) }
        #expect(unknown.isEmpty, "trace ids the target never received: \(unknown)")
    }
}

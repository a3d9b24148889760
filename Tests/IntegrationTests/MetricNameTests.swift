import Foundation
import SlaprobeTesting
import Testing

extension ArtifactTests {
    /// Every metric name the rules and the dashboard read is one slaprobe exports.
    @Suite struct MetricNameTests {
        @Test func everyMetricTheRulesAndDashboardReadIsOneSlaprobeExports() async throws {
            let demo = try ManagedProcess(Harness.slaprobe, ["demo", "--web.listen-address", "127.0.0.1:0"])
            defer { demo.stop() }
            let port = try await demo.listeningPort(message: "slaprobe listening")
            let recorded = try ArtifactTests.recordingRuleNames()
            var read: Set<String> = []
            let expressions =
                try ArtifactTests.ruleExpressions() + ArtifactTests.dashboardQueries().map(\.expr)
                + ArtifactTests.dashboardVariableQueries()
            for expression in expressions {
                read.formUnion(ArtifactTests.metricNames(in: expression))
            }
            let wanted = read.filter { !$0.contains(":") && !ArtifactTests.prometheusOwnSeries.contains($0) }
            // Window series appear once a probe has run, and first runs are spread over the interval: wait for them.
            let url = "http://127.0.0.1:\(port)/metrics"
            let ready = try? await Harness.poll(url, timeout: 20) {
                $0.status == 200 && wanted.isSubset(of: ArtifactTests.sampleNames($0.bodyString))
            }
            // Past the deadline, judge the last page, so the failure names what is missing.
            let metrics = if let ready { ready } else { await Harness.fetch(url) }
            let exported = ArtifactTests.sampleNames(metrics.bodyString)
            #expect(read.contains("slaprobe_probe_duration_seconds_bucket"))
            #expect(read.contains("slaprobe_probe_latency_threshold_seconds"))
            for name in read.sorted() {
                if name.contains(":") {
                    #expect(recorded.contains(name), "\(name) is read but no rule records it")
                } else {
                    #expect(
                        exported.contains(name) || ArtifactTests.prometheusOwnSeries.contains(name),
                        "\(name) is read by a rule or panel but slaprobe does not export it"
                    )
                }
            }
        }
    }
}

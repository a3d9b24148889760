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
            let metrics = try await Harness.poll("http://127.0.0.1:\(port)/metrics", timeout: 15) {
                $0.status == 200 && $0.bodyString.contains("slaprobe_cache_lookups_total{")
            }
            let exported = ArtifactTests.sampleNames(metrics.bodyString)
            let recorded = try ArtifactTests.recordingRuleNames()
            var read: Set<String> = []
            let expressions =
                try ArtifactTests.ruleExpressions() + ArtifactTests.dashboardQueries().map(\.expr)
                + ArtifactTests.dashboardVariableQueries()
            for expression in expressions {
                read.formUnion(ArtifactTests.metricNames(in: expression))
            }
            #expect(read.contains("slaprobe_probe_duration_seconds_bucket"))
            #expect(read.contains("slaprobe_probe_latency_threshold_seconds"))
            for name in read.sorted() {
                if name.contains(":") {
                    #expect(recorded.contains(name), "\(name) is read but no rule records it")
                } else {
                    #expect(
                        exported.contains(name) || ArtifactTests.familiesNotYetExported.contains(name)
                            || ArtifactTests.prometheusOwnSeries.contains(name),
                        "\(name) is read by a rule or panel but slaprobe does not export it"
                    )
                }
            }
        }
    }
}

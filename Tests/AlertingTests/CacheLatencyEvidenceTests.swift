import Alerting
import Config
import RollingWindows
import Testing

@Suite struct CacheLatencyEvidenceTests {
    static func snapshot(hit: CacheLatency?, miss: CacheLatency?) -> ProbeSnapshot {
        ProbeSnapshot(
            probe: "entitlement",
            kind: .entitlement,
            secondsSinceLastResult: 1,
            windows: [
                WindowStats(
                    window: 300,
                    threshold: 0.1,
                    samples: 100,
                    overThreshold: 20,
                    p50: 0.004,
                    p95: 0.31,
                    p99: 0.33,
                    cacheHits: 80,
                    cacheMisses: 20,
                    hitLatency: hit,
                    missLatency: miss
                )
            ]
        )
    }

    static func evidence(_ kind: AlertRule.Kind, _ snapshot: ProbeSnapshot) throws -> [String: String] {
        let rule = try #require(AlertRule.defaultRules().first { $0.kind == kind })
        guard case .measured(_, let evidence) = rule.verdict(for: snapshot) else {
            Issue.record("no verdict")
            return [:]
        }
        return evidence
    }

    @Test(
        "latency and cache alerts carry the hit and the miss p95",
        arguments: [AlertRule.Kind.latency, .cacheHitRatio]
    )
    func bothOutcomes(kind: AlertRule.Kind) throws {
        let snapshot = Self.snapshot(
            hit: CacheLatency(samples: 80, p50: 0.003, p95: 0.0042, p99: 0.005),
            miss: CacheLatency(samples: 20, p50: 0.3, p95: 0.31, p99: 0.33)
        )
        let evidence = try Self.evidence(kind, snapshot)
        #expect(evidence["hit_p95"] == "0.0042")
        #expect(evidence["miss_p95"] == "0.31")
    }

    @Test("an outcome without samples has no p95 in the evidence")
    func missingOutcome() throws {
        let evidence = try Self.evidence(
            .latency,
            Self.snapshot(hit: CacheLatency(samples: 80, p50: 0.003, p95: 0.0042, p99: 0.005), miss: nil)
        )
        #expect(evidence["hit_p95"] == "0.0042")
        #expect(evidence["miss_p95"] == nil)
    }
}

import Alerting
import Config
import Foundation
import Probing
import RollingWindows
import Testing

/// Latency and error evidence quote `trace_ids` beside `request_ids`, one for one and in the same order.
@Suite struct TraceEvidenceTests {
    /// 100 runs of `entitlement` (100 ms SLA): every tenth slow, every twentieth failing with HTTP 500.
    static func snapshot() throws -> ProbeSnapshot {
        let store = ProbeStore()
        store.configure(
            [ProbeConfig(name: "entitlement", kind: .entitlement, url: "http://localhost/", interval: .seconds(1))],
            windows: [300, 3600]
        )
        for run in 0..<100 {
            store.record(
                ProbeResult(
                    probe: "entitlement",
                    startedAt: Double(run),
                    monotonicStart: Double(run),
                    latency: run % 10 == 0 ? 0.2 + Double(run) / 10_000 : 0.01,
                    status: run % 20 == 5 ? 500 : 200,
                    failure: run % 20 == 5 ? .httpStatus : nil,
                    requestID: "request-\(run)",
                    traceID: Self.trace(run)
                )
            )
        }
        return try #require(store.snapshots(at: 100).first)
    }

    static func trace(_ run: Int) -> String { String(format: "%032x", run + 1) }

    /// Checks that `trace_ids` names the run of each of `request_ids`, in order.
    static func expectMatching(_ evidence: [String: String]) throws {
        let ids = try #require(evidence["request_ids"]).split(separator: ",").map(String.init)
        let traces = try #require(evidence["trace_ids"]).split(separator: ",").map(String.init)
        #expect(!ids.isEmpty)
        #expect(traces == ids.map { Self.trace(Int($0.dropFirst("request-".count))!) })
    }

    @Test func latencyEvidenceQuotesTheTraceIDOfEachSlowRequest() throws {
        let rule = try #require(AlertRule.defaultRules().first { $0.kind == .latency })
        guard case .measured(_, let evidence) = rule.verdict(for: try Self.snapshot()) else {
            Issue.record("no latency verdict")
            return
        }
        try Self.expectMatching(evidence)
    }

    @Test func errorEvidenceQuotesTheTraceIDOfEachFailedRequest() throws {
        var rule = try #require(AlertRule.defaultRules().first { $0.kind == .errorRatio })
        rule.minSamples = 1
        guard case .measured(_, let evidence) = rule.verdict(for: try Self.snapshot()) else {
            Issue.record("no error verdict")
            return
        }
        try Self.expectMatching(evidence)
        #expect(evidence["request_ids"]?.hasPrefix("request-85,request-65") == true)
    }
}

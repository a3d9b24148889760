import Alerting
import Config
import Foundation
import Probing
import RollingWindows
import Testing

@testable import SlaprobeService

/// The status page as rendered from snapshots: SLA state by the rules' thresholds and minimum samples, not by
/// the last run; everything escaped; the silences section from its rows.
@Suite struct StatusPageRenderTests {
    static let trace = "4bf92f3577b34da6a3ce929d0e0e4736"

    /// A store with `runs` runs of `name` (100 ms SLA) at `latency`, the last one failing with HTTP 500 when
    /// `lastFails`, and every other one succeeding.
    static func snapshot(_ name: String, runs: Int, latency: Double, lastFails: Bool = false) -> ProbeSnapshot {
        let store = ProbeStore()
        store.configure(
            [ProbeConfig(name: name, kind: .http, url: "http://user:pw@localhost/", interval: .seconds(1))],
            windows: [300, 3600]
        )
        for run in 0..<runs {
            let fails = lastFails && run == runs - 1
            store.record(
                ProbeResult(
                    probe: name,
                    startedAt: 1_764_789_000 + Double(run),
                    monotonicStart: Double(run),
                    latency: latency,
                    status: fails ? 500 : 200,
                    failure: fails ? .httpStatus : nil,
                    message: fails ? "HTTP 500 <b>is</b> not an expected status" : nil,
                    requestID: "request-\(run)",
                    traceID: trace
                )
            )
        }
        return store.snapshots(at: Double(runs))[0]
    }

    static func render(_ snapshots: [ProbeSnapshot], silences: [StatusPage.SilenceRow] = []) -> String {
        StatusPage.render(
            snapshots,
            context: StatusPage.Context(rules: AlertRule.defaultRules(), silences: silences, now: 1_764_789_100)
        )
    }

    @Test func aSlowProbeWhoseLastRunSucceededIsInBreach() {
        let page = Self.render([Self.snapshot("slow", runs: 30, latency: 0.165)])
        #expect(page.contains(#"data-probe="slow" data-sla="breach""#))
        #expect(
            page.contains(#"<span class="check breach" data-rule="SlaprobeLatencyHigh">p95 165.0 ms &gt; 100.0 ms"#)
        )
        #expect(page.contains(#"<td class="result">ok</td>"#))
        #expect(page.contains(#"<line class="threshold" data-threshold="0.1""#))
        #expect(page.contains(#"<meta http-equiv="refresh" content="10">"#))
    }

    @Test func tooFewSamplesIsNodataAndAFastProbeIsOK() {
        let page = Self.render([
            Self.snapshot("young", runs: 5, latency: 0.165), Self.snapshot("fast", runs: 30, latency: 0.02),
        ])
        #expect(page.contains(#"data-probe="young" data-sla="nodata""#))
        #expect(page.contains("p95: 5 of 20 samples"))
        #expect(page.contains(#"data-probe="fast" data-sla="ok""#))
        #expect(page.contains("p95 20.0 ms ≤ 100.0 ms"))
    }

    @Test func failuresShowTheirIDsAndEverythingIsEscapedWithoutURLsOrScripts() {
        let page = Self.render(
            [Self.snapshot("<script>alert(1)</script>", runs: 3, latency: 0.01, lastFails: true)],
            silences: [
                StatusPage.SilenceRow(
                    id: "s-1",
                    matchers: #"probe="<x>""#,
                    state: "active",
                    startsAt: 1_764_789_000,
                    endsAt: 1_764_792_600,
                    createdBy: "ops",
                    comment: "deploy & migrate"
                )
            ]
        )
        #expect(!page.contains("<script>"))
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(page.contains("HTTP 500 &lt;b&gt;is&lt;/b&gt; not an expected status"))
        #expect(page.contains("<code>request-2</code>") && page.contains("<code>\(Self.trace)</code>"))
        #expect(page.contains(#"<circle class="failure""#))
        #expect(!page.contains("pw@") && !page.contains("http://user"))
        #expect(page.contains("<code>probe=&quot;&lt;x&gt;&quot;</code>") && page.contains("deploy &amp; migrate"))
        #expect(!Self.render([]).contains("s-1") && Self.render([]).contains("no silences"))
    }
}

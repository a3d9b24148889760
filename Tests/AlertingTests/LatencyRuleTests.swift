import Alerting
import Config
import RollingWindows
import SlaprobeTesting
import Testing

@Suite("Latency rule decides p95 > threshold on counters")
struct LatencyRuleTests {
    /// A small deterministic generator, so a failure can be reproduced from its seed.
    private typealias SplitMix = SplitMix64

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func decisionEqualsNearestRankP95AboveThreshold(seed: UInt64) {
        var random = SplitMix(state: seed)
        let rule = AlertRule.defaultRules().first { $0.kind == .latency }!
        var checked = 0
        var breaching = 0
        for _ in 0..<500 {
            let count = Int.random(in: 20...400, using: &random)
            let threshold = [0.1, 0.5, 1.0].randomElement(using: &random)!
            // Latencies on a 1 ms grid so some equal the threshold exactly (not slower than it).
            let slowShare = Double.random(in: 0...0.12, using: &random)
            let latencies = (0..<count).map { _ -> Double in
                Double.random(in: 0...1, using: &random) < slowShare
                    ? threshold + Double(Int.random(in: 0...500, using: &random)) / 1000
                    : Double(Int.random(in: 1...Int(threshold * 1000), using: &random)) / 1000
            }
            let sorted = latencies.sorted()
            let rank = (95 * count + 99) / 100  // ceil(0.95 n), exactly
            let p95 = sorted[rank - 1]
            let over = latencies.filter { $0 > threshold }.count
            let snapshot = ProbeSnapshot(
                probe: "p",
                kind: .http,
                secondsSinceLastResult: 1,
                windows: [
                    WindowStats(
                        window: 300,
                        threshold: threshold,
                        samples: count,
                        overThreshold: over,
                        p95: p95
                    )
                ]
            )
            guard case .measured(let values, let evidence) = rule.verdict(for: snapshot) else {
                Issue.record("no verdict for \(count) samples")
                return
            }
            let decided = rule.isBreaching(values, firing: false)
            #expect(decided == (p95 > threshold), "n=\(count) over=\(over) p95=\(p95) T=\(threshold)")
            #expect(evidence["p95"] != nil)
            checked += 1
            if decided { breaching += 1 }
        }
        // Both outcomes must have been exercised for the comparison to mean anything.
        #expect(checked == 500)
        #expect(breaching > 20 && breaching < 480)
    }
}

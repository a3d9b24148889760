import Alerting
import Config
import HTTPClient
import Testing

@Suite("Inactive alerts stay listed")
struct InactiveAlertTests {
    private func entry(_ evaluator: AlertEvaluator, _ probe: String = "entitlement") -> AlertStateSnapshot? {
        evaluator.stateSnapshots().first { $0.alertname == "SlaprobeLatencyHigh" && $0.probe == probe }
    }

    @Test func aRuleWhoseConditionNeverHeldIsListedAsInactiveWithItsValues() {
        var evaluator = AlertEvaluator(rules: [Fixtures.latencyRule()])
        _ = evaluator.evaluate([Fixtures.probe(over: 1)], now: 0)
        #expect(entry(evaluator)?.state == .inactive)
        #expect(entry(evaluator)?.values == [0.01])
        #expect(
            entry(evaluator)?.labels == [
                "alertname": "SlaprobeLatencyHigh", "probe": "entitlement", "severity": "page",
            ]
        )
        #expect(evaluator.gaugeRows().isEmpty)
    }

    @Test func aResolvedAlertIsListedAsInactiveOnceItsRetentionEnds() {
        var evaluator = AlertEvaluator(rules: [Fixtures.latencyRule()], resolvedRetention: 60)
        _ = evaluator.evaluate([Fixtures.probe(over: 10)], now: 0)
        #expect(entry(evaluator)?.state == .firing)
        _ = evaluator.evaluate([Fixtures.probe(over: 0)], now: 15)
        #expect(entry(evaluator)?.state == .resolved)
        _ = evaluator.evaluate([Fixtures.probe(over: 0)], now: 90)
        #expect(entry(evaluator)?.state == .inactive)
        #expect(evaluator.stateSnapshots().count == 1)
        #expect(evaluator.gaugeRows().isEmpty)
    }

    @Test func activeAlertsComeFirstThenInactiveOnes() {
        var evaluator = AlertEvaluator(rules: [Fixtures.latencyRule()])
        _ = evaluator.evaluate(
            [Fixtures.probe("a", over: 0), Fixtures.probe("b", over: 10), Fixtures.probe("c", samples: 5)],
            now: 0
        )
        #expect(evaluator.stateSnapshots().map(\.probe) == ["b", "c", "a"])
        #expect(evaluator.stateSnapshots().map(\.state) == [.firing, .nodata, .inactive])
    }

    @Test func theAPIListsInactiveAlerts() throws {
        let engine = try AlertEngine(
            config: AlertingConfig(defaultRules: false, rules: [Fixtures.latencyRule()], stateFile: nil),
            transfers: TransferLoop()
        )
        engine.evaluate([Fixtures.probe(over: 10), Fixtures.probe("checkout", kind: .checkout, over: 0)], now: 0)
        let document = try #require(Fixtures.json(engine.alertsJSON()) as? [String: Any])
        let alerts = try #require((document["data"] as? [String: Any])?["alerts"] as? [[String: Any]])
        #expect(alerts.map { $0["probe"] as? String } == ["entitlement", "checkout"])
        #expect(alerts.map { $0["state"] as? String } == ["firing", "inactive"])
        #expect(engine.alertGaugeRows().map(\.probe) == ["entitlement"])
    }
}

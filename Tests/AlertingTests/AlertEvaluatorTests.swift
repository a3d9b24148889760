import Alerting
import Config
import Testing

@Suite("Alert state machine")
struct AlertEvaluatorTests {
    private func state(_ evaluator: AlertEvaluator, _ alertname: String = "SlaprobeLatencyHigh") -> AlertStateSnapshot?
    {
        evaluator.stateSnapshots().first { $0.alertname == alertname && $0.probe == "entitlement" }
    }

    @Test func pendingBecomesFiringOnceForHasElapsed() {
        var evaluator = AlertEvaluator(rules: [Fixtures.latencyRule(forDuration: 60)])
        let slow = Fixtures.probe(over: 10)
        #expect(evaluator.evaluate([slow], now: 1000).isEmpty)
        #expect(state(evaluator)?.state == .pending)
        #expect(state(evaluator)?.activeAt == 1000)
        #expect(
            evaluator.gaugeRows() == [
                AlertGaugeRow(alertname: "SlaprobeLatencyHigh", probe: "entitlement", alertstate: "pending")
            ]
        )
        #expect(evaluator.evaluate([slow], now: 1059).isEmpty)
        let fired = evaluator.evaluate([slow], now: 1060)
        #expect(fired.count == 1)
        #expect(fired.first?.status == .firing)
        #expect(fired.first?.startsAt == 1060)
        #expect(state(evaluator)?.state == .firing)
        #expect(state(evaluator)?.firedAt == 1060)
        #expect(evaluator.gaugeRows().map(\.alertstate) == ["firing"])
    }

    @Test func forZeroFiresOnTheFirstBreachingEvaluation() {
        var evaluator = AlertEvaluator(rules: [Fixtures.latencyRule(forDuration: 0)])
        let alerts = evaluator.evaluate([Fixtures.probe(over: 10)], now: 50)
        #expect(alerts.map(\.status) == [.firing])
        #expect(
            alerts.first?.labels == ["alertname": "SlaprobeLatencyHigh", "probe": "entitlement", "severity": "page"]
        )
        #expect(alerts.first?.annotations["summary"] == "p95 of entitlement is 0.25s over 0.1s")
        #expect(alerts.first?.annotations["request_ids"] == "req-slow-1,req-slow-2")
        #expect(alerts.first?.annotations["samples"] == "100")
        #expect(alerts.first?.annotations["window"] == "5m")
        #expect(alerts.first?.annotations["p95"] == "0.25")
    }

    @Test func pendingAlertThatClearsIsDroppedWithoutNotice() {
        var evaluator = AlertEvaluator(rules: [Fixtures.latencyRule(forDuration: 60)])
        _ = evaluator.evaluate([Fixtures.probe(over: 10)], now: 0)
        #expect(evaluator.evaluate([Fixtures.probe(over: 1)], now: 15).isEmpty)
        #expect(state(evaluator)?.state == .inactive)
    }

    @Test func firingAlertResolvesWhenTheConditionClears() {
        var evaluator = AlertEvaluator(rules: [Fixtures.latencyRule()])
        _ = evaluator.evaluate([Fixtures.probe(over: 10)], now: 0)
        let alerts = evaluator.evaluate([Fixtures.probe(over: 5)], now: 15)
        #expect(alerts.map(\.status) == [.resolved])
        #expect(alerts.first?.endsAt == 15)
        #expect(state(evaluator)?.state == .resolved)
        #expect(state(evaluator)?.resolvedAt == 15)
        #expect(evaluator.gaugeRows().isEmpty)
        // Kept for the retention, then forgotten.
        #expect(evaluator.evaluate([Fixtures.probe(over: 5)], now: 15 + 900).count == 1)
        #expect(evaluator.evaluate([Fixtures.probe(over: 5)], now: 15 + 901).isEmpty)
    }

    @Test func keepFiringForHoldsTheAlertAfterTheConditionClears() {
        var evaluator = AlertEvaluator(rules: [Fixtures.latencyRule(keepFiringFor: 60)])
        _ = evaluator.evaluate([Fixtures.probe(over: 10)], now: 0)
        #expect(evaluator.evaluate([Fixtures.probe(over: 0)], now: 15).map(\.status) == [.firing])
        #expect(evaluator.evaluate([Fixtures.probe(over: 0)], now: 74).map(\.status) == [.firing])
        #expect(evaluator.evaluate([Fixtures.probe(over: 0)], now: 75).map(\.status) == [.resolved])
        #expect(state(evaluator)?.resolvedAt == 75)
    }

    @Test func keepFiringForRestartsWhenTheConditionReturns() {
        var evaluator = AlertEvaluator(rules: [Fixtures.latencyRule(keepFiringFor: 60)])
        _ = evaluator.evaluate([Fixtures.probe(over: 10)], now: 0)
        _ = evaluator.evaluate([Fixtures.probe(over: 0)], now: 15)
        _ = evaluator.evaluate([Fixtures.probe(over: 10)], now: 30)
        #expect(evaluator.evaluate([Fixtures.probe(over: 0)], now: 45).map(\.status) == [.firing])
        #expect(evaluator.evaluate([Fixtures.probe(over: 0)], now: 100).map(\.status) == [.firing])
        #expect(evaluator.evaluate([Fixtures.probe(over: 0)], now: 105).map(\.status) == [.resolved])
    }

    @Test func clearThresholdKeepsAFiringAlertUntilTheRatioFallsBelowIt() {
        var evaluator = AlertEvaluator(rules: [Fixtures.latencyRule(clearThreshold: 0.02)])
        // Between clear threshold and threshold, nothing starts.
        #expect(evaluator.evaluate([Fixtures.probe(over: 4)], now: 0).isEmpty)
        #expect(evaluator.evaluate([Fixtures.probe(over: 10)], now: 15).map(\.status) == [.firing])
        #expect(evaluator.evaluate([Fixtures.probe(over: 4)], now: 30).map(\.status) == [.firing])
        #expect(evaluator.evaluate([Fixtures.probe(over: 3)], now: 45).map(\.status) == [.firing])
        #expect(evaluator.evaluate([Fixtures.probe(over: 2)], now: 60).map(\.status) == [.resolved])
    }

    @Test func belowMinSamplesTheRuleNeitherFiresNorResolves() {
        var evaluator = AlertEvaluator(rules: [Fixtures.latencyRule(minSamples: 20)])
        // 19 samples, all slow: no data, no alert.
        #expect(evaluator.evaluate([Fixtures.probe(samples: 19, over: 19)], now: 0).isEmpty)
        #expect(state(evaluator)?.state == .nodata)
        #expect(state(evaluator)?.heldState == nil)
        #expect(evaluator.gaugeRows().isEmpty)
        // Fires with enough samples.
        #expect(evaluator.evaluate([Fixtures.probe(samples: 20, over: 20)], now: 15).map(\.status) == [.firing])
        // Too few samples again, all fast: it keeps firing, shown as nodata.
        #expect(evaluator.evaluate([Fixtures.probe(samples: 5, over: 0)], now: 30).map(\.status) == [.firing])
        #expect(state(evaluator)?.state == .nodata)
        #expect(state(evaluator)?.heldState == .firing)
        #expect(evaluator.gaugeRows().map(\.alertstate) == ["firing"])
        #expect(evaluator.evaluate([Fixtures.probe(samples: 100, over: 0)], now: 45).map(\.status) == [.resolved])
    }

    @Test func pendingAlertIsFrozenWhileTheRuleHasNoData() {
        var evaluator = AlertEvaluator(rules: [Fixtures.latencyRule(forDuration: 60)])
        _ = evaluator.evaluate([Fixtures.probe(over: 10)], now: 0)
        _ = evaluator.evaluate([Fixtures.probe(samples: 3, over: 3)], now: 30)
        _ = evaluator.evaluate([Fixtures.probe(samples: 3, over: 3)], now: 60)
        #expect(state(evaluator)?.state == .nodata)
        #expect(state(evaluator)?.heldState == .pending)
        #expect(evaluator.gaugeRows().map(\.alertstate) == ["pending"])
        // 75 s since activeAt, 60 of them without data: only 15 s count towards `for`.
        #expect(evaluator.evaluate([Fixtures.probe(over: 10)], now: 75).isEmpty)
        #expect(state(evaluator)?.state == .pending)
        #expect(evaluator.evaluate([Fixtures.probe(over: 10)], now: 120).map(\.status) == [.firing])
    }

    @Test func errorRatioRuleNeedsBothWindows() {
        let rules = AlertRule.defaultRules().filter { $0.kind == .errorRatio }
        var evaluator = AlertEvaluator(rules: rules)
        // Short window high, long window low.
        #expect(evaluator.evaluate([Fixtures.probe(failures: 10, longFailures: 5)], now: 0).isEmpty)
        // Long window high, short window low.
        #expect(evaluator.evaluate([Fixtures.probe(failures: 1, longFailures: 50)], now: 15).isEmpty)
        // Both high.
        let alerts = evaluator.evaluate([Fixtures.probe(failures: 10, longFailures: 50)], now: 30)
        #expect(alerts.map(\.status) == [.firing])
        #expect(alerts.first?.annotations["window"] == "5m,1h")
        #expect(alerts.first?.annotations["ratio"] == "0.1,0.05")
        #expect(alerts.first?.annotations["request_ids"] == "req-fail-1")
        // Short window recovers: resolves.
        #expect(
            evaluator.evaluate([Fixtures.probe(failures: 1, longFailures: 50)], now: 45).map(\.status) == [.resolved]
        )
    }

    @Test func errorRatioRequiresMinSamplesOnTheLongWindow() {
        var evaluator = AlertEvaluator(rules: AlertRule.defaultRules().filter { $0.kind == .errorRatio })
        #expect(
            evaluator.evaluate([Fixtures.probe(samples: 60, failures: 60, longSamples: 99, longFailures: 99)], now: 0)
                .isEmpty
        )
        #expect(state(evaluator, "SlaprobeErrorRatioHigh")?.state == .nodata)
        let alerts = evaluator.evaluate(
            [Fixtures.probe(samples: 60, failures: 1, longSamples: 720, longFailures: 8)],
            now: 15
        )
        #expect(alerts.map(\.status) == [.firing])
    }

    @Test func cacheRuleAppliesToEntitlementProbesAndProbesWithLookups() {
        var evaluator = AlertEvaluator(rules: AlertRule.defaultRules().filter { $0.kind == .cacheHitRatio })
        let alerts = evaluator.evaluate(
            [
                Fixtures.probe("entitlement", hits: 60, misses: 40),
                Fixtures.probe("checkout", kind: .checkout, hits: 0, misses: 0),
                Fixtures.probe("custom", kind: .http, hits: 10, misses: 90),
            ],
            now: 0
        )
        #expect(alerts.isEmpty)  // for: 5m
        let pending = evaluator.stateSnapshots().filter { $0.state == .pending }.map(\.probe)
        #expect(pending == ["custom", "entitlement"])
        #expect(!evaluator.stateSnapshots().contains { $0.probe == "checkout" })
    }

    @Test func noDataRuleFiresForSilentAndMissingProbes() {
        var evaluator = AlertEvaluator(
            rules: AlertRule.defaultRules(evaluationInterval: 15).filter { $0.kind == .noData },
            expectedProbes: ["entitlement", "checkout"]
        )
        #expect(evaluator.evaluate([Fixtures.probe(age: 59)], now: 0).isEmpty)
        let alerts = evaluator.evaluate([Fixtures.probe(age: 61)], now: 30)
        #expect(alerts.map { $0.labels["probe"] } == ["entitlement"])
        // checkout has been missing since t=0: fires after 60 s.
        let later = evaluator.evaluate([Fixtures.probe(age: 1)], now: 61)
        #expect(later.first { $0.labels["probe"] == "checkout" }?.status == .firing)
        #expect(later.first { $0.labels["probe"] == "entitlement" }?.status == .resolved)
    }

    @Test func aSlowProbeIsSilentOnlyAfterMissingThreeOfItsOwnRuns() {
        var evaluator = AlertEvaluator(
            rules: AlertRule.defaultRules(evaluationInterval: 15).filter { $0.kind == .noData },
            expectedProbes: ["entitlement"]
        )
        var slow = Fixtures.probe(age: 290, interval: .seconds(300))
        #expect(evaluator.evaluate([slow], now: 0).isEmpty, "between two runs of a 5-minute probe")
        slow.secondsSinceLastResult = 899
        #expect(evaluator.evaluate([slow], now: 15).isEmpty)
        slow.secondsSinceLastResult = 901
        #expect(evaluator.evaluate([slow], now: 30).first?.status == .firing)
    }

    @Test func deadLettersRaiseTheInternalAlert() {
        var evaluator = AlertEvaluator(rules: [], deadLetterAlertFor: 3600)
        let alerts = evaluator.evaluate([], now: 100, deadLetters: ["oncall": 90])
        #expect(
            alerts.first?.labels == [
                "alertname": "SlaprobeNotificationsDeadLettered", "receiver": "oncall", "severity": "ticket",
            ]
        )
        #expect(evaluator.evaluate([], now: 3700, deadLetters: ["oncall": 90]).first?.status == .resolved)
    }

    @Test func staticLabelsAreAddedAndFingerprintIsStable() {
        var evaluator = AlertEvaluator(rules: [Fixtures.latencyRule()], staticLabels: ["team": "billing"])
        let alert = evaluator.evaluate([Fixtures.probe(over: 10)], now: 0)[0]
        #expect(alert.labels["team"] == "billing")
        #expect(alert.fingerprint == Fingerprint(labels: alert.labels).description)
        #expect(alert.fingerprint.count == 16)
    }

    @Test(arguments: ["0", "0s", "0ms"])
    func zeroDurationsAreAcceptedForForAndGroupWait(zero: String) throws {
        let yaml = """
            probes:
              - name: homepage
                kind: http
                url: http://127.0.0.1:9000/health
            alerting:
              group_wait: \(zero)
              rules:
                - name: SlaprobeLatencyHigh
                  kind: latency
                  for: \(zero)
            """
        let config = try ConfigLoader.parse(yaml: yaml, file: "t.yml", baseDirectory: "/tmp", environment: [:]).alerting
        #expect(config.grouping.groupWait == 0)
        #expect(config.rules.first?.forDuration == 0)
    }
}

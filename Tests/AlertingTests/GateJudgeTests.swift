import Alerting
import Config
import Foundation
import RollingWindows
import Testing

/// The deploy gate judges with the evaluator's own rules: the same snapshot gives the same verdict in both.
@Suite struct GateJudgeTests {
    /// A verdict as both sides can state it.
    enum Outcome: String { case breach, ok, nodata }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var snapshots: [ProbeSnapshot]
        var testDescription: String { name }
    }

    /// A journey `purchase` with steps `checkout` (SLA 1s), `paid` (SLA 2s) and `grant` (no SLA); the step windows
    /// hold `steps[i]` = (samples, over threshold).
    static func journey(samples: Int, steps: [(Int, Int)]) -> ProbeSnapshot {
        let stepConfigs = [
            JourneyStep(name: "checkout", url: "http://localhost/c", latencyThreshold: .seconds(1)),
            JourneyStep(name: "paid", url: "http://localhost/p", latencyThreshold: .seconds(2)),
            JourneyStep(name: "grant", url: "http://localhost/g"),
        ]
        let config = ProbeConfig(
            name: "purchase",
            kind: .journey,
            url: "http://localhost/",
            journey: JourneyConfig(steps: stepConfigs)
        )
        var snapshot = ProbeSnapshot(
            definition: ProbeDefinition(config, windowLengths: [300, 3600]),
            windows: [
                Fixtures.window(300, samples: samples), Fixtures.window(3600, samples: samples * 10),
            ],
            secondsSinceLastResult: 1
        )
        for (index, counts) in steps.enumerated() where index < snapshot.steps.count {
            let threshold = snapshot.steps[index].threshold ?? .infinity
            snapshot.steps[index].windows = [300.0, 3600.0].map {
                Fixtures.window($0, samples: counts.0, over: counts.1, threshold: threshold)
            }
        }
        return snapshot
    }

    static let cases: [Case] = [
        Case(name: "healthy", snapshots: [Fixtures.probe(samples: 100, hits: 90, misses: 10)]),
        Case(name: "slow", snapshots: [Fixtures.probe(samples: 100, over: 10, hits: 90, misses: 10)]),
        Case(name: "exactly 5 % slow holds", snapshots: [Fixtures.probe(samples: 100, over: 5, hits: 90, misses: 10)]),
        Case(name: "too few samples", snapshots: [Fixtures.probe(samples: 5, over: 5, longSamples: 5, hits: 3)]),
        Case(
            name: "errors on both windows",
            snapshots: [Fixtures.probe(samples: 100, failures: 5, longSamples: 1000, longFailures: 50)]
        ),
        Case(
            name: "errors on the short window only",
            snapshots: [Fixtures.probe(samples: 100, failures: 5, longSamples: 1000, longFailures: 2)]
        ),
        Case(name: "cache misses", snapshots: [Fixtures.probe(samples: 100, hits: 10, misses: 90)]),
        Case(name: "few cache lookups", snapshots: [Fixtures.probe(samples: 100, hits: 1, misses: 9)]),
        Case(
            name: "checkout without cache lookups",
            snapshots: [Fixtures.probe("checkout", kind: .checkout, samples: 100, over: 40)]
        ),
        Case(
            name: "journey steps: slow, few, no SLA",
            snapshots: [journey(samples: 100, steps: [(100, 30), (3, 3), (100, 100)])]
        ),
        Case(
            name: "journey step without samples next to a healthy probe",
            snapshots: [
                journey(samples: 0, steps: [(0, 0), (50, 0), (50, 50)]),
                Fixtures.probe("entitlement", samples: 200, over: 2, hits: 150, misses: 50),
            ]
        ),
    ]

    @Test(arguments: cases)
    func gateVerdictsEqualTheEvaluatorsOnTheSameSnapshot(_ testCase: Case) {
        let rules = AlertRule.defaultRules() + AlertRule.burnRateRules(objective: 0.999)
        var evaluator = AlertEvaluator(rules: rules)
        _ = evaluator.evaluate(testCase.snapshots, now: 1000)
        var evaluated: [String: Outcome] = [:]
        for entry in evaluator.stateSnapshots() where entry.alertname != "SlaprobeNoData" {
            let key = "\(entry.alertname)/\(entry.probe)/\(entry.labels["step"] ?? "-")/\(entry.labels["severity"]!)"
            switch entry.state {
            case .pending, .firing: evaluated[key] = .breach
            case .nodata: evaluated[key] = .nodata
            default: break
            }
        }
        let checks = GateJudge.checks(rules: rules, snapshots: testCase.snapshots)
        #expect(!checks.isEmpty)
        var judged: [String: Outcome] = [:]
        for check in checks {
            let key = "\(check.rule)/\(check.probe)/\(check.step ?? "-")/\(check.severity)"
            #expect(judged[key] == nil, "one check per rule, probe and step: \(key)")
            switch check.verdict {
            case .broken: judged[key] = .breach
            case .tooFewSamples: judged[key] = .nodata
            case .ok: judged[key] = .ok
            }
        }
        // Every pair the evaluator holds a state for is judged the same; every other judged pair is ok there.
        for (key, outcome) in evaluated { #expect(judged[key] == outcome, "\(key)") }
        for (key, outcome) in judged where evaluated[key] == nil { #expect(outcome == .ok, "\(key)") }
    }

    @Test func theTableCasesCoverEveryVerdict() {
        let rules = AlertRule.defaultRules()
        let verdicts = Set(
            Self.cases.flatMap { GateJudge.checks(rules: rules, snapshots: $0.snapshots).map(\.verdict) }
        )
        #expect(verdicts == Set(GateVerdict.allCases))
    }

    @Test func aSlowProbeFailsTheGateNamingTheValueAndThreshold() {
        var probe = Fixtures.probe(samples: 100, over: 10, longSamples: 100, hits: 90, misses: 10)
        probe.windows = probe.windows.map { window in
            var window = window
            window.p95 = 0.152
            return window
        }
        let report = GateReport(
            checks: GateJudge.checks(rules: AlertRule.defaultRules(), snapshots: [probe]),
            runs: [("entitlement", 100)],
            durationSeconds: 5
        )
        #expect(report.outcome == .failed)
        #expect(report.outcome.exitCode == 1)
        let broken = report.checks.filter { $0.verdict == .broken }
        #expect(broken.map(\.message) == ["entitlement p95 0.152s > threshold 0.1s"])
        #expect(report.junit().contains("<failure message=\"entitlement p95 0.152s &gt; threshold 0.1s\""))
        #expect(report.table().contains("gate failed: 1 of"))
    }

    @Test func tooFewSamplesSaysHowManyAreNeededAndBrokenTakesPrecedence() {
        let few = Fixtures.probe(samples: 2, longSamples: 2, hits: 2)
        let rules = AlertRule.defaultRules()
        let report = GateReport(checks: GateJudge.checks(rules: rules, snapshots: [few]), runs: [], durationSeconds: 1)
        #expect(report.outcome == .insufficientData)
        #expect(report.outcome.exitCode == 2)
        #expect(report.samplesNeeded == 100)
        #expect(report.summary().contains("needs 100 samples"))
        #expect(report.junit().contains("<skipped message=\"entitlement p95: 2 samples, need 20\"/>"))
        let slow = Fixtures.probe("slow", kind: .checkout, samples: 100, over: 50, longSamples: 100)
        let mixed = GateReport(
            checks: GateJudge.checks(rules: rules, snapshots: [few, slow]),
            runs: [],
            durationSeconds: 1
        )
        #expect(mixed.outcome == .failed)
    }

    @Test func coveringReadsTheLongestWindowForEveryRuleWindow() {
        let probe = ProbeSnapshot(
            probe: "entitlement",
            kind: .entitlement,
            secondsSinceLastResult: 1,
            windows: [Fixtures.window(7, samples: 3), Fixtures.window(90, samples: 120, failures: 60)]
        )
        let covered = GateJudge.covering(probe, lengths: [300, 3600])
        #expect(covered.windows.map(\.window) == [300, 3600])
        #expect(covered.windows.map(\.samples) == [120, 120])
        let checks = GateJudge.checks(rules: AlertRule.defaultRules(), snapshots: [covered])
        let errors = checks.first { $0.rule == "SlaprobeErrorRatioHigh" }
        #expect(errors?.verdict == .broken)
        #expect(errors?.samples == 120)
        #expect(errors?.value == 0.5)
    }

    @Test func theJSONReportParsesWithEveryDocumentedField() throws {
        let report = GateReport(
            checks: GateJudge.checks(
                rules: AlertRule.defaultRules(),
                snapshots: [Fixtures.probe(hits: 90, misses: 10)]
            ),
            runs: [("entitlement", 100)],
            durationSeconds: 5.5
        )
        let object = try #require(JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        #expect(
            Set(object.keys) == [
                "outcome", "exit_code", "duration_seconds", "runs", "samples_needed", "summary", "checks",
            ]
        )
        #expect(object["outcome"] as? String == "passed")
        let checks = try #require(object["checks"] as? [[String: Any]])
        #expect(checks.count == 3)
        #expect(
            Set(checks[0].keys) == [
                "rule", "kind", "severity", "probe", "step", "measure", "value", "threshold", "comparison", "unit",
                "samples", "min_samples", "verdict", "message",
            ]
        )
    }
}

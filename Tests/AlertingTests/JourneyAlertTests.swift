import Alerting
import Config
import HTTPClient
import Probing
import RollingWindows
import Testing

@Suite("Journeys: a latency alert per step with a threshold, errors judged per journey")
struct JourneyAlertTests {
    static let latency = AlertRule(
        name: "SlaprobeLatencyHigh",
        kind: .latency,
        severity: .page,
        windows: [60],
        threshold: 0.05,
        minSamples: 5
    )
    static let errors = AlertRule(
        name: "SlaprobeErrorRatioHigh",
        kind: .errorRatio,
        severity: .page,
        windows: [60],
        threshold: 0.1,
        minSamples: 5
    )

    /// A store with the purchase journey (`entitled` has a 1 s threshold) whose `checkout` also gets one, fed
    /// `runs`; each run's steps take these latencies and the run fails at `failAt` when given.
    static func snapshot(
        checkout: Double,
        entitled: Double,
        runs: Int = 10,
        failAt: String? = nil
    ) throws -> ProbeSnapshot {
        var journey = PurchaseJourney.journey(base: "http://t", projectID: "p", priceID: "price")
        journey.steps[0].latencyThreshold = .milliseconds(500)
        let probe = ProbeConfig(name: "purchase", kind: .journey, url: "http://t", journey: journey)
        let store = ProbeStore()
        store.configure([probe], windows: [60])
        for run in 0..<runs {
            var steps: [StepResult] = []
            for (name, latency) in [
                ("checkout", checkout), ("webhook", 0.01), ("entitled", entitled), ("revoke", 0.01),
            ] {
                var step = StepResult(name: name, latency: latency, status: 200, requestID: "\(name)-\(run)")
                if name == failAt { step.failure = .timeout }
                steps.append(step)
                if name == failAt { break }
            }
            let result = ProbeResult(
                probe: "purchase",
                startedAt: Double(run),
                monotonicStart: Double(run),
                latency: steps.map(\.latency).reduce(0, +),
                failure: failAt == nil ? nil : .timeout,
                requestID: "checkout-\(run)",
                traceID: String(repeating: String(run % 10), count: 32),
                steps: steps
            )
            store.record(result)
        }
        return try #require(store.snapshots(at: Double(runs)).first)
    }

    @Test func eachSlowStepWithAThresholdFiresItsOwnAlertWithAStepLabel() throws {
        var evaluator = AlertEvaluator(rules: [Self.latency])
        let alerts = evaluator.evaluate([try Self.snapshot(checkout: 0.6, entitled: 1.2)], now: 100)
        let steps = alerts.compactMap { $0.labels["step"] }.sorted()
        #expect(steps == ["checkout", "entitled"], "only steps with a threshold: \(alerts.map(\.labels))")
        #expect(Set(alerts.map(\.fingerprint)).count == alerts.count)
        let entitled = try #require(alerts.first { $0.labels["step"] == "entitled" })
        #expect(entitled.labels["probe"] == "purchase" && entitled.labels["alertname"] == "SlaprobeLatencyHigh")
        #expect(entitled.annotations["threshold"] == "1")
        #expect(entitled.annotations["p95"] == "1.2")
        let ids = try #require(entitled.annotations["request_ids"]).split(separator: ",")
        #expect(!ids.isEmpty && ids.allSatisfy { $0.hasPrefix("entitled-") })
        let traces = try #require(entitled.annotations["trace_ids"]).split(separator: ",")
        #expect(traces.count == ids.count)
        #expect(traces.allSatisfy { $0.count == 32 })
        // The whole journey (default 2 s) is within its SLA: no alert without a step label.
        #expect(!alerts.contains { $0.labels["step"] == nil })
        #expect(evaluator.gaugeRows().count == 1, "one slaprobe_alerts series per rule, probe and state")
    }

    @Test func fastStepsFireNothing() throws {
        var evaluator = AlertEvaluator(rules: [Self.latency])
        #expect(evaluator.evaluate([try Self.snapshot(checkout: 0.05, entitled: 0.3)], now: 100).isEmpty)
    }

    @Test func aFailingJourneysErrorAlertNamesTheStepAndCarriesEveryRequestIDAndTheTraceID() throws {
        var evaluator = AlertEvaluator(rules: [Self.errors])
        let alerts = evaluator.evaluate(
            [try Self.snapshot(checkout: 0.05, entitled: 10, failAt: "entitled")],
            now: 100
        )
        #expect(alerts.count == 1)
        let alert = try #require(alerts.first)
        #expect(alert.labels["step"] == nil, "errors are judged per journey")
        #expect(alert.annotations["failing_step"] == "entitled")
        #expect(alert.annotations["step_request_ids"] == "checkout=checkout-9,webhook=webhook-9,entitled=entitled-9")
        #expect(alert.annotations["trace_id"] == String(repeating: "9", count: 32))
    }
}

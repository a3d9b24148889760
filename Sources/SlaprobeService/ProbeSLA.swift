import Alerting
import Config
import RollingWindows

/// A probe's SLA state as the status page shows it: each alert rule that applies to it (latency, error ratio,
/// cache hit ratio, and each journey step's latency) measured and judged exactly as the evaluator and the
/// deploy gate do (``GateJudge``), on the store's rolling windows, with the same thresholds and minimum samples.
struct ProbeSLA {
    /// The overall state of a probe or a step.
    enum State: String {
        /// Every rule with enough samples holds, and at least one had enough.
        case ok
        /// At least one rule is beyond its threshold.
        case breach
        /// No rule had enough samples to judge.
        case nodata
    }

    /// The probe.
    var snapshot: ProbeSnapshot
    /// The probe's own checks (not its steps'), in rule order.
    var checks: [GateCheck]
    /// Each journey step's checks, by step name.
    var stepChecks: [String: [GateCheck]]

    /// Judges `snapshot` by `rules`.
    init(snapshot: ProbeSnapshot, rules: [AlertRule]) {
        self.snapshot = snapshot
        let all = GateJudge.checks(rules: rules, snapshots: [snapshot])
        checks = all.filter { $0.step == nil }
        stepChecks = Dictionary(grouping: all.filter { $0.step != nil }) { $0.step ?? "" }
    }

    /// The probe's overall state.
    var state: State { Self.state(of: checks) }

    /// The state of the step named `step`, or nil when no rule judges it.
    func stepState(_ step: String) -> State? {
        stepChecks[step].map(Self.state)
    }

    /// `breach` if any check is broken, `ok` if any other was judged, `nodata` otherwise.
    static func state(of checks: [GateCheck]) -> State {
        if checks.contains(where: { $0.verdict == .broken }) { return .breach }
        if checks.contains(where: { $0.verdict == .ok }) { return .ok }
        return .nodata
    }

    /// The state of one check.
    static func state(of check: GateCheck) -> State {
        switch check.verdict {
        case .ok: .ok
        case .broken: .breach
        case .tooFewSamples: .nodata
        }
    }
}

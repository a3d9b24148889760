import Config
import Probing
import RollingWindows

extension AlertRule {
    /// The verdicts of a latency rule on each step of a journey that has a threshold, by step name, in step
    /// order; empty for other rules and other probes. Each becomes an alert of its own with a `step` label.
    package func stepVerdicts(for probe: ProbeSnapshot) -> [(step: String, verdict: RuleVerdict)] {
        guard kind == .latency else { return [] }
        return probe.steps.compactMap { step -> (String, RuleVerdict)? in
            guard step.threshold != nil else { return nil }
            var verdict = latencyVerdict(windows.first.flatMap(step.window))
            if case .measured(let values, var evidence) = verdict {
                evidence["step"] = step.name
                verdict = .measured(values: values, evidence: evidence)
            }
            return (step.name, verdict)
        }
    }

    /// Names the failing step of the newest failed journey run in `evidence` (`failing_step`), with every step's
    /// request id of that run (`step_request_ids`, `step=id` pairs in run order) and its `trace_id`.
    func addJourneyFailure(of probe: ProbeSnapshot, to evidence: inout [String: String]) {
        guard let run = probe.recent.first(where: { !$0.success }) else { return }
        if let failing = run.steps.last(where: { !$0.success }) { evidence["failing_step"] = failing.name }
        let ids = run.steps.map { "\($0.name)=\($0.requestID)" }
        if !ids.isEmpty { evidence["step_request_ids"] = ids.joined(separator: ",") }
        if let trace = run.traceID { evidence["trace_id"] = trace }
    }
}

import Config
import RollingWindows

/// Judges a deploy gate: the alert rules the running evaluator applies, on the samples of one gate run alone.
///
/// Nothing is re-implemented: each (rule, probe) pair, and each journey step of a latency rule, is measured by
/// the rule's own ``AlertRule/verdict(for:missingFor:)`` and ``AlertRule/stepVerdicts(for:)`` and judged by
/// ``AlertRule/isBreaching(_:firing:)`` as a fresh alert would be; a no-data verdict (fewer samples than the
/// rule's minimum) is ``GateVerdict/tooFewSamples``. No-data rules (silence over time) have no meaning for a run
/// of a few seconds and are left out.
package enum GateJudge {
    /// The checks for `rules` on `snapshots`, rule by rule in rule order, probes in snapshot order, each probe
    /// followed by its journey steps.
    package static func checks(rules: [AlertRule], snapshots: [ProbeSnapshot]) -> [GateCheck] {
        var checks: [GateCheck] = []
        for rule in rules where rule.kind != .noData {
            for probe in snapshots where rule.applies(to: probe) {
                checks.append(check(rule, probe: probe, step: nil, verdict: rule.verdict(for: probe)))
                for (step, verdict) in rule.stepVerdicts(for: probe) {
                    checks.append(check(rule, probe: probe, step: step, verdict: verdict))
                }
            }
        }
        return checks
    }

    /// The verdict of one rule verdict as a fresh alert sees it.
    package static func verdict(_ verdict: RuleVerdict, rule: AlertRule) -> GateVerdict {
        switch verdict {
        case .noData: return .tooFewSamples
        case .measured(let values, _): return rule.isBreaching(values, firing: false) ? .broken : .ok
        }
    }

    /// `snapshot` with every window (its own and its steps') replaced by its longest one, relabelled to each of
    /// `lengths`: when the store keeps one window covering the whole gate run, every rule window then reads
    /// all of the run's samples and nothing older.
    package static func covering(_ snapshot: ProbeSnapshot, lengths: [Double]) -> ProbeSnapshot {
        var result = snapshot
        result.windows = widened(snapshot.windows, lengths: lengths)
        for index in result.steps.indices {
            result.steps[index].windows = widened(result.steps[index].windows, lengths: lengths)
        }
        return result
    }

    /// Every window length `rules` read, shortest first.
    package static func windowLengths(of rules: [AlertRule]) -> [Double] {
        Set(rules.flatMap(\.windows)).sorted()
    }

    private static func widened(_ windows: [WindowStats], lengths: [Double]) -> [WindowStats] {
        guard let all = windows.max(by: { $0.window < $1.window }) else { return windows }
        return lengths.map { length in
            var window = all
            window.window = length
            return window
        }
    }

    private static func check(_ rule: AlertRule, probe: ProbeSnapshot, step: String?, verdict: RuleVerdict)
        -> GateCheck
    {
        let stepSnapshot = step.flatMap { name in probe.steps.first { $0.name == name } }
        let window: (Double) -> WindowStats? = { seconds in
            if step != nil { return stepSnapshot?.window(seconds) }
            return probe.window(seconds)
        }
        let first = rule.windows.first.flatMap(window)
        var check = GateCheck(
            rule: rule.name,
            kind: rule.kind,
            severity: rule.severity.rawValue,
            probe: probe.probe,
            step: step,
            measure: "",
            value: nil,
            threshold: rule.threshold,
            comparison: rule.firesBelow ? "<" : ">",
            samples: first?.samples ?? 0,
            minSamples: max(rule.minSamples, 1),
            verdict: Self.verdict(verdict, rule: rule)
        )
        switch rule.kind {
        case .latency:
            let p99 = rule.quantile >= 0.99
            check.measure = p99 ? "p99" : "p95"
            check.value = p99 ? first?.p99 : first?.p95
            check.threshold = first?.threshold ?? stepSnapshot?.threshold ?? probe.config.latencyThreshold.inSeconds
        case .cacheHitRatio:
            check.measure = "cache hit ratio"
            check.value = first?.cacheHitRatio
            check.samples = first?.cacheLookups ?? 0
        case .errorRatio, .burnRate:
            check.measure = "error ratio"
            let shortest = rule.windows.min().flatMap(window)
            let longest = rule.windows.max().flatMap(window)
            check.value = shortest?.errorRatio
            check.samples = longest?.samples ?? 0
        case .noData:
            break
        }
        return check
    }
}

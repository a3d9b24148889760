import Config

/// One judged (rule, probe[, step]) pair of `slaprobe gate`: what was measured, against what, and the verdict.
package struct GateCheck: Sendable, Equatable {
    /// The rule's `alertname`.
    package var rule: String
    /// What the rule measures.
    package var kind: AlertRule.Kind
    /// The rule's `severity`.
    package var severity: String
    /// The probe.
    package var probe: String
    /// The journey step, for a per-step latency check; `nil` for the probe as a whole.
    package var step: String?
    /// What ``value`` is: `p95` or `p99` (seconds), `error ratio` or `cache hit ratio`.
    package var measure: String
    /// The measured value; `nil` when nothing could be measured.
    package var value: Double?
    /// The limit: the probe's (or step's) latency SLA in seconds for latency rules, the rule's ratio otherwise.
    package var threshold: Double
    /// `>` when the rule breaks above ``threshold``, `<` when below (cache hit ratio).
    package var comparison: String
    /// Samples the verdict is based on (cache lookups for cache rules).
    package var samples: Int
    /// Samples the rule needs before it judges.
    package var minSamples: Int
    /// The verdict.
    package var verdict: GateVerdict

    /// Whether the value and threshold are seconds (latency rules) rather than ratios.
    package var inSeconds: Bool { kind == .latency }

    /// The subject in messages: `entitlement`, or `purchase step checkout`.
    package var subject: String { step.map { "\(probe) step \($0)" } ?? probe }

    /// One line saying what was measured against what, e.g. `entitlement p95 0.152s > threshold 0.1s`, or for
    /// too few samples `entitlement p95: 2 samples, need 20`.
    package var message: String {
        guard verdict != .tooFewSamples, let value else {
            let what = kind == .cacheHitRatio ? "cache lookups" : "samples"
            return "\(subject) \(measure): \(samples) \(what), need \(minSamples)"
        }
        let relation: String
        switch verdict {
        case .broken: relation = comparison
        default: relation = comparison == ">" ? "<=" : ">="
        }
        return "\(subject) \(measure) \(Self.format(value, seconds: inSeconds)) \(relation) threshold "
            + Self.format(threshold, seconds: inSeconds)
    }

    /// A number as the reports print it: up to four significant digits, `s` appended for seconds.
    package static func format(_ value: Double, seconds: Bool) -> String {
        EvidenceFormat.number(value) + (seconds ? "s" : "")
    }
}

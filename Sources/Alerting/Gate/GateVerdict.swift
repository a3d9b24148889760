/// How one rule came out for one probe (or journey step) in `slaprobe gate`.
package enum GateVerdict: String, Sendable, Equatable, CaseIterable {
    /// The rule holds: measured, and not beyond its threshold.
    case ok
    /// The rule is broken: measured beyond its threshold, as the running evaluator would see it.
    case broken
    /// Too few samples (or cache lookups) to judge: fewer than the rule's minimum.
    case tooFewSamples = "too_few_samples"
}

import Config
import Exposition
import Probing

/// The label sets of one journey step's series (`probe=...,step=...`), rendered once at configuration like
/// ``ProbeLabelSets``.
package struct StepLabelSets: Sendable {
    /// The probe's labels plus `step="..."`.
    package let base: LabelSet
    /// `reason=...` added to ``base``, in `FailureReason.allCases` order.
    package let reasons: [LabelSet]
    /// `window=...,quantile="0.5"|"0.95"|"0.99"` added to ``base``, three per window length.
    package let quantiles: [[LabelSet]]

    /// Renders the label sets of step `name` of a probe whose labels are `probe`.
    package init(step name: String, probe: ProbeLabelSets) {
        let base = probe.base.adding("step", name)
        self.base = base
        reasons = FailureReason.allCases.map { base.adding("reason", $0.rawValue) }
        quantiles = probe.windowLengths.map { length in
            let window = base.adding("window", formatDuration(.milliseconds(Int64((length * 1000).rounded()))))
            return ["0.5", "0.95", "0.99"].map { window.adding("quantile", $0) }
        }
    }
}

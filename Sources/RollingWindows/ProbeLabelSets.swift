import Config
import Exposition
import HTTPClient
import Probing

/// Every label set a probe's series use, rendered once when the probe is configured and reused by every scrape:
/// a thousand probes would otherwise build some 27,000 label sets per scrape.
package struct ProbeLabelSets: Sendable {
    /// `probe="..."` plus the probe's static labels.
    package let base: LabelSet
    /// `phase=...`, in ``PhaseTimings/phaseNames`` order.
    package let phases: [LabelSet]
    /// `result="success"` and `result="failure"`.
    package let success: LabelSet
    /// See ``success``.
    package let failure: LabelSet
    /// `reason=...`, in `FailureReason.allCases` order.
    package let reasons: [LabelSet]
    /// `result="hit"` and `result="miss"`.
    package let hit: LabelSet
    /// See ``hit``.
    package let miss: LabelSet
    /// The windows these were rendered for, seconds.
    package let windowLengths: [Double]
    /// `window="5m"`, one per window length.
    package let windows: [LabelSet]
    /// `window=...,quantile="0.5"|"0.95"|"0.99"`, three per window length.
    package let quantiles: [[LabelSet]]
    /// `window=...,cache="hit"|"miss",quantile=...`, six per window length (hit p50, p95, p99, then miss); empty
    /// for a probe that observes no cache.
    package let cacheQuantiles: [[LabelSet]]

    /// Renders the label sets of `probe` for `windowLengths` (seconds).
    package init(probe: ProbeConfig, windowLengths: [Double]) {
        let base = LabelSet([("probe", probe.name)] + probe.labels.map { ($0.name, $0.value) })
        self.base = base
        phases = PhaseTimings.phaseNames.map { base.adding("phase", $0) }
        success = base.adding("result", "success")
        failure = base.adding("result", "failure")
        reasons = FailureReason.allCases.map { base.adding("reason", $0.rawValue) }
        hit = base.adding("result", "hit")
        miss = base.adding("result", "miss")
        self.windowLengths = windowLengths
        let windows = windowLengths.map {
            base.adding("window", formatDuration(.milliseconds(Int64(($0 * 1000).rounded()))))
        }
        self.windows = windows
        quantiles = windows.map { window in ["0.5", "0.95", "0.99"].map { window.adding("quantile", $0) } }
        cacheQuantiles = probe.cache == .none ? [] : windows.map(Self.cacheQuantiles)
    }

    /// The six `cache`, `quantile` label sets of `window` (see ``cacheQuantiles``).
    package static func cacheQuantiles(_ window: LabelSet) -> [LabelSet] {
        ["hit", "miss"].flatMap { cache in
            ["0.5", "0.95", "0.99"].map { window.adding("cache", cache).adding("quantile", $0) }
        }
    }

    /// The cache quantile label sets for the probe's `index`th window, `length` seconds long.
    package func cacheQuantiles(at index: Int, length: Double) -> [LabelSet] {
        if index < cacheQuantiles.count, windowLengths[index] == length { return cacheQuantiles[index] }
        return Self.cacheQuantiles(window(at: index, length: length).window)
    }

    /// The `window` label set for the probe's `index`th window, `length` seconds long: the pre-rendered one,
    /// without a search, when it is the window these were rendered for.
    package func window(at index: Int, length: Double) -> (window: LabelSet, quantiles: [LabelSet]) {
        if index < windowLengths.count, windowLengths[index] == length { return (windows[index], quantiles[index]) }
        return window(length)
    }

    /// The `window` label set for a window of `length` seconds (rendered on the spot if it is not one of ours).
    package func window(_ length: Double) -> (window: LabelSet, quantiles: [LabelSet]) {
        if let index = windowLengths.firstIndex(of: length) { return (windows[index], quantiles[index]) }
        let window = base.adding("window", formatDuration(.milliseconds(Int64((length * 1000).rounded()))))
        return (window, ["0.5", "0.95", "0.99"].map { window.adding("quantile", $0) })
    }
}

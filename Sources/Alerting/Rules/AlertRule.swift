import RollingWindows

/// One alerting rule: what it measures, when it fires and how its alerts are labelled and described.
///
/// A rule is evaluated once per probe it applies to; each (rule, probe) pair is one alert with the labels
/// `alertname`, `probe`, `severity`, the configured static labels and ``labels``.
///
/// What ``threshold`` means depends on ``kind``:
/// - ``Kind/latency``: the largest allowed fraction of samples slower than the probe's latency threshold. The
///   default 0.05 makes the rule "nearest-rank p95 > probe threshold", which is exactly "more than 5 % of samples
///   slower than the threshold"; the rule decides on those counters and shows the exact p95 as evidence.
/// - ``Kind/cacheHitRatio``: the smallest allowed ratio hits / (hits + misses); the rule fires *below* it.
/// - ``Kind/errorRatio`` and ``Kind/burnRate``: the largest allowed ratio failures / samples, on every one of
///   ``windows`` at once (multi-window alerting as in the SRE workbook).
/// - ``Kind/noData``: the longest allowed time, in seconds, without a probe result.
///
/// Annotation templates may use `{name}` placeholders, replaced by the alert's labels (`{probe}`, `{alertname}`,
/// `{severity}`, …) and its evidence: `{value}` (p95 latency in seconds for latency rules, the ratio of the
/// shortest window for ratio rules, seconds without data for no-data rules), `{threshold}`, `{window}`,
/// `{samples}`, `{ratio}`, `{p50}`, `{p95}`, `{p99}`, `{request_ids}`. Unknown placeholders are left as they are.
package struct AlertRule: Sendable, Equatable {
    /// What a rule measures.
    package enum Kind: String, Sendable, Codable, CaseIterable {
        /// Latency quantile above the probe's threshold, judged by the over-threshold counters.
        case latency
        /// Cache hit ratio below ``AlertRule/threshold``.
        case cacheHitRatio = "cache_hit_ratio"
        /// Error ratio above ``AlertRule/threshold`` on every window.
        case errorRatio = "error_ratio"
        /// No probe result for longer than ``AlertRule/threshold`` seconds, or the probe missing.
        case noData = "no_data"
        /// Error-budget burn: error ratio above burn factor × (1 − objective) on every window.
        case burnRate = "burn_rate"
    }

    /// The `alertname` label.
    package var name: String
    /// What the rule measures.
    package var kind: Kind
    /// The `severity` label.
    package var severity: AlertSeverity
    /// Probe names the rule applies to; empty means every probe.
    package var probes: [String]
    /// Probe kinds the rule applies to; empty means every kind. A cache-hit-ratio rule also applies to any probe
    /// that reports cache lookups.
    package var probeKinds: [String]
    /// Window lengths in seconds. Ratio rules need every window beyond the limit; ``minSamples`` is required of
    /// the longest window, shorter ones need at least one sample.
    package var windows: [Double]
    /// The limit; see the type's documentation for its meaning per ``kind``.
    package var threshold: Double
    /// Hysteresis: once firing, the alert stays active until the value is back past this limit rather than
    /// ``threshold`` (below it for "above" rules, above it for cache hit ratio).
    package var clearThreshold: Double?
    /// Below this many samples (cache lookups for cache rules) the rule neither fires nor resolves.
    package var minSamples: Int
    /// How long the condition must hold before a pending alert fires (Prometheus `for`).
    package var forDuration: Double
    /// How long a firing alert keeps firing after its condition clears (Prometheus `keep_firing_for`).
    package var keepFiringFor: Double
    /// Extra labels on every alert of this rule.
    package var labels: [String: String]
    /// Annotation templates by name: at least `summary`, `description` and `runbook_url`.
    package var annotations: [String: String]
    /// For burn-rate rules, the availability objective (0.999 for 99.9 %).
    package var objective: Double?

    /// Creates a rule.
    package init(
        name: String,
        kind: Kind,
        severity: AlertSeverity,
        probes: [String] = [],
        probeKinds: [String] = [],
        windows: [Double],
        threshold: Double,
        clearThreshold: Double? = nil,
        minSamples: Int = 0,
        forDuration: Double = 0,
        keepFiringFor: Double = 0,
        labels: [String: String] = [:],
        annotations: [String: String] = [:],
        objective: Double? = nil
    ) {
        self.name = name
        self.kind = kind
        self.severity = severity
        self.probes = probes
        self.probeKinds = probeKinds
        self.windows = windows
        self.threshold = threshold
        self.clearThreshold = clearThreshold
        self.minSamples = minSamples
        self.forDuration = forDuration
        self.keepFiringFor = keepFiringFor
        self.labels = labels
        self.annotations = annotations
        self.objective = objective
    }

    /// True when the rule fires on values *below* its threshold (cache hit ratio) rather than above.
    package var firesBelow: Bool { kind == .cacheHitRatio }

    /// For latency rules, the quantile the rule is about (0.95 for the default threshold 0.05).
    package var quantile: Double { ((1 - threshold) * 1e6).rounded() / 1e6 }

    /// Whether the rule is evaluated for this probe.
    package func applies(to probe: ProbeSnapshot) -> Bool {
        if !probes.isEmpty && !probes.contains(probe.probe) { return false }
        if probeKinds.isEmpty || probeKinds.contains(probe.kind.rawValue) { return true }
        return kind == .cacheHitRatio && probe.windows.contains { $0.cacheLookups > 0 }
    }

    /// Whether a set of measured values (one per window) is beyond the limit. Once `firing`, the clear threshold
    /// applies instead of the threshold, when one is set.
    package func isBreaching(_ values: [Double], firing: Bool) -> Bool {
        guard !values.isEmpty else { return false }
        let limit = firing ? (clearThreshold ?? threshold) : threshold
        return values.allSatisfy { firesBelow ? $0 < limit : $0 > limit }
    }

    /// Problems with this rule, each naming it; empty when valid.
    package func validate() -> [String] {
        var problems: [String] = []
        let prefix = "rule \(name.isEmpty ? "<unnamed>" : name) (\(kind.rawValue))"
        if name.isEmpty || !LabelName.isValidValue(name) { problems.append("\(prefix): alert name must not be empty") }
        if kind != .noData && windows.isEmpty { problems.append("\(prefix): needs at least one window") }
        if windows.contains(where: { $0 <= 0 }) { problems.append("\(prefix): windows must be positive") }
        if minSamples < 0 { problems.append("\(prefix): min samples must not be negative") }
        if forDuration < 0 { problems.append("\(prefix): for must not be negative") }
        if keepFiringFor < 0 { problems.append("\(prefix): keep_firing_for must not be negative") }
        switch kind {
        case .latency, .cacheHitRatio, .errorRatio, .burnRate:
            if !(threshold > 0 && threshold < 1) { problems.append("\(prefix): threshold must be between 0 and 1") }
        case .noData:
            if !(threshold > 0) { problems.append("\(prefix): no-data duration must be positive") }
        }
        if let clearThreshold {
            if firesBelow ? clearThreshold < threshold : clearThreshold > threshold {
                problems.append(
                    "\(prefix): clear threshold \(clearThreshold) must lie on the healthy side of threshold \(threshold)"
                )
            }
        }
        if kind == .burnRate, let objective, !(objective > 0 && objective < 1) {
            problems.append("\(prefix): objective must be between 0 and 1")
        }
        for key in labels.keys where !LabelName.isValid(key) {
            problems.append("\(prefix): label name \"\(key)\" is not a valid Prometheus label name")
        }
        for key in labels.keys where ["alertname", "probe", "severity"].contains(key) {
            problems.append("\(prefix): label \"\(key)\" is set by the evaluator and cannot be overridden")
        }
        return problems
    }
}

import Config
import RollingWindows

/// How a configured ``AlertRule`` is applied: which probes it covers and when values breach it.
extension AlertRule {
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
}

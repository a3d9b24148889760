import Config
import RollingWindows

extension AlertRule {
    /// The most request IDs put into one `request_ids` annotation.
    static let maxRequestIDs = 5

    /// Measures this rule on one probe's snapshot. `missingFor` is how long the probe has been absent or without
    /// any result, used by no-data rules when ``ProbeSnapshot/secondsSinceLastResult`` is `nil`.
    package func verdict(for probe: ProbeSnapshot, missingFor: Double? = nil) -> RuleVerdict {
        switch kind {
        case .noData:
            let age = probe.secondsSinceLastResult ?? missingFor ?? 0
            var evidence = [
                "value": EvidenceFormat.number(age),
                "threshold": EvidenceFormat.duration(threshold),
                "window": EvidenceFormat.duration(threshold),
            ]
            evidence["last_sample"] =
                probe.secondsSinceLastResult.map { EvidenceFormat.duration($0) + " ago" } ?? "never"
            return .measured(values: [age], evidence: evidence)
        case .latency:
            return latencyVerdict(probe)
        case .cacheHitRatio:
            return cacheVerdict(probe)
        case .errorRatio, .burnRate:
            return errorVerdict(probe)
        }
    }

    private func latencyVerdict(_ probe: ProbeSnapshot) -> RuleVerdict {
        latencyVerdict(windows.first.flatMap(probe.window))
    }

    /// The latency verdict on one window of a probe or of a journey step (judged against that window's threshold).
    func latencyVerdict(_ window: WindowStats?) -> RuleVerdict {
        guard let seconds = windows.first, let window else {
            return .noData(reason: "window \(EvidenceFormat.duration(windows.first ?? 0)) not available")
        }
        guard window.samples >= max(minSamples, 1) else {
            return .noData(
                reason: "\(window.samples) samples in \(EvidenceFormat.duration(seconds)), need \(minSamples)"
            )
        }
        let slowRatio = Double(window.overThreshold) / Double(window.samples)
        let quantileValue = quantile >= 0.99 ? window.p99 : window.p95
        var evidence: [String: String] = [
            "window": EvidenceFormat.duration(seconds),
            "samples": String(window.samples),
            "threshold": EvidenceFormat.number(window.threshold),
            "slow_ratio": EvidenceFormat.number(slowRatio),
            "value": quantileValue.map(EvidenceFormat.number) ?? "",
        ]
        evidence["p50"] = window.p50.map(EvidenceFormat.number)
        evidence["p95"] = window.p95.map(EvidenceFormat.number)
        evidence["p99"] = window.p99.map(EvidenceFormat.number)
        addCacheLatency(of: window, to: &evidence)
        // Only requests that were actually slower than the SLA are evidence.
        let slow = window.slowest.filter { $0.latency > window.threshold }.prefix(Self.maxRequestIDs)
        Self.addRequests(slow, to: &evidence)
        return .measured(values: [slowRatio], evidence: evidence)
    }

    private func cacheVerdict(_ probe: ProbeSnapshot) -> RuleVerdict {
        guard let seconds = windows.first, let window = probe.window(seconds) else {
            return .noData(reason: "window \(EvidenceFormat.duration(windows.first ?? 0)) not available")
        }
        guard window.cacheLookups >= max(minSamples, 1) else {
            return .noData(
                reason:
                    "\(window.cacheLookups) cache lookups in \(EvidenceFormat.duration(seconds)), need \(minSamples)"
            )
        }
        let ratio = Double(window.cacheHits) / Double(window.cacheLookups)
        var evidence: [String: String] = [
            "window": EvidenceFormat.duration(seconds),
            "samples": String(window.cacheLookups),
            "ratio": EvidenceFormat.number(ratio),
            "value": EvidenceFormat.number(ratio),
            "threshold": EvidenceFormat.number(threshold),
            "cache_hits": String(window.cacheHits),
            "cache_misses": String(window.cacheMisses),
        ]
        addCacheLatency(of: window, to: &evidence)
        return .measured(values: [ratio], evidence: evidence)
    }

    /// `hit_p95` and `miss_p95`: the p95 over the window's cache hits and over its misses, each when it has any.
    private func addCacheLatency(of window: WindowStats, to evidence: inout [String: String]) {
        evidence["hit_p95"] = window.hitLatency.map { EvidenceFormat.number($0.p95) }
        evidence["miss_p95"] = window.missLatency.map { EvidenceFormat.number($0.p95) }
    }

    private func errorVerdict(_ probe: ProbeSnapshot) -> RuleVerdict {
        guard !windows.isEmpty else { return .noData(reason: "rule has no window") }
        let longest = windows.max() ?? 0
        var found: [WindowStats] = []
        for seconds in windows {
            guard let window = probe.window(seconds) else {
                return .noData(reason: "window \(EvidenceFormat.duration(seconds)) not available")
            }
            let needed = seconds == longest ? max(minSamples, 1) : 1
            guard window.samples >= needed else {
                return .noData(
                    reason: "\(window.samples) samples in \(EvidenceFormat.duration(seconds)), need \(needed)"
                )
            }
            found.append(window)
        }
        let ratios = found.map { Double($0.failures) / Double($0.samples) }
        var evidence: [String: String] = [
            "window": found.map { EvidenceFormat.duration($0.window) }.joined(separator: ","),
            "samples": found.map { String($0.samples) }.joined(separator: ","),
            "ratio": ratios.map(EvidenceFormat.number).joined(separator: ","),
            "value": EvidenceFormat.number(ratios[found.indices.min { found[$0].window < found[$1].window }!]),
            "threshold": EvidenceFormat.number(threshold),
        ]
        if let objective { evidence["objective"] = EvidenceFormat.number(objective) }
        // The shortest window has the most recent failures.
        let shortest = found.min { $0.window < $1.window }!
        let failures = shortest.recentFailures.prefix(Self.maxRequestIDs)
        if !failures.isEmpty {
            Self.addRequests(failures, to: &evidence)
            evidence["failure_reasons"] = failures.map { $0.reason ?? "other" }.joined(separator: ",")
        }
        if !probe.steps.isEmpty { addJourneyFailure(of: probe, to: &evidence) }
        return .measured(values: ratios, evidence: evidence)
    }

    /// `request_ids` of `requests`, and `trace_ids`, their runs' trace ids in the same order (`-` for a request
    /// without one), when any has one.
    static func addRequests(_ requests: ArraySlice<Exemplar>, to evidence: inout [String: String]) {
        guard !requests.isEmpty else { return }
        evidence["request_ids"] = requests.map(\.requestID).joined(separator: ",")
        if requests.contains(where: { $0.traceID != nil }) {
            evidence["trace_ids"] = requests.map { $0.traceID ?? "-" }.joined(separator: ",")
        }
    }
}

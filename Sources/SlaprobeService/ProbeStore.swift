import Config
import Exposition
import HTTPClient
import Locking
import Probing
import RollingWindows

/// Everything slaprobe knows about one probe at a moment: counters, histograms, window statistics and the
/// latest results. What `/metrics`, `/api/v1/probes`, the status page and the evaluator read.
package struct ProbeSnapshot: Sendable {
    /// The configuration and rendered labels, shared by reference: a scrape copies a thousand snapshots, and a
    /// `ProbeConfig` copied by value is some forty reference-count operations.
    package var definition: ProbeDefinition
    /// The probe's configuration.
    package var config: ProbeConfig { definition.config }
    /// The probe's labels, pre-rendered (`probe="..."` plus configured static labels).
    package var labels: LabelSet { definition.labelSets.base }
    /// Every label set of the probe's series, rendered once at configuration.
    package var labelSets: ProbeLabelSets { definition.labelSets }
    /// `slaprobe_probe_duration_seconds`.
    package var duration: LatencyHistogram
    /// `slaprobe_probe_phase_duration_seconds`, in ``PhaseTimings/phaseNames`` order.
    package var phases: [LatencyHistogram]
    /// Successful runs.
    package var successes: UInt64
    /// Failed runs.
    package var failures: UInt64
    /// Failed runs by reason, in `FailureReason.allCases` order (see ``failures(_:)``).
    package var failuresByReason: [UInt64]
    /// Cache hits seen (from the cache header, or the target's own counters).
    package var cacheHits: UInt64
    /// Cache misses seen.
    package var cacheMisses: UInt64
    /// Ticks skipped because the previous run was still going.
    package var skipped: UInt64
    /// Statistics of each rolling window, shortest first.
    package var windows: [WindowStats]
    /// The most recent results, newest first.
    package var recent: [ProbeResult]
    /// Earliest certificate expiry seen on the last `https` run, Unix seconds.
    package var certificateExpiry: Double?
    /// Monotonic time of the last result, seconds.
    package var lastMonotonic: Double?

    /// The latest result, if the probe has run.
    package var last: ProbeResult? { recent.first }

    /// Failed runs with `reason`.
    package func failures(_ reason: FailureReason) -> UInt64 {
        failuresByReason[FailureReason.index(of: reason)]
    }
}

/// A probe's configuration with the label sets rendered from it, immutable and shared by every snapshot.
package final class ProbeDefinition: Sendable {
    /// The probe's configuration.
    package let config: ProbeConfig
    /// Every label set of the probe's series.
    package let labelSets: ProbeLabelSets
    /// Whether the probe's URL is plain `http:` (no TLS phase).
    package let plainHTTP: Bool

    /// Renders the label sets of `config` for `windowLengths` (seconds).
    package init(_ config: ProbeConfig, windowLengths: [Double]) {
        self.config = config
        labelSets = ProbeLabelSets(probe: config, windowLengths: windowLengths)
        plainHTTP = !config.url.lowercased().hasPrefix("https:")
    }
}

extension FailureReason {
    /// Position of `reason` in `allCases`.
    static func index(of reason: FailureReason) -> Int {
        allCases.firstIndex(of: reason)!
    }
}

/// Collects probe results into per-probe counters, histograms and rolling windows.
///
/// Each probe has its own lock, so recording a result on the transfer-loop thread never waits for a scrape
/// rendering a thousand other probes.
package final class ProbeStore: Sendable {
    /// The mutable state of one probe: its snapshot fields plus the rolling windows they are computed from.
    private struct Record {
        var snapshot: ProbeSnapshot
        var windows: WindowSet
    }

    private final class Entry: Sendable {
        let state: Locked<Record>
        init(_ record: Record) { state = Locked(record) }
    }

    /// Results kept per probe for `/api/v1/probes` and the status page.
    package static let recentLimit = 20

    private let entries = Locked<(order: [String], byName: [String: Entry])>(([], [:]))
    private let lag = Locked(LatencyHistogram(bounds: LatencyHistogram.lagBounds))

    /// Creates an empty store.
    package init() {}

    /// Sets the probes to track (at start and on reload). A probe that keeps its name keeps its counters and
    /// windows; one whose threshold or windows changed gets fresh windows and duration buckets; removed probes
    /// disappear.
    package func configure(_ probes: [ProbeConfig], windows: [Double]) {
        let lengths = windows.sorted()
        entries.withLock { current in
            var byName: [String: Entry] = [:]
            for probe in probes {
                let threshold = probe.latencyThreshold.inSeconds
                if let existing = current.byName[probe.name] {
                    existing.state.withLock { record in
                        if record.windows.lengths != lengths || record.windows.threshold != threshold {
                            record.windows = WindowSet(lengths: lengths, threshold: threshold)
                            record.snapshot.duration = Self.durationHistogram(threshold)
                        }
                        record.snapshot.definition = ProbeDefinition(probe, windowLengths: lengths)
                    }
                    byName[probe.name] = existing
                } else {
                    let record = Record(
                        snapshot: Self.emptySnapshot(probe, windowLengths: lengths),
                        windows: WindowSet(lengths: lengths, threshold: threshold)
                    )
                    byName[probe.name] = Entry(record)
                }
            }
            current = (probes.map(\.name), byName)
        }
    }

    /// Records one result.
    package func record(_ result: ProbeResult) {
        guard let entry = entries.withLock({ $0.byName[result.probe] }) else { return }
        entry.state.withLock { record in
            record.windows.record(result.sample, at: result.monotonicStart)
            if let lookups = result.cacheLookups {
                record.windows.addCacheLookups(hits: lookups.hits, misses: lookups.misses, at: result.monotonicStart)
            }
            record.snapshot.add(result)
        }
    }

    /// Counts a tick skipped because the previous run of `probe` was still going.
    package func recordSkipped(_ probe: String) {
        entries.withLock { $0.byName[probe] }?.state.withLock { $0.snapshot.skipped += 1 }
    }

    /// Records one scheduler lag observation, seconds.
    package func recordLag(_ seconds: Double) {
        lag.withLock { $0.observe(seconds) }
    }

    /// `slaprobe_scheduler_lag_seconds`.
    package var schedulerLag: LatencyHistogram { lag.withLock { $0 } }

    /// Snapshots of every probe in configuration order, windows evaluated at monotonic time `now` (seconds).
    /// With `exemplars` false the windows carry no evidence (slowest requests, recent failures): `/metrics`
    /// does not show it, and building it is a third of a window's cost.
    package func snapshots(at now: Double, exemplars: Bool = true) -> [ProbeSnapshot] {
        let entries = entries.withLock { state in state.order.compactMap { state.byName[$0] } }
        return entries.map { entry in
            entry.state.withLock { record in
                var snapshot = record.snapshot
                snapshot.windows = record.windows.stats(at: now, exemplars: exemplars)
                return snapshot
            }
        }
    }

    /// Names of probes that have not produced a result yet, in configuration order.
    package var probesWithoutResult: [String] {
        let (order, byName) = entries.withLock { ($0.order, $0.byName) }
        return order.filter { byName[$0]?.state.withLock { $0.snapshot.recent.isEmpty } ?? false }
    }

    static func emptySnapshot(_ probe: ProbeConfig, windowLengths: [Double]) -> ProbeSnapshot {
        ProbeSnapshot(
            definition: ProbeDefinition(probe, windowLengths: windowLengths),
            duration: durationHistogram(probe.latencyThreshold.inSeconds),
            phases: PhaseTimings.phaseNames.map { _ in LatencyHistogram(bounds: LatencyHistogram.phaseBounds) },
            successes: 0,
            failures: 0,
            failuresByReason: Array(repeating: 0, count: FailureReason.allCases.count),
            cacheHits: 0,
            cacheMisses: 0,
            skipped: 0,
            windows: [],
            recent: [],
            certificateExpiry: nil,
            lastMonotonic: nil
        )
    }

    private static func durationHistogram(_ threshold: Double) -> LatencyHistogram {
        LatencyHistogram(bounds: LatencyHistogram.durationBounds, extraBounds: [threshold])
    }

}

extension ProbeSnapshot {
    /// Adds one result to the counters, histograms and recent list.
    mutating func add(_ result: ProbeResult) {
        duration.observe(result.latency)
        let tlsIndex = PhaseTimings.phaseNames.firstIndex(of: "tls")
        for (index, phase) in result.timings.named.enumerated() {
            // A plain-HTTP run has no TLS phase; recording 0 would drag the TLS histogram down.
            if index == tlsIndex && definition.plainHTTP { continue }
            phases[index].observe(phase.seconds)
        }
        if let failure = result.failure {
            failures += 1
            failuresByReason[FailureReason.index(of: failure)] += 1
        } else {
            successes += 1
        }
        switch result.cache {
        case .hit: cacheHits += 1
        case .miss: cacheMisses += 1
        case .unknown: break
        }
        if let lookups = result.cacheLookups {
            cacheHits += UInt64(max(0, lookups.hits))
            cacheMisses += UInt64(max(0, lookups.misses))
        }
        if let expiry = result.certificateExpiry { certificateExpiry = expiry }
        lastMonotonic = result.monotonicStart + result.latency
        recent.insert(result, at: 0)
        if recent.count > ProbeStore.recentLimit { recent.removeLast() }
    }
}

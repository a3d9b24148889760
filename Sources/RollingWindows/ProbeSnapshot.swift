import Config
import Exposition
import HTTPClient
import Probing

/// Everything slaprobe knows about one probe at a moment: counters, histograms, window statistics and the
/// latest results. The one shape `/metrics`, `/api/v1/probes`, the status page and the alert evaluator read;
/// ``ProbeStore/snapshots(at:exemplars:)`` takes them.
package struct ProbeSnapshot: Sendable {
    /// The configuration and rendered labels, shared by reference: a scrape copies a thousand snapshots, and a
    /// `ProbeConfig` copied by value is some forty reference-count operations.
    package var definition: ProbeDefinition
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
    /// The most recent results, newest first (at most ``ProbeStore/recentLimit``).
    package var recent: RecentResults
    /// Start, latency and outcome of more of the latest runs than ``recent`` keeps, compactly.
    package var history: RunHistory
    /// Earliest certificate expiry seen on the last `https` run, Unix seconds.
    package var certificateExpiry: Double?
    /// Monotonic time of the end of the last result, seconds.
    package var lastMonotonic: Double?
    /// Seconds from the end of the last result to the instant the snapshot was taken; `nil` if the probe has
    /// not produced a result.
    package var secondsSinceLastResult: Double?
    /// A journey's steps in configuration order; empty for every other probe.
    package var steps: [StepSnapshot]

    /// The probe's configuration.
    package var config: ProbeConfig { definition.config }
    /// The probe's configured name.
    package var probe: String { definition.config.name }
    /// What the probe exercises.
    package var kind: ProbeKind { definition.config.kind }
    /// The probe's labels, pre-rendered (`probe="..."` plus configured static labels).
    package var labels: LabelSet { definition.labelSets.base }
    /// Every label set of the probe's series, rendered once at configuration.
    package var labelSets: ProbeLabelSets { definition.labelSets }
    /// The latest result, if the probe has run.
    package var last: ProbeResult? { recent.first }

    /// Creates a snapshot with no runs counted.
    package init(definition: ProbeDefinition, windows: [WindowStats] = [], secondsSinceLastResult: Double? = nil) {
        self.definition = definition
        duration = LatencyHistogram(
            bounds: LatencyHistogram.durationBounds,
            extraBounds: [definition.config.latencyThreshold.inSeconds]
        )
        phases = PhaseTimings.phaseNames.map { _ in LatencyHistogram(bounds: LatencyHistogram.phaseBounds) }
        successes = 0
        failures = 0
        failuresByReason = Array(repeating: 0, count: FailureReason.allCases.count)
        cacheHits = 0
        cacheMisses = 0
        skipped = 0
        self.windows = windows
        recent = RecentResults(limit: ProbeStore.recentLimit)
        history = RunHistory()
        certificateExpiry = nil
        lastMonotonic = nil
        self.secondsSinceLastResult = secondsSinceLastResult
        steps = (definition.config.journey?.steps ?? []).map { StepSnapshot($0, probe: definition.labelSets) }
    }

    /// Creates a snapshot from plain numbers: a probe named `probe` of `kind`, run every `interval`, whose last
    /// result is `secondsSinceLastResult` old, with these `windows`. For evaluating rules without a store.
    package init(
        probe: String,
        kind: ProbeKind = .http,
        interval: Duration = .zero,
        secondsSinceLastResult: Double?,
        windows: [WindowStats] = []
    ) {
        let config = ProbeConfig(name: probe, kind: kind, url: "http://localhost/", interval: interval)
        self.init(
            definition: ProbeDefinition(config, windowLengths: windows.map(\.window)),
            windows: windows,
            secondsSinceLastResult: secondsSinceLastResult
        )
    }

    /// Failed runs with `reason`.
    package func failures(_ reason: FailureReason) -> UInt64 {
        failuresByReason[FailureReason.index(of: reason)]
    }

    /// The window of this length (to within half a second), if the store keeps it.
    package func window(_ seconds: Double) -> WindowStats? {
        windows.first { abs($0.window - seconds) < 0.5 }
    }
}

extension FailureReason {
    /// Position of `reason` in `allCases`.
    static func index(of reason: FailureReason) -> Int {
        allCases.firstIndex(of: reason)!
    }
}

import Config
import Probing

/// What slaprobe knows about one step of a journey: its duration histogram, failures by reason and rolling
/// windows. Part of ``ProbeSnapshot/steps``; probes without steps have none, so they pay nothing for them.
package struct StepSnapshot: Sendable {
    /// The step name (the `step` label).
    package var name: String
    /// The step's p95 latency SLA in seconds, when it has one.
    package var threshold: Double?
    /// `slaprobe_probe_step_duration_seconds`, with a bucket at ``threshold``.
    package var duration: LatencyHistogram
    /// Failed runs of the step by reason, in `FailureReason.allCases` order.
    package var failuresByReason: [UInt64]
    /// Statistics of each rolling window of the step, shortest first (judged against ``threshold``).
    package var windows: [WindowStats]
    /// The step's rendered label sets.
    package var labelSets: StepLabelSets

    /// Creates an empty snapshot of `step`, whose probe has these label sets.
    package init(_ step: JourneyStep, probe: ProbeLabelSets) {
        name = step.name
        threshold = step.latencyThreshold?.inSeconds
        duration = LatencyHistogram(bounds: LatencyHistogram.durationBounds, extraBounds: threshold.map { [$0] } ?? [])
        failuresByReason = Array(repeating: 0, count: FailureReason.allCases.count)
        windows = []
        labelSets = StepLabelSets(step: step.name, probe: probe)
    }

    /// Failed runs of the step with `reason`.
    package func failures(_ reason: FailureReason) -> UInt64 {
        failuresByReason[FailureReason.index(of: reason)]
    }

    /// The window of this length (to within half a second), if the store keeps it.
    package func window(_ seconds: Double) -> WindowStats? {
        windows.first { abs($0.window - seconds) < 0.5 }
    }

    /// The threshold the step's windows judge against: its SLA, or none (`+Inf`).
    package static func windowThreshold(_ step: JourneyStep) -> Double {
        step.latencyThreshold?.inSeconds ?? .infinity
    }
}

import Exposition
import RollingWindows

extension MetricsPage {
    /// The per-step families of journeys. Written only when some probe has steps: a page of plain probes has
    /// not even their headers.
    static func stepParts(_ rows: [Row]) -> [PagePart] {
        let journeys = rows.filter { !$0.s.steps.isEmpty }
        guard !journeys.isEmpty else { return [] }
        let duration = PagePart(rows: journeys) { w in
            w.family(
                "slaprobe_probe_step_duration_seconds",
                type: .histogram,
                help: "Duration of each step of journey runs (a polled step until its assertions held).",
                unit: "seconds"
            )
        } row: { w, row in
            for step in row.s.steps {
                w.histogram(
                    "slaprobe_probe_step_duration_seconds",
                    step.labelSets.base,
                    upperBounds: step.duration.upperBounds,
                    cumulativeCounts: step.duration.cumulativeCounts,
                    sum: step.duration.sum,
                    count: step.duration.count,
                    exemplars: step.duration.exemplars
                )
            }
        }

        let threshold = PagePart(rows: journeys) { w in
            w.family(
                "slaprobe_probe_step_latency_threshold_seconds",
                type: .gauge,
                help: "The p95 latency SLA of each journey step that has one.",
                unit: "seconds"
            )
        } row: { w, row in
            for step in row.s.steps {
                if let threshold = step.threshold {
                    w.gauge("slaprobe_probe_step_latency_threshold_seconds", step.labelSets.base, threshold)
                }
            }
        }

        let failures = PagePart(rows: journeys) { w in
            w.family("slaprobe_probe_step_failures", type: .counter, help: "Failed steps of journey runs by reason.")
        } row: { w, row in
            for step in row.s.steps {
                for (index, count) in step.failuresByReason.enumerated() {
                    w.counter("slaprobe_probe_step_failures", step.labelSets.reasons[index], count: count)
                }
            }
        }

        // A summary for the same reason as slaprobe_window_latency_seconds.
        let quantiles = PagePart(rows: journeys) { w in
            w.family(
                "slaprobe_window_step_latency_seconds",
                type: .summary,
                help: "Exact nearest-rank latency quantile of each journey step over the rolling window.",
                unit: "seconds"
            )
        } row: { w, row in
            for step in row.s.steps {
                for (index, stats) in step.windows.enumerated() where index < step.labelSets.quantiles.count {
                    let quantiles = step.labelSets.quantiles[index]
                    if let p50 = stats.p50 { w.quantile("slaprobe_window_step_latency_seconds", quantiles[0], p50) }
                    if let p95 = stats.p95 { w.quantile("slaprobe_window_step_latency_seconds", quantiles[1], p95) }
                    if let p99 = stats.p99 { w.quantile("slaprobe_window_step_latency_seconds", quantiles[2], p99) }
                }
            }
        }
        return [duration, threshold, failures, quantiles]
    }
}

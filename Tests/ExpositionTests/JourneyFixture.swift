import Exposition

/// The per-step families of a journey, written as `/metrics` writes them: a step histogram with a bucket at
/// the step's threshold, step failures by reason, and exact window quantiles typed as a summary.
enum JourneyFixture {
    static func render(_ format: ExpositionFormat) -> String {
        var writer = ExpositionWriter(format: format)
        let probe = LabelSet([("probe", "purchase")])
        let steps = ["checkout", "webhook", "entitled", "revoke"].map { probe.adding("step", $0) }
        writer.family(
            "slaprobe_probe_step_duration_seconds",
            type: .histogram,
            help: "Duration of each step of journey runs.",
            unit: "seconds"
        )
        for step in steps {
            writer.histogram(
                "slaprobe_probe_step_duration_seconds",
                step,
                upperBounds: [0.1, 0.35, 1, 2.5],
                cumulativeCounts: [3, 8, 9, 10],
                sum: 3.25,
                count: 10
            )
        }
        writer.family("slaprobe_probe_step_failures", type: .counter, help: "Failed steps of journey runs by reason.")
        for step in steps {
            for reason in ["timeout", "http_status"] {
                writer.counter("slaprobe_probe_step_failures", step.adding("reason", reason), count: 1)
            }
        }
        writer.family(
            "slaprobe_window_step_latency_seconds",
            type: .summary,
            help: "Exact nearest-rank latency quantile of each journey step over the rolling window.",
            unit: "seconds"
        )
        for step in steps {
            let window = step.adding("window", "5m")
            for (quantile, value) in [("0.5", 0.31), ("0.95", 0.4), ("0.99", 0.42)] {
                writer.quantile("slaprobe_window_step_latency_seconds", window.adding("quantile", quantile), value)
            }
        }
        return String(decoding: writer.finish(), as: UTF8.self)
    }
}

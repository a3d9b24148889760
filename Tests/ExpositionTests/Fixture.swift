import Exposition

/// Small fixed set of families exercising counters (with and without unit), gauges with special values,
/// histograms, an unknown-type family and label/help escaping.
enum Fixture {
    static let bounds: [Double] = [0.005, 0.1, 1, 2.5]

    static func write(into writer: inout ExpositionWriter) {
        let probe = LabelSet([("probe", "entitlement")])
        writer.family("slaprobe_probe_requests", type: .counter, help: "Probe requests sent.")
        writer.counter("slaprobe_probe_requests", probe.adding("result", "ok"), 42)
        writer.counter(
            "slaprobe_probe_requests",
            LabelSet([("probe", "we\"ird\\path\nx")]).adding("result", "error"),
            1.5
        )
        writer.family("slaprobe_probe_busy_seconds", type: .counter, help: "Time spent probing.", unit: "seconds")
        writer.counter("slaprobe_probe_busy_seconds", probe, 12.25)
        writer.family(
            "slaprobe_probe_last_value",
            type: .gauge,
            help: "Odd \"values\" with \\ backslash\nand a second line."
        )
        writer.gauge("slaprobe_probe_last_value", .empty, 0.25)
        let specials: [(String, Double)] = [
            ("nan", .nan), ("inf", .infinity), ("-inf", -.infinity), ("tiny", 1e-05), ("huge", 1e20), ("negative", -3),
        ]
        for (kind, value) in specials {
            writer.gauge("slaprobe_probe_last_value", LabelSet([("kind", kind)]), value)
        }
        writer.family("slaprobe_probe_duration_seconds", type: .histogram, help: "Probe duration.", unit: "seconds")
        writer.histogram(
            "slaprobe_probe_duration_seconds",
            probe,
            upperBounds: bounds,
            cumulativeCounts: [1, 3, 7, 9],
            sum: 12.75,
            count: 10
        )
        writer.histogram(
            "slaprobe_probe_duration_seconds",
            .empty,
            upperBounds: bounds,
            cumulativeCounts: [0, 0, 0, 0],
            sum: 0,
            count: 0
        )
        writer.family("slaprobe_probe_unknown", type: .unknown, help: "Untyped thing.")
        writer.untyped("slaprobe_probe_unknown", .empty, 7)
    }

    static func render(_ format: ExpositionFormat) -> String {
        var writer = ExpositionWriter(format: format)
        write(into: &writer)
        return String(decoding: writer.finish(), as: UTF8.self)
    }

    static let text = #"""
        # HELP slaprobe_probe_requests_total Probe requests sent.
        # TYPE slaprobe_probe_requests_total counter
        slaprobe_probe_requests_total{probe="entitlement",result="ok"} 42
        slaprobe_probe_requests_total{probe="we\"ird\\path\nx",result="error"} 1.5
        # HELP slaprobe_probe_busy_seconds_total Time spent probing.
        # TYPE slaprobe_probe_busy_seconds_total counter
        slaprobe_probe_busy_seconds_total{probe="entitlement"} 12.25
        # HELP slaprobe_probe_last_value Odd "values" with \\ backslash\nand a second line.
        # TYPE slaprobe_probe_last_value gauge
        slaprobe_probe_last_value 0.25
        slaprobe_probe_last_value{kind="nan"} NaN
        slaprobe_probe_last_value{kind="inf"} +Inf
        slaprobe_probe_last_value{kind="-inf"} -Inf
        slaprobe_probe_last_value{kind="tiny"} 1e-05
        slaprobe_probe_last_value{kind="huge"} 1e+20
        slaprobe_probe_last_value{kind="negative"} -3
        # HELP slaprobe_probe_duration_seconds Probe duration.
        # TYPE slaprobe_probe_duration_seconds histogram
        slaprobe_probe_duration_seconds_bucket{probe="entitlement",le="0.005"} 1
        slaprobe_probe_duration_seconds_bucket{probe="entitlement",le="0.1"} 3
        slaprobe_probe_duration_seconds_bucket{probe="entitlement",le="1"} 7
        slaprobe_probe_duration_seconds_bucket{probe="entitlement",le="2.5"} 9
        slaprobe_probe_duration_seconds_bucket{probe="entitlement",le="+Inf"} 10
        slaprobe_probe_duration_seconds_sum{probe="entitlement"} 12.75
        slaprobe_probe_duration_seconds_count{probe="entitlement"} 10
        slaprobe_probe_duration_seconds_bucket{le="0.005"} 0
        slaprobe_probe_duration_seconds_bucket{le="0.1"} 0
        slaprobe_probe_duration_seconds_bucket{le="1"} 0
        slaprobe_probe_duration_seconds_bucket{le="2.5"} 0
        slaprobe_probe_duration_seconds_bucket{le="+Inf"} 0
        slaprobe_probe_duration_seconds_sum 0
        slaprobe_probe_duration_seconds_count 0
        # HELP slaprobe_probe_unknown Untyped thing.
        # TYPE slaprobe_probe_unknown untyped
        slaprobe_probe_unknown 7

        """#

    static let openMetrics = #"""
        # HELP slaprobe_probe_requests Probe requests sent.
        # TYPE slaprobe_probe_requests counter
        slaprobe_probe_requests_total{probe="entitlement",result="ok"} 42
        slaprobe_probe_requests_total{probe="we\"ird\\path\nx",result="error"} 1.5
        # HELP slaprobe_probe_busy_seconds Time spent probing.
        # TYPE slaprobe_probe_busy_seconds counter
        # UNIT slaprobe_probe_busy_seconds seconds
        slaprobe_probe_busy_seconds_total{probe="entitlement"} 12.25
        # HELP slaprobe_probe_last_value Odd \"values\" with \\ backslash\nand a second line.
        # TYPE slaprobe_probe_last_value gauge
        slaprobe_probe_last_value 0.25
        slaprobe_probe_last_value{kind="nan"} NaN
        slaprobe_probe_last_value{kind="inf"} +Inf
        slaprobe_probe_last_value{kind="-inf"} -Inf
        slaprobe_probe_last_value{kind="tiny"} 1e-05
        slaprobe_probe_last_value{kind="huge"} 1e+20
        slaprobe_probe_last_value{kind="negative"} -3
        # HELP slaprobe_probe_duration_seconds Probe duration.
        # TYPE slaprobe_probe_duration_seconds histogram
        # UNIT slaprobe_probe_duration_seconds seconds
        slaprobe_probe_duration_seconds_bucket{probe="entitlement",le="0.005"} 1
        slaprobe_probe_duration_seconds_bucket{probe="entitlement",le="0.1"} 3
        slaprobe_probe_duration_seconds_bucket{probe="entitlement",le="1.0"} 7
        slaprobe_probe_duration_seconds_bucket{probe="entitlement",le="2.5"} 9
        slaprobe_probe_duration_seconds_bucket{probe="entitlement",le="+Inf"} 10
        slaprobe_probe_duration_seconds_sum{probe="entitlement"} 12.75
        slaprobe_probe_duration_seconds_count{probe="entitlement"} 10
        slaprobe_probe_duration_seconds_bucket{le="0.005"} 0
        slaprobe_probe_duration_seconds_bucket{le="0.1"} 0
        slaprobe_probe_duration_seconds_bucket{le="1.0"} 0
        slaprobe_probe_duration_seconds_bucket{le="2.5"} 0
        slaprobe_probe_duration_seconds_bucket{le="+Inf"} 0
        slaprobe_probe_duration_seconds_sum 0
        slaprobe_probe_duration_seconds_count 0
        # HELP slaprobe_probe_unknown Untyped thing.
        # TYPE slaprobe_probe_unknown unknown
        slaprobe_probe_unknown 7
        # EOF

        """#

    /// A realistic slaprobe exposition: several probes, base units, help on every family, plus process metrics.
    static func realistic(_ format: ExpositionFormat, probes: Int = 3) -> String {
        var writer = ExpositionWriter(format: format)
        let labels = (0..<probes).map { LabelSet([("probe", "probe-\($0)"), ("target", "https://example.com/\($0)")]) }
        let bounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
        writer.family("slaprobe_probe_requests", type: .counter, help: "Probe requests sent, by result.")
        for (index, set) in labels.enumerated() {
            writer.counter("slaprobe_probe_requests", set.adding("result", "success"), Double(100 + index))
            writer.counter("slaprobe_probe_requests", set.adding("result", "failure"), Double(index))
        }
        writer.family(
            "slaprobe_probe_duration_seconds",
            type: .histogram,
            help: "Probe request duration in seconds.",
            unit: "seconds"
        )
        for set in labels {
            writer.histogram(
                "slaprobe_probe_duration_seconds",
                set,
                upperBounds: bounds,
                cumulativeCounts: [1, 2, 5, 20, 60, 90, 98, 99, 100, 100, 100],
                sum: 12.5,
                count: 101
            )
        }
        writer.family("slaprobe_probe_up", type: .gauge, help: "Whether the last probe succeeded (1) or not (0).")
        for set in labels { writer.gauge("slaprobe_probe_up", set, 1) }
        writer.family(
            "slaprobe_window_latency_p95_seconds",
            type: .gauge,
            help: "Nearest-rank 95th percentile latency over the rolling window.",
            unit: "seconds"
        )
        for set in labels {
            writer.gauge("slaprobe_window_latency_p95_seconds", set.adding("window", "60"), 0.231)
            writer.gauge("slaprobe_window_latency_p95_seconds", set.adding("window", "300"), 0.4)
        }
        writer.family("slaprobe_window_error_ratio", type: .gauge, help: "Failed share of probes over the window.")
        for set in labels { writer.gauge("slaprobe_window_error_ratio", set.adding("window", "60"), 0.0125) }
        ProcessMetrics.write(into: &writer)
        return String(decoding: writer.finish(), as: UTF8.self)
    }
}

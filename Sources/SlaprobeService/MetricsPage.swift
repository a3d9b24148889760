import Config
import Exposition
import HTTPClient
import Probing
import RollingWindows

/// Renders `/metrics`: every family of SPEC "Metrics" from probe snapshots and service state.
///
/// Families are written in a fixed order with their series grouped, so output is stable between scrapes.
/// slaprobe writes its own exposition rather than using swift-prometheus, which fatalErrors when a family is
/// registered again with another shape (a config reload changing buckets or labels would crash the process),
/// cannot write OpenMetrics, and orders families by dictionary order.
public struct MetricsPage {
    /// State beyond the probes that the page shows.
    public struct ServiceState: Sendable {
        /// Whether the last configuration (re)load succeeded.
        public var lastReloadSuccessful: Bool
        /// When the configuration was last loaded successfully, Unix seconds.
        public var lastReloadSuccessTimestamp: Double
        /// slaprobe's version.
        public var version: String
        /// The source revision it was built from.
        public var revision: String
        /// Process start, Unix seconds.
        public var startTime: Double
    }

    /// Writes the page for `snapshots` in `format`; `extra` adds families owned by other modules (alerts).
    public static func render(
        _ snapshots: [ProbeSnapshot],
        lag: LatencyHistogram,
        service: ServiceState,
        format: ExpositionFormat,
        extra: (inout ExpositionWriter) -> Void = { _ in }
    ) -> [UInt8] {
        var w = ExpositionWriter(format: format, capacity: 4096 + snapshots.count * 16_384)

        w.family(
            "slaprobe_probe_duration_seconds",
            type: .histogram,
            help: "Duration of probe requests (the main request of each run; a timeout counts as its timeout).",
            unit: "seconds"
        )
        for s in snapshots {
            w.histogram(
                "slaprobe_probe_duration_seconds",
                s.labels,
                upperBounds: s.duration.upperBounds,
                cumulativeCounts: s.duration.cumulativeCounts,
                sum: s.duration.sum,
                count: s.duration.count
            )
        }

        w.family(
            "slaprobe_probe_phase_duration_seconds",
            type: .histogram,
            help: "Duration of each phase of probe requests: dns, connect, tls, processing, transfer.",
            unit: "seconds"
        )
        for s in snapshots {
            for (index, histogram) in s.phases.enumerated() {
                w.histogram(
                    "slaprobe_probe_phase_duration_seconds",
                    s.labelSets.phases[index],
                    upperBounds: histogram.upperBounds,
                    cumulativeCounts: histogram.cumulativeCounts,
                    sum: histogram.sum,
                    count: histogram.count
                )
            }
        }

        w.family("slaprobe_probes", type: .counter, help: "Probe runs by result.")
        for s in snapshots {
            w.counter("slaprobe_probes", s.labelSets.success, Double(s.successes))
            w.counter("slaprobe_probes", s.labelSets.failure, Double(s.failures))
        }

        w.family("slaprobe_probe_failures", type: .counter, help: "Failed probe runs by reason.")
        for s in snapshots {
            let reasons = s.labelSets.reasons
            for (index, count) in s.failuresByReason.enumerated() {
                w.counter("slaprobe_probe_failures", reasons[index], Double(count))
            }
        }

        w.family(
            "slaprobe_probe_skipped",
            type: .counter,
            help: "Probe ticks skipped because the previous run was still going."
        )
        for s in snapshots { w.counter("slaprobe_probe_skipped", s.labels, Double(s.skipped)) }

        w.family(
            "slaprobe_probe_success",
            type: .gauge,
            help: "Whether the last run of the probe succeeded (1) or failed (0)."
        )
        for s in snapshots {
            if let last = s.last { w.gauge("slaprobe_probe_success", s.labels, last.success ? 1 : 0) }
        }

        w.family(
            "slaprobe_probe_last_run_timestamp_seconds",
            type: .gauge,
            help: "When the last run of the probe started, Unix seconds.",
            unit: "seconds"
        )
        for s in snapshots {
            if let last = s.last { w.gauge("slaprobe_probe_last_run_timestamp_seconds", s.labels, last.startedAt) }
        }

        w.family(
            "slaprobe_probe_latency_threshold_seconds",
            type: .gauge,
            help: "The probe's latency SLA: its p95 must stay below this.",
            unit: "seconds"
        )
        for s in snapshots {
            w.gauge("slaprobe_probe_latency_threshold_seconds", s.labels, s.config.latencyThreshold.inSeconds)
        }

        w.family(
            "slaprobe_cache_lookups",
            type: .counter,
            help: "Cache lookups of the target seen by the probe, by result."
        )
        for s in snapshots where s.config.cache != .none {
            w.counter("slaprobe_cache_lookups", s.labelSets.hit, Double(s.cacheHits))
            w.counter("slaprobe_cache_lookups", s.labelSets.miss, Double(s.cacheMisses))
        }

        writeWindows(&w, snapshots)

        w.family(
            "slaprobe_probe_tls_cert_expiry_timestamp_seconds",
            type: .gauge,
            help: "Earliest notAfter of the target's TLS certificate chain, Unix seconds.",
            unit: "seconds"
        )
        for s in snapshots {
            if let expiry = s.certificateExpiry {
                w.gauge("slaprobe_probe_tls_cert_expiry_timestamp_seconds", s.labels, expiry)
            }
        }

        w.family(
            "slaprobe_scheduler_lag_seconds",
            type: .histogram,
            help: "Delay between a probe's due time and its start.",
            unit: "seconds"
        )
        w.histogram(
            "slaprobe_scheduler_lag_seconds",
            .empty,
            upperBounds: lag.upperBounds,
            cumulativeCounts: lag.cumulativeCounts,
            sum: lag.sum,
            count: lag.count
        )

        extra(&w)

        w.family(
            "slaprobe_config_last_reload_successful",
            type: .gauge,
            help: "Whether the last configuration reload succeeded."
        )
        w.gauge("slaprobe_config_last_reload_successful", .empty, service.lastReloadSuccessful ? 1 : 0)
        w.family(
            "slaprobe_config_last_reload_success_timestamp_seconds",
            type: .gauge,
            help: "When the configuration was last loaded successfully, Unix seconds.",
            unit: "seconds"
        )
        w.gauge("slaprobe_config_last_reload_success_timestamp_seconds", .empty, service.lastReloadSuccessTimestamp)

        w.family("slaprobe_build_info", type: .gauge, help: "slaprobe's version and revision; always 1.")
        w.gauge("slaprobe_build_info", LabelSet([("version", service.version), ("revision", service.revision)]), 1)

        ProcessMetrics.write(into: &w, startTime: service.startTime)
        return w.finish()
    }

    private static func writeWindows(_ w: inout ExpositionWriter, _ snapshots: [ProbeSnapshot]) {
        // A summary, not a gauge: a `quantile` label is reserved for summaries (promtool rejects it on a gauge),
        // and a summary is Prometheus's type for quantiles pre-computed over a sliding window. Queries read it
        // exactly as they would a gauge.
        w.family(
            "slaprobe_window_latency_seconds",
            type: .summary,
            help: "Exact nearest-rank latency quantile over the rolling window.",
            unit: "seconds"
        )
        for s in snapshots {
            for (index, stats) in s.windows.enumerated() {
                let quantiles = s.labelSets.window(at: index, length: stats.window).quantiles
                if let p50 = stats.p50 { w.quantile("slaprobe_window_latency_seconds", quantiles[0], p50) }
                if let p95 = stats.p95 { w.quantile("slaprobe_window_latency_seconds", quantiles[1], p95) }
                if let p99 = stats.p99 { w.quantile("slaprobe_window_latency_seconds", quantiles[2], p99) }
            }
        }
        writeWindowGauge(
            &w, snapshots, "slaprobe_window_error_ratio", "Share of failed probe runs over the rolling window.",
            \.errorRatio)
        writeWindowGauge(
            &w, snapshots, "slaprobe_window_cache_hit_ratio",
            "Share of cache hits among lookups over the rolling window.", \.cacheHitRatio)
        writeWindowGauge(
            &w, snapshots, "slaprobe_window_samples", "Probe runs in the rolling window.", \.samplesValue)
        writeWindowGauge(
            &w, snapshots, "slaprobe_window_samples_over_threshold",
            "Probe runs in the rolling window slower than the probe's latency threshold.", \.overThresholdValue)
    }

    /// One gauge family with a series per probe and window; a `nil` value (a ratio of nothing) is left out,
    /// not written as 0.
    private static func writeWindowGauge(
        _ w: inout ExpositionWriter,
        _ snapshots: [ProbeSnapshot],
        _ name: String,
        _ help: String,
        _ value: KeyPath<WindowStats, Double?>
    ) {
        w.family(name, type: .gauge, help: help)
        for s in snapshots {
            for (index, stats) in s.windows.enumerated() {
                guard let value = stats[keyPath: value] else { continue }
                w.gauge(name, s.labelSets.window(at: index, length: stats.window).window, value)
            }
        }
    }
}

extension WindowStats {
    fileprivate var samplesValue: Double? { Double(samples) }
    fileprivate var overThresholdValue: Double? { Double(overThreshold) }
}

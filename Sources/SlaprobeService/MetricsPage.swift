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
package struct MetricsPage {
    /// State beyond the probes that the page shows.
    package struct ServiceState: Sendable {
        /// Whether the last configuration (re)load succeeded.
        package var lastReloadSuccessful: Bool
        /// When the configuration was last loaded successfully, Unix seconds.
        package var lastReloadSuccessTimestamp: Double
        /// slaprobe's version.
        package var version: String
        /// The source revision it was built from.
        package var revision: String
        /// Process start, Unix seconds.
        package var startTime: Double
    }

    /// Writes the page for `snapshots` in `format`; `extra` adds families owned by other modules (alerts).
    package static func render(
        _ snapshots: [ProbeSnapshot],
        lag: LatencyHistogram,
        service: ServiceState,
        format: ExpositionFormat,
        extra: @escaping (inout ExpositionWriter) -> Void = { _ in }
    ) -> [UInt8] {
        var w = ExpositionWriter(format: format, capacity: 4096 + snapshots.count * 16_384)
        for part in parts(snapshots, lag: lag, service: service, extra: extra) {
            part.head(&w)
            for row in part.rows { part.row(&w, row) }
        }
        return w.finish()
    }

    /// The page for `snapshots` as a stream that writes it while the scraper reads it (see ``MetricsStream``):
    /// the same bytes as ``render(_:lag:service:format:extra:)``.
    package static func stream(
        _ snapshots: [ProbeSnapshot],
        lag: LatencyHistogram,
        service: ServiceState,
        format: ExpositionFormat,
        extra: @escaping (inout ExpositionWriter) -> Void = { _ in }
    ) -> MetricsStream {
        MetricsStream(parts: parts(snapshots, lag: lag, service: service, extra: extra), format: format)
    }

    /// The page in order: a part per family (its header, then a row per probe), and the families that are not
    /// per probe.
    static func parts(
        _ snapshots: [ProbeSnapshot],
        lag: LatencyHistogram,
        service: ServiceState,
        extra: @escaping (inout ExpositionWriter) -> Void
    ) -> [PagePart] {
        let rows = snapshots.map(Row.init)
        var parts: [PagePart] = []

        parts.append(
            PagePart(rows: rows) { w in
                w.family(
                    "slaprobe_probe_duration_seconds",
                    type: .histogram,
                    help: "Duration of probe requests (the main request of each run; a timeout counts as its timeout).",
                    unit: "seconds"
                )
            } row: { w, row in
                w.histogram(
                    "slaprobe_probe_duration_seconds",
                    row.s.labels,
                    upperBounds: row.s.duration.upperBounds,
                    cumulativeCounts: row.s.duration.cumulativeCounts,
                    sum: row.s.duration.sum,
                    count: row.s.duration.count,
                    exemplars: row.s.duration.exemplars
                )
            }
        )

        let tlsIndex = PhaseTimings.phaseNames.firstIndex(of: "tls")
        parts.append(
            PagePart(rows: rows) { w in
                w.family(
                    "slaprobe_probe_phase_duration_seconds",
                    type: .histogram,
                    help: "Duration of each phase of probe requests: dns, connect, tls, processing, transfer.",
                    unit: "seconds"
                )
            } row: { w, row in
                // A plain-HTTP probe has no TLS phase: its empty TLS histogram would be 19 series of zeroes per
                // probe.
                let skipTLS = row.s.definition.plainHTTP
                for (index, histogram) in row.s.phases.enumerated() {
                    if index == tlsIndex, skipTLS, histogram.count == 0 { continue }
                    w.histogram(
                        "slaprobe_probe_phase_duration_seconds",
                        row.s.labelSets.phases[index],
                        upperBounds: histogram.upperBounds,
                        cumulativeCounts: histogram.cumulativeCounts,
                        sum: histogram.sum,
                        count: histogram.count
                    )
                }
            }
        )

        parts.append(
            PagePart(rows: rows) { w in
                w.family("slaprobe_probes", type: .counter, help: "Probe runs by result.")
            } row: { w, row in
                w.counter("slaprobe_probes", row.s.labelSets.success, count: row.s.successes)
                w.counter("slaprobe_probes", row.s.labelSets.failure, count: row.s.failures)
            }
        )

        parts.append(
            PagePart(rows: rows) { w in
                w.family("slaprobe_probe_failures", type: .counter, help: "Failed probe runs by reason.")
            } row: { w, row in
                let reasons = row.s.labelSets.reasons
                for (index, count) in row.s.failuresByReason.enumerated() {
                    w.counter("slaprobe_probe_failures", reasons[index], count: count)
                }
            }
        )

        parts.append(
            PagePart(rows: rows) { w in
                w.family(
                    "slaprobe_probe_skipped",
                    type: .counter,
                    help: "Probe ticks skipped because the previous run was still going."
                )
            } row: { w, row in
                w.counter("slaprobe_probe_skipped", row.s.labels, count: row.s.skipped)
            }
        )

        parts.append(
            PagePart(rows: rows) { w in
                w.family(
                    "slaprobe_probe_success",
                    type: .gauge,
                    help: "Whether the last run of the probe succeeded (1) or failed (0)."
                )
            } row: { w, row in
                if let last = row.s.last { w.gauge("slaprobe_probe_success", row.s.labels, last.success ? 1 : 0) }
            }
        )

        parts.append(
            PagePart(rows: rows) { w in
                w.family(
                    "slaprobe_probe_last_run_timestamp_seconds",
                    type: .gauge,
                    help: "When the last run of the probe started, Unix seconds.",
                    unit: "seconds"
                )
            } row: { w, row in
                // To the microsecond: a value with at most six decimals prints from an integer.
                if let last = row.s.last {
                    let started = (last.startedAt * 1e6).rounded() / 1e6
                    w.gauge("slaprobe_probe_last_run_timestamp_seconds", row.s.labels, started)
                }
            }
        )

        parts.append(
            PagePart(rows: rows) { w in
                w.family(
                    "slaprobe_probe_latency_threshold_seconds",
                    type: .gauge,
                    help: "The probe's latency SLA: its p95 must stay below this.",
                    unit: "seconds"
                )
            } row: { w, row in
                w.gauge(
                    "slaprobe_probe_latency_threshold_seconds",
                    row.s.labels,
                    row.s.config.latencyThreshold.inSeconds
                )
            }
        )

        parts.append(
            PagePart(rows: rows.filter { $0.s.config.cache != .none }) { w in
                w.family(
                    "slaprobe_cache_lookups",
                    type: .counter,
                    help: "Cache lookups of the target seen by the probe, by result."
                )
            } row: { w, row in
                w.counter("slaprobe_cache_lookups", row.s.labelSets.hit, count: row.s.cacheHits)
                w.counter("slaprobe_cache_lookups", row.s.labelSets.miss, count: row.s.cacheMisses)
            }
        )

        parts += windowParts(rows)
        parts += cacheLatencyParts(rows)
        parts += stepParts(rows)

        parts.append(
            PagePart(rows: rows) { w in
                w.family(
                    "slaprobe_probe_tls_cert_expiry_timestamp_seconds",
                    type: .gauge,
                    help: "Earliest notAfter of the target's TLS certificate chain, Unix seconds.",
                    unit: "seconds"
                )
            } row: { w, row in
                if let expiry = row.s.certificateExpiry {
                    w.gauge("slaprobe_probe_tls_cert_expiry_timestamp_seconds", row.s.labels, expiry)
                }
            }
        )

        parts.append(
            PagePart { w in
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
            }
        )

        parts.append(PagePart(head: extra))

        parts.append(
            PagePart { w in
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
                w.gauge(
                    "slaprobe_config_last_reload_success_timestamp_seconds",
                    .empty,
                    service.lastReloadSuccessTimestamp
                )

                w.family("slaprobe_build_info", type: .gauge, help: "slaprobe's version and revision; always 1.")
                w.gauge(
                    "slaprobe_build_info",
                    LabelSet([("version", service.version), ("revision", service.revision)]),
                    1
                )

                ProcessMetrics.write(into: &w, startTime: service.startTime)
            }
        )
        return parts
    }

    private static func windowParts(_ rows: [Row]) -> [PagePart] {
        // A summary, not a gauge: a `quantile` label is reserved for summaries (promtool rejects it on a gauge),
        // and a summary is Prometheus's type for quantiles pre-computed over a sliding window. Queries read it
        // exactly as they would a gauge.
        let quantiles = PagePart(rows: rows) { w in
            w.family(
                "slaprobe_window_latency_seconds",
                type: .summary,
                help: "Exact nearest-rank latency quantile over the rolling window.",
                unit: "seconds"
            )
        } row: { w, row in
            for (index, stats) in row.s.windows.enumerated() {
                let quantiles = row.s.labelSets.window(at: index, length: stats.window).quantiles
                if let p50 = stats.p50 { w.quantile("slaprobe_window_latency_seconds", quantiles[0], p50) }
                if let p95 = stats.p95 { w.quantile("slaprobe_window_latency_seconds", quantiles[1], p95) }
                if let p99 = stats.p99 { w.quantile("slaprobe_window_latency_seconds", quantiles[2], p99) }
            }
        }
        let gauges = WindowGauge.allCases.map { gauge in
            PagePart(rows: rows) { w in
                w.family(gauge.name, type: .gauge, help: gauge.help)
            } row: { w, row in
                for (index, stats) in row.s.windows.enumerated() {
                    // A ratio of nothing is absent, not 0.
                    guard let value = gauge.value(stats) else { continue }
                    w.gauge(gauge.name, row.s.labelSets.window(at: index, length: stats.window).window, value)
                }
            }
        }
        return [quantiles] + gauges
    }
}

/// One part of the page: `head` written once (a family's HELP and TYPE, or a whole family that is not per
/// probe), then `row` for each of `rows`. Parts are small enough to write one at a time while a scraper reads.
struct PagePart {
    var head: (inout ExpositionWriter) -> Void
    var rows: [Row] = []
    var row: (inout ExpositionWriter, Row) -> Void = { _, _ in }

    init(
        rows: [Row] = [],
        head: @escaping (inout ExpositionWriter) -> Void,
        row: @escaping (inout ExpositionWriter, Row) -> Void = { _, _ in }
    ) {
        self.head = head
        self.rows = rows
        self.row = row
    }
}

/// A snapshot behind a reference: the page makes some twenty passes over every probe, and binding a
/// `ProbeSnapshot` value in each pass copies (retains and releases) a dozen reference-counted fields.
final class Row {
    let s: ProbeSnapshot
    init(_ s: ProbeSnapshot) { self.s = s }
}

/// The gauge families of a rolling window, in page order.
private enum WindowGauge: CaseIterable {
    case errorRatio, cacheHitRatio, samples, samplesOverThreshold

    var name: String {
        switch self {
        case .errorRatio: "slaprobe_window_error_ratio"
        case .cacheHitRatio: "slaprobe_window_cache_hit_ratio"
        case .samples: "slaprobe_window_samples"
        case .samplesOverThreshold: "slaprobe_window_samples_over_threshold"
        }
    }

    var help: String {
        switch self {
        case .errorRatio: "Share of failed probe runs over the rolling window."
        case .cacheHitRatio: "Share of cache hits among lookups over the rolling window."
        case .samples: "Probe runs in the rolling window."
        case .samplesOverThreshold: "Probe runs in the rolling window slower than the probe's latency threshold."
        }
    }

    func value(_ stats: WindowStats) -> Double? {
        switch self {
        case .errorRatio: stats.errorRatio
        case .cacheHitRatio: stats.cacheHitRatio
        case .samples: Double(stats.samples)
        case .samplesOverThreshold: Double(stats.overThreshold)
        }
    }
}

import Exposition
import RollingWindows

extension MetricsPage {
    /// `slaprobe_window_cache_latency_seconds`: the window's latency quantiles over its cache hits and over its
    /// misses. Only probes that observe a cache are visited; a quantile of an outcome with no samples is absent,
    /// and a page without any such probe has not even the header.
    static func cacheLatencyParts(_ rows: [Row]) -> [PagePart] {
        let cached = rows.filter { $0.s.config.cache != .none }
        guard !cached.isEmpty else { return [] }
        let name = "slaprobe_window_cache_latency_seconds"
        // A summary for the same reason as slaprobe_window_latency_seconds.
        let part = PagePart(rows: cached) { w in
            w.family(
                name,
                type: .summary,
                help: "Exact nearest-rank latency quantile over the rolling window's cache hits or cache misses.",
                unit: "seconds"
            )
        } row: { w, row in
            for (index, stats) in row.s.windows.enumerated() {
                guard stats.hitLatency != nil || stats.missLatency != nil else { continue }
                let labels = row.s.labelSets.cacheQuantiles(at: index, length: stats.window)
                for (offset, latency) in [stats.hitLatency, stats.missLatency].enumerated() {
                    guard let latency else { continue }
                    w.quantile(name, labels[offset * 3], latency.p50)
                    w.quantile(name, labels[offset * 3 + 1], latency.p95)
                    w.quantile(name, labels[offset * 3 + 2], latency.p99)
                }
            }
        }
        return [part]
    }
}

import Alerting
import Config
import RollingWindows

/// Turns the store's probe snapshots into the evaluator's inputs. The evaluator has its own input types so it
/// can be driven (and tested) with plain numbers, independent of how the windows are kept.
enum AlertInputs {
    static func from(_ snapshots: [ProbeSnapshot], monotonicNow: Double) -> [Alerting.ProbeSnapshot] {
        snapshots.map { snapshot in
            let kind = snapshot.config.kind.rawValue
            return Alerting.ProbeSnapshot(
                probe: snapshot.config.name,
                kind: kind,
                secondsSinceLastSample: snapshot.lastMonotonic.map { max(0, monotonicNow - $0) },
                windows: snapshot.windows.map { stats in
                    ProbeWindowSnapshot(
                        probe: snapshot.config.name,
                        kind: kind,
                        window: stats.window,
                        samples: stats.samples,
                        failures: stats.failures,
                        overThreshold: stats.overThreshold,
                        threshold: stats.threshold,
                        p50: stats.p50,
                        p95: stats.p95,
                        p99: stats.p99,
                        cacheHits: stats.cacheHits,
                        cacheMisses: stats.cacheMisses,
                        slowest: stats.slowest.map { SlowRequest(requestID: $0.requestID, latency: $0.latency) },
                        recentFailures: stats.recentFailures.map {
                            FailedRequest(requestID: $0.requestID, reason: $0.reason ?? "other")
                        }
                    )
                },
                interval: snapshot.config.interval.inSeconds
            )
        }
    }
}

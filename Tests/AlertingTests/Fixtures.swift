import Alerting
import Config
import Foundation
import RollingWindows

/// Builders for snapshots and rules used across the tests.
enum Fixtures {
    static func window(
        _ seconds: Double,
        samples: Int,
        failures: Int = 0,
        over: Int = 0,
        threshold: Double = 0.1,
        hits: Int = 0,
        misses: Int = 0
    ) -> WindowStats {
        WindowStats(
            window: seconds,
            threshold: threshold,
            samples: samples,
            failures: failures,
            overThreshold: over,
            p50: 0.02,
            p95: over * 20 > samples ? 0.25 : 0.05,
            p99: 0.3,
            cacheHits: hits,
            cacheMisses: misses,
            slowest: [
                Exemplar(requestID: "req-slow-1", latency: 0.3), Exemplar(requestID: "req-slow-2", latency: 0.29),
            ],
            recentFailures: [Exemplar(requestID: "req-fail-1", reason: "http_status")]
        )
    }

    /// A probe whose 5m window has `samples` samples of which `over` are slow and `failures` failed, and whose 1h
    /// window has `longSamples` / `longFailures`.
    static func probe(
        _ name: String = "entitlement",
        kind: ProbeKind = .entitlement,
        samples: Int = 100,
        over: Int = 0,
        failures: Int = 0,
        longSamples: Int = 1000,
        longFailures: Int = 0,
        hits: Int = 0,
        misses: Int = 0,
        age: Double? = 1,
        interval: Duration = .zero
    ) -> ProbeSnapshot {
        ProbeSnapshot(
            probe: name,
            kind: kind,
            interval: interval,
            secondsSinceLastResult: age,
            windows: [
                window(300, samples: samples, failures: failures, over: over, hits: hits, misses: misses),
                window(3600, samples: longSamples, failures: longFailures),
            ]
        )
    }

    static func latencyRule(
        forDuration: Double = 0,
        keepFiringFor: Double = 0,
        clearThreshold: Double? = nil,
        minSamples: Int = 20
    ) -> AlertRule {
        AlertRule(
            name: "SlaprobeLatencyHigh",
            kind: .latency,
            severity: .page,
            windows: [300],
            threshold: 0.05,
            clearThreshold: clearThreshold,
            minSamples: minSamples,
            forDuration: forDuration,
            keepFiringFor: keepFiringFor,
            annotations: [
                "summary": "p95 of {probe} is {p95}s over {threshold}s", "runbook_url": "https://r/#{alertname}",
            ]
        )
    }

    static func temporaryDirectory(_ name: String = #function) -> String {
        let cleaned = name.filter { $0.isLetter || $0.isNumber }
        let path = NSTemporaryDirectory() + "alerting-\(cleaned)-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func json(_ bytes: [UInt8]) -> Any? {
        try? JSONSerialization.jsonObject(with: Data(bytes))
    }
}

import Config
import JSON
import Probing
import RollingWindows

/// `/api/v1/probes`: each probe's configuration summary, window statistics and recent results as JSON.
enum ProbesJSON {
    static func render(_ snapshots: [ProbeSnapshot]) -> String {
        let probes = snapshots.map { s -> String in
            let windows = s.windows.map(window)
            let recent = s.recent.map { r in
                var members: [(String, JSONText.Value)] = [
                    ("request_id", .string(r.requestID)),
                    ("started_at", .raw(String(r.startedAt))),
                    ("success", .raw(String(r.success))),
                    ("status", .raw(String(r.status))),
                    ("latency_seconds", .raw(String(r.latency))),
                    ("failure_reason", r.failure.map { .string($0.rawValue) } ?? .raw("null")),
                    ("message", r.message.map { .string($0) } ?? .raw("null")),
                    ("cache", .string(r.cache.rawValue)),
                    ("bytes", .raw(String(r.bytes))),
                    (
                        "phases",
                        .raw(JSONText.object(r.timings.named.map { ($0.phase + "_seconds", .raw(String($0.seconds))) }))
                    ),
                    ("trace_id", r.traceID.map { .string($0) } ?? .raw("null")),
                ]
                if !r.steps.isEmpty { members.append(("steps", .raw(stepResults(r.steps)))) }
                return JSONText.object(members)
            }
            let steps = s.steps.map { step in
                JSONText.object([
                    ("name", .string(step.name)),
                    ("latency_threshold_seconds", number(step.threshold)),
                    ("windows", .raw("[" + step.windows.map(window).joined(separator: ",") + "]")),
                ])
            }
            var members: [(String, JSONText.Value)] = [
                ("name", .string(s.config.name)),
                ("kind", .string(s.config.kind.rawValue)),
                ("url", .string(URLRedaction.userInfo.apply(to: s.config.url))),
                ("interval_seconds", .raw(String(s.config.interval.inSeconds))),
                ("latency_threshold_seconds", .raw(String(s.config.latencyThreshold.inSeconds))),
                ("runs", .raw(String(s.successes + s.failures))),
                ("failures", .raw(String(s.failures))),
                ("certificate_expiry", number(s.certificateExpiry)),
                ("windows", .raw("[" + windows.joined(separator: ",") + "]")),
                ("recent", .raw("[" + recent.joined(separator: ",") + "]")),
            ]
            if !steps.isEmpty { members.append(("steps", .raw("[" + steps.joined(separator: ",") + "]"))) }
            return JSONText.object(members)
        }
        return JSONText.object([("probes", .raw("[" + probes.joined(separator: ",") + "]"))]) + "\n"
    }

    private static func window(_ w: WindowStats) -> String {
        JSONText.object([
            ("window", .string(formatDuration(.milliseconds(Int64((w.window * 1000).rounded()))))),
            ("samples", .raw(String(w.samples))),
            ("failures", .raw(String(w.failures))),
            ("error_ratio", number(w.errorRatio)),
            ("p50_seconds", number(w.p50)),
            ("p95_seconds", number(w.p95)),
            ("p99_seconds", number(w.p99)),
            ("over_threshold", .raw(String(w.overThreshold))),
            ("cache_hit_ratio", number(w.cacheHitRatio)),
        ])
    }

    /// A journey run's steps: name, latency, status, outcome, request id and attempts.
    static func stepResults(_ steps: [StepResult]) -> String {
        "["
            + steps.map { step in
                JSONText.object([
                    ("name", .string(step.name)),
                    ("latency_seconds", .raw(String(step.latency))),
                    ("status", .raw(String(step.status))),
                    ("success", .raw(String(step.success))),
                    ("failure_reason", step.failure.map { .string($0.rawValue) } ?? .raw("null")),
                    ("message", step.message.map { .string($0) } ?? .raw("null")),
                    ("request_id", .string(step.requestID)),
                    ("attempts", .raw(String(step.attempts))),
                ])
            }.joined(separator: ",") + "]"
    }

    private static func number(_ value: Double?) -> JSONText.Value {
        guard let value, value.isFinite else { return .raw("null") }
        return .raw(String(value))
    }
}

import Alerting
import Config
import Probing
import RollingWindows

extension StatusPage {
    /// Recent failures listed per probe.
    static let failuresShown = 5

    /// One row per probe: its SLA state (`data-sla` is `ok`, `breach` or `nodata`) and each rule's check.
    static func summarySection(_ probes: [ProbeSLA]) -> String {
        var html = "<h2>Probes</h2>\n<table id=\"probes\"><tr><th>probe</th><th>kind</th><th>SLA</th>"
        html += "<th>checks (rolling windows, the alert rules' thresholds)</th><th>last run</th></tr>\n"
        for probe in probes {
            let s = probe.snapshot
            let state = probe.state.rawValue
            let last = s.last
            let lastRun = last.map { $0.success ? "ok" : "failing (\($0.failure?.rawValue ?? "other"))" } ?? "pending"
            html += "<tr class=\"\(last.map { $0.success ? "ok" : "failing" } ?? "pending")\" "
            html += "data-probe=\"\(escape(s.probe))\" data-sla=\"\(state)\">"
            html += "<td>\(escape(s.probe))</td><td>\(escape(s.kind.rawValue))</td>"
            html += "<td><span class=\"sla \(state)\">\(state)</span></td>"
            html += "<td>\(probe.checks.map(checkBadge).joined())</td>"
            html += "<td class=\"result\">\(escape(lastRun))</td></tr>\n"
        }
        if probes.isEmpty { html += "<tr><td colspan=\"5\">no probes configured</td></tr>\n" }
        return html + "</table>\n"
    }

    /// A card per probe: its checks, the chart of its latest runs and its recent failures.
    static func probeSections(_ probes: [ProbeSLA]) -> String {
        var html = ""
        for probe in probes {
            let s = probe.snapshot
            let state = probe.state.rawValue
            html += "<section class=\"card probe\" id=\"probe-\(escape(s.probe))\" data-sla=\"\(state)\">\n"
            html += "<h3>\(escape(s.probe)) <span class=\"sla \(state)\">\(state)</span></h3>\n"
            html += "<p class=\"muted\">\(escape(s.kind.rawValue)) &middot; every \(formatDuration(s.config.interval))"
            html += " &middot; latency SLA p95 &le; \(milliseconds(s.config.latencyThreshold.inSeconds))</p>\n"
            html += "<p>\(probe.checks.map(checkBadge).joined(separator: " "))</p>\n"
            html += chart(s.history.runs, threshold: s.config.latencyThreshold.inSeconds, probe: s.probe)
            html += failureTable(s)
            html += "</section>\n"
        }
        return html
    }

    /// The latest failed runs of a probe, newest first, with reason, status, request id and trace id.
    static func failureTable(_ s: ProbeSnapshot) -> String {
        let failures = s.recent.filter { !$0.success }.prefix(failuresShown)
        guard !failures.isEmpty else { return "<p class=\"muted\">No failure among the latest runs.</p>\n" }
        var html = "<table class=\"failures\"><tr><th>started</th><th>reason</th><th>step</th><th>status</th>"
        html += "<th>latency</th><th>request id</th><th>trace id</th><th>detail</th></tr>\n"
        for run in failures {
            let step = run.steps.last { !$0.success }
            let status = step?.status ?? run.status
            html += "<tr class=\"failing\"><td class=\"time\">\(timestamp(run.startedAt))</td>"
            html += "<td class=\"failing\">\(escape(run.failure?.rawValue ?? "other"))</td>"
            html += "<td>\(escape(step?.name ?? "-"))</td><td>\(status == 0 ? "-" : String(status))</td>"
            html += "<td>\(milliseconds(run.latency))</td>"
            html += "<td><code>\(escape(step?.requestID ?? run.requestID))</code></td>"
            html += "<td><code>\(escape(run.traceID ?? "-"))</code></td>"
            html += "<td>\(escape(run.message ?? ""))</td></tr>\n"
        }
        return html + "</table>\n"
    }

    /// A check as a coloured badge: `p95 165.0 ms > 100.0 ms`, `error ratio 0.0 % ≤ 1.0 %`, or the samples it
    /// still needs.
    static func checkBadge(_ check: GateCheck) -> String {
        let state = ProbeSLA.state(of: check).rawValue
        let value: (Double) -> String = { check.inSeconds ? milliseconds($0) : percent($0) }
        let text: String
        switch check.verdict {
        case .tooFewSamples:
            text = "\(check.measure): \(check.samples) of \(check.minSamples) samples"
        case .broken:
            text = "\(check.measure) \(check.value.map(value) ?? "-") \(check.comparison) \(value(check.threshold))"
        case .ok:
            let relation = check.comparison == ">" ? "≤" : "≥"
            text = "\(check.measure) \(check.value.map(value) ?? "-") \(relation) \(value(check.threshold))"
        }
        return "<span class=\"check \(state)\" data-rule=\"\(escape(check.rule))\">\(escape(text))</span>"
    }
}

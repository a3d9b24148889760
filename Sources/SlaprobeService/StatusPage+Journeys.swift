import Probing
import RollingWindows

extension StatusPage {
    /// One section per journey: its latest run step by step (latency, status, outcome, request id) with the
    /// run's trace id, and each step's window quantiles against its threshold. Empty without journeys.
    static func journeySections(_ snapshots: [ProbeSnapshot]) -> String {
        var html = ""
        for s in snapshots where !s.steps.isEmpty {
            html += "<h2>Journey \(escape(s.config.name))</h2>\n"
            guard let run = s.last else {
                html += "<p>no run yet</p>\n"
                continue
            }
            let outcome = run.failure.map { "failing (\($0.rawValue))" } ?? "ok"
            html += "<p>Last run: \(outcome) in \(milliseconds(run.latency)) &middot; trace id "
            html += "<code>\(escape(run.traceID ?? "-"))</code></p>\n"
            html += "<table><tr><th>step</th><th>result</th><th>latency</th><th>status</th><th>attempts</th>"
            html += "<th>request id</th><th>p50</th><th>p95</th><th>SLA p95</th><th>detail</th></tr>\n"
            for step in s.steps {
                let result = run.steps.first { $0.name == step.name }
                let state = result.map { $0.success ? "ok" : "failing" } ?? "pending"
                let window = step.windows.last
                html += "<tr class=\"\(state)\"><td>\(escape(step.name))</td>"
                html +=
                    "<td>\(result.map { $0.failure.map { "failing (\($0.rawValue))" } ?? "ok" } ?? "not reached")</td>"
                html += "<td>\(milliseconds(result?.latency))</td>"
                html += "<td>\(result.map { $0.status == 0 ? "-" : String($0.status) } ?? "-")</td>"
                html += "<td>\(result.map { String($0.attempts) } ?? "-")</td>"
                html += "<td><code>\(escape(result?.requestID ?? ""))</code></td>"
                html += "<td>\(milliseconds(window?.p50))</td><td>\(milliseconds(window?.p95))</td>"
                html += "<td>\(milliseconds(step.threshold))</td><td>\(escape(result?.message ?? ""))</td></tr>\n"
            }
            html += "</table>\n"
        }
        return html
    }
}

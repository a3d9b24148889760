import Alerting
import Probing
import RollingWindows

extension StatusPage {
    /// One section per journey: its latest run step by step (result, latency, status, attempts, request id) with
    /// the run's trace id, and each step's SLA state and window quantiles against its threshold. Empty without
    /// journeys.
    static func journeySections(_ probes: [ProbeSLA]) -> String {
        var html = ""
        for probe in probes where !probe.snapshot.steps.isEmpty {
            let s = probe.snapshot
            html += "<section class=\"card journey\" data-journey=\"\(escape(s.probe))\">\n"
            html += "<h3>Journey \(escape(s.probe))</h3>\n"
            guard let run = s.last else {
                html += "<p>no run yet</p>\n</section>\n"
                continue
            }
            let outcome = run.failure.map { "failing (\($0.rawValue))" } ?? "ok"
            html += "<p>Last run: \(outcome) in \(milliseconds(run.latency)) &middot; trace id "
            html += "<code>\(escape(run.traceID ?? "-"))</code></p>\n"
            html += "<table><tr><th>step</th><th>result</th><th>latency</th><th>status</th><th>attempts</th>"
            html += "<th>request id</th><th>SLA</th><th>p50</th><th>p95</th><th>SLA p95</th><th>detail</th></tr>\n"
            for step in s.steps {
                let result = run.steps.first { $0.name == step.name }
                let state = result.map { $0.success ? "ok" : "failing" } ?? "pending"
                let sla = probe.stepState(step.name)
                let window = step.windows.last
                html += "<tr class=\"\(state)\"><td>\(escape(step.name))</td>"
                html +=
                    "<td class=\"result\">"
                    + "\(result.map { $0.failure.map { "failing (\($0.rawValue))" } ?? "ok" } ?? "not reached")</td>"
                html += "<td>\(milliseconds(result?.latency))</td>"
                html += "<td>\(result.map { $0.status == 0 ? "-" : String($0.status) } ?? "-")</td>"
                html += "<td>\(result.map { String($0.attempts) } ?? "-")</td>"
                html += "<td><code>\(escape(result?.requestID ?? ""))</code></td>"
                html += "<td>\(sla.map { "<span class=\"sla \($0.rawValue)\">\($0.rawValue)</span>" } ?? "-")</td>"
                html += "<td>\(milliseconds(window?.p50))</td><td>\(milliseconds(window?.p95))</td>"
                html += "<td>\(milliseconds(step.threshold))</td><td>\(escape(result?.message ?? ""))</td></tr>\n"
            }
            html += "</table>\n</section>\n"
        }
        return html
    }
}

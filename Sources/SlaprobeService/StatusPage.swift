import Alerting
import Config
import Foundation
import Probing
import RollingWindows

/// `/`: a small self-contained HTML page showing each probe's state at a glance.
enum StatusPage {
    static func render(
        _ snapshots: [ProbeSnapshot],
        alerts: [AlertStateSnapshot],
        ready: String?,
        healthy: String?
    ) -> String {
        var rows = ""
        for s in snapshots {
            let last = s.last
            let state = last.map { $0.success ? "ok" : "failing" } ?? "pending"
            let longest = s.windows.last
            rows += "<tr class=\"\(state)\"><td>\(escape(s.config.name))</td><td>\(s.config.kind.rawValue)</td>"
            rows += "<td>\(state)\(last?.failure.map { " (" + $0.rawValue + ")" } ?? "")</td>"
            rows += "<td>\(milliseconds(longest?.p50))</td><td>\(milliseconds(longest?.p95))</td>"
            rows += "<td>\(milliseconds(longest?.p99))</td>"
            rows += "<td>\(milliseconds(s.config.latencyThreshold.inSeconds))</td>"
            rows += "<td>\(percent(longest?.errorRatio))</td><td>\(percent(longest?.cacheHitRatio))</td>"
            rows += "<td>\(longest?.samples ?? 0)</td><td>\(escape(last?.message ?? ""))</td></tr>\n"
        }
        let journeys = journeySections(snapshots)
        var alertRows = ""
        for alert in alerts where alert.state != .inactive {
            let since = alert.firedAt ?? alert.activeAt ?? alert.resolvedAt
            alertRows += "<tr class=\"\(alert.state.rawValue)\"><td>\(escape(alert.alertname))</td>"
            alertRows += "<td>\(escape(alert.probe))</td><td>\(alert.state.rawValue)</td>"
            alertRows += "<td>\(since.map { escape(Date(timeIntervalSince1970: $0).formatted(.iso8601)) } ?? "-")</td>"
            alertRows += "<td>\(escape(alert.annotations["summary"] ?? alert.noDataReason ?? ""))</td></tr>\n"
        }
        if alertRows.isEmpty { alertRows = "<tr><td colspan=\"5\">no active alerts</td></tr>\n" }
        let window = snapshots.first?.windows.last.map { formatDuration(.seconds(Int64($0.window))) } ?? "-"
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>slaprobe</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:2em;color:#222}
            table{border-collapse:collapse}td,th{padding:.3em .8em;border-bottom:1px solid #ddd;text-align:left}
            tr.ok td:nth-child(3){color:#1a7f37}tr.failing td:nth-child(3){color:#cf222e;font-weight:bold}
            tr.pending td:nth-child(3){color:#9a6700}tr.firing td:nth-child(3){color:#cf222e;font-weight:bold}
            tr.nodata td:nth-child(3){color:#6e7781}
            </style></head><body>
            <h1>slaprobe</h1>
            <p>Health: \(escape(healthy ?? "ok")) &middot; Readiness: \(escape(ready ?? "ready")) &middot;
            <a href="/metrics">metrics</a> &middot; <a href="/api/v1/probes">probes (JSON)</a> &middot;
            <a href="/api/v1/alerts">alerts (JSON)</a></p>
            <h2>Probes (window \(window))</h2>
            <table><tr><th>probe</th><th>kind</th><th>last run</th><th>p50</th><th>p95</th><th>p99</th>
            <th>SLA p95</th><th>errors</th><th>cache hits</th><th>samples</th><th>last message</th></tr>
            \(rows)</table>
            \(journeys)<h2>Alerts</h2>
            <table><tr><th>alert</th><th>probe</th><th>state</th><th>since</th><th>summary</th></tr>
            \(alertRows)</table>
            </body></html>

            """
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }

    static func milliseconds(_ seconds: Double?) -> String {
        guard let seconds else { return "-" }
        return String(format: "%.1f ms", seconds * 1000)
    }

    private static func percent(_ ratio: Double?) -> String {
        guard let ratio else { return "-" }
        return String(format: "%.1f %%", ratio * 100)
    }
}

import Alerting
import FoundationEssentials

extension StatusPage {
    /// Every alert that is not inactive, with its state (the row's class), since when, and its summary.
    static func alertSection(_ alerts: [AlertStateSnapshot]) -> String {
        var html = "<h2>Alerts</h2>\n<table id=\"alerts\"><tr><th>alert</th><th>probe</th><th>state</th>"
        html += "<th>since</th><th>summary</th></tr>\n"
        var rows = 0
        for alert in alerts where alert.state != .inactive {
            let since = alert.firedAt ?? alert.activeAt ?? alert.resolvedAt
            let state = escape(alert.state.rawValue)
            html += "<tr class=\"\(state)\"><td>\(escape(alert.alertname))</td>"
            html += "<td>\(escape(alert.probe))</td><td>\(state)</td>"
            html += "<td>\(since.map(timestamp) ?? "-")</td>"
            var summary = alert.annotations["summary"] ?? alert.noDataReason ?? ""
            if alert.state == .suppressed {
                let holders = alert.silencedBy.map { "silence \($0)" } + alert.mutedBy.map { "window \($0)" }
                summary += " (held by \(holders.joined(separator: ", ")); notifies nobody)"
            }
            html += "<td>\(escape(summary))</td></tr>\n"
            rows += 1
        }
        if rows == 0 { html += "<tr><td colspan=\"5\">no active alerts</td></tr>\n" }
        return html + "</table>\n"
    }

    /// The silences, as given.
    static func silenceSection(_ silences: [SilenceRow]) -> String {
        var html = "<h2>Silences</h2>\n<table id=\"silences\"><tr><th>id</th><th>matchers</th><th>state</th>"
        html += "<th>starts</th><th>ends</th><th>created by</th><th>comment</th></tr>\n"
        for silence in silences {
            html += "<tr class=\"\(escape(silence.state))\"><td><code>\(escape(silence.id))</code></td>"
            html += "<td><code>\(escape(silence.matchers))</code></td><td>\(escape(silence.state))</td>"
            html += "<td>\(timestamp(silence.startsAt))</td><td>\(timestamp(silence.endsAt))</td>"
            html += "<td>\(escape(silence.createdBy))</td><td>\(escape(silence.comment))</td></tr>\n"
        }
        if silences.isEmpty { html += "<tr><td colspan=\"7\">no silences</td></tr>\n" }
        return html + "</table>\n"
    }
}

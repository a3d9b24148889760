import Alerting
import Config
import FoundationEssentials
import Probing
import RollingWindows

/// `/`: the operator's page, readable at a glance. Each probe's SLA state judged by the alert rules'
/// thresholds, a chart of its latest runs against its threshold, its recent failures with their request and
/// trace ids, journeys step by step, active alerts and silences.
///
/// One self-contained HTML document: inline CSS and SVG, no script and no external asset (it works in an
/// air-gapped cluster and with JavaScript off), reloading itself every 10 seconds. Every text from the
/// configuration or a result goes through ``escape(_:)``; no URL is shown.
enum StatusPage {
    /// Everything the page shows besides the probes.
    struct Context {
        /// Every alert (the inactive ones are left out).
        var alerts: [AlertStateSnapshot] = []
        /// The rules whose thresholds judge each probe's SLA state (the evaluator's, defaults included).
        var rules: [AlertRule] = []
        /// The silences to list.
        var silences: [SilenceRow] = []
        /// Why the service is not ready, or nil.
        var notReady: String? = nil
        /// Why the service is unhealthy, or nil.
        var unhealthy: String? = nil
        /// When the page is rendered, Unix seconds.
        var now: Double = Date().timeIntervalSince1970
    }

    /// The whole page.
    static func render(_ snapshots: [ProbeSnapshot], context: Context) -> String {
        let judged = snapshots.map { ProbeSLA(snapshot: $0, rules: context.rules) }
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta http-equiv="refresh" content="10">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>slaprobe</title>
            <style>\(style)</style></head><body><main>
            <header><h1>slaprobe</h1>
            <p>Health: \(escape(context.unhealthy ?? "ok")) &middot; Readiness: \(escape(context.notReady ?? "ready"))
            &middot; <a href="/metrics">metrics</a> &middot; <a href="/api/v1/probes">probes (JSON)</a> &middot;
            <a href="/api/v1/alerts">alerts (JSON)</a> &middot; updated \(timestamp(context.now))</p></header>

            """
        html += summarySection(judged)
        html += alertSection(context.alerts)
        html += silenceSection(context.silences)
        html += probeSections(judged)
        html += journeySections(judged)
        html += "</main></body></html>\n"
        return html
    }

    /// Escapes `<`, `>`, `&` and `"` for HTML text and attribute values.
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
        return PrintfFormat.string("%.1f ms", seconds * 1000)
    }

    static func percent(_ ratio: Double?) -> String {
        guard let ratio else { return "-" }
        return PrintfFormat.string("%.1f %%", ratio * 100)
    }

    /// `2026-01-02T15:04:05Z`.
    static func timestamp(_ unix: Double) -> String {
        Date(timeIntervalSince1970: unix).formatted(.iso8601)
    }

    private static let style = """
        body{font-family:system-ui,sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
        main{max-width:1180px;margin:0 auto;padding:1em 1.5em}
        h1{margin:.2em 0}h2{margin:1.4em 0 .5em;font-size:1.25em}h3{margin:0 0 .3em;font-size:1.05em}
        section.card{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:.8em 1em;margin:.8em 0}
        table{border-collapse:collapse;width:100%;background:#fff}
        td,th{padding:.3em .6em;border-bottom:1px solid #d8dee4;text-align:left;vertical-align:top}
        th{font-weight:600;background:#f6f8fa}code{font-size:.85em;word-break:break-all}
        .sla{display:inline-block;padding:.05em .5em;border-radius:1em;font-weight:600;color:#fff}
        .sla.ok,.check.ok{background:#1a7f37}.sla.breach,.check.breach{background:#cf222e}
        .sla.nodata,.check.nodata{background:#6e7781}
        .check{display:inline-block;margin:.1em .2em;padding:.05em .45em;border-radius:4px;color:#fff;font-size:.85em}
        tr.failing td.result,td.failing{color:#cf222e;font-weight:600}tr.ok td.result{color:#1a7f37}
        tr.firing td:nth-child(3),tr.suppressed td:nth-child(3){font-weight:bold}
        tr.firing td:nth-child(3){color:#cf222e}tr.pending td:nth-child(3){color:#9a6700}
        tr.nodata td:nth-child(3),tr.resolved td:nth-child(3){color:#6e7781}
        svg.chart{width:100%;height:auto;background:#fff}
        svg .threshold{stroke:#cf222e;stroke-width:1.5;stroke-dasharray:6 4}
        svg .latency{fill:none;stroke:#0969da;stroke-width:1.5}svg .run{fill:#0969da}
        svg .failure{fill:#cf222e;stroke:#fff;stroke-width:1}svg text{font-size:11px;fill:#57606a}
        svg .axis{stroke:#d0d7de}svg .threshold-label{fill:#cf222e}td.time{white-space:nowrap}
        .muted{color:#57606a}
        """
}

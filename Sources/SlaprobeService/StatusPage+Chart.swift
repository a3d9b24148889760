import Config
import FoundationEssentials
import RollingWindows

extension StatusPage {
    /// The chart's drawing area inside its 720 × 160 view box.
    private static let plot = (left: 56.0, right: 712.0, top: 10.0, bottom: 136.0)

    /// An inline SVG chart of `runs` (oldest first): latency against run order, failures as red dots, and the
    /// latency threshold as a dashed line (`class="threshold"`).
    static func chart(_ runs: [RunHistory.Run], threshold: Double, probe: String) -> String {
        let slowest = runs.map { Double($0.latency) }.max() ?? 0
        let top = max(slowest, threshold) * 1.2
        let width = plot.right - plot.left
        let height = plot.bottom - plot.top
        let y: (Double) -> Double = { plot.bottom - height * min(max($0, 0), top) / top }
        let x: (Int) -> Double = {
            runs.count > 1 ? plot.left + width * Double($0) / Double(runs.count - 1) : plot.left
        }
        let failures = runs.filter { !$0.success }.count
        let label = "\(escape(probe)): latency of the latest \(runs.count) runs, \(failures) failed"
        var svg = "<svg class=\"chart\" viewBox=\"0 0 720 160\" role=\"img\" aria-label=\"\(label)\" "
        svg += "data-probe=\"\(escape(probe))\" xmlns=\"http://www.w3.org/2000/svg\"><title>\(label)</title>\n"
        svg +=
            "<line class=\"axis\" x1=\"\(plot.left)\" y1=\"\(plot.bottom)\" x2=\"\(plot.right)\" y2=\"\(plot.bottom)\"/>"
        svg += "<text x=\"4\" y=\"\(plot.top + 4)\">\(milliseconds(top))</text>"
        svg += "<text x=\"4\" y=\"\(plot.bottom)\">0 ms</text>\n"
        let thresholdY = coordinate(y(threshold))
        svg += "<line class=\"threshold\" data-threshold=\"\(threshold)\" x1=\"\(plot.left)\" y1=\"\(thresholdY)\" "
        svg += "x2=\"\(plot.right)\" y2=\"\(thresholdY)\"><title>SLA \(milliseconds(threshold))</title></line>"
        svg += "<text class=\"threshold-label\" x=\"\(plot.right)\" y=\"\(coordinate(y(threshold) - 4))\" "
        svg += "text-anchor=\"end\">SLA \(milliseconds(threshold))</text>\n"
        if runs.isEmpty {
            svg += "<text x=\"\(plot.left + 8)\" y=\"\(plot.top + height / 2)\">no runs yet</text>\n"
        } else {
            let points = runs.indices.map { "\(coordinate(x($0))),\(coordinate(y(Double(runs[$0].latency))))" }
            svg += "<polyline class=\"latency\" points=\"\(points.joined(separator: " "))\"/>\n"
            for (index, run) in runs.enumerated() where !run.success {
                svg += "<circle class=\"failure\" cx=\"\(coordinate(x(index)))\" "
                svg += "cy=\"\(coordinate(y(Double(run.latency))))\" r=\"4\">"
                svg += "<title>failed, \(milliseconds(Double(run.latency)))</title></circle>\n"
            }
            svg += "<text x=\"\(plot.left)\" y=\"154\">\(timestamp(runs[0].startedAt))</text>"
            svg +=
                "<text x=\"\(plot.right)\" y=\"154\" text-anchor=\"end\">\(timestamp(runs[runs.count - 1].startedAt))"
            svg += "</text>\n"
        }
        return svg + "</svg>\n"
    }

    /// A coordinate with one decimal.
    private static func coordinate(_ value: Double) -> String {
        PrintfFormat.string("%.1f", value)
    }
}

import Foundation
import SlaprobeTesting

/// Resource use of a running process, read from `/proc/<pid>`.
struct ProcessStats: CustomStringConvertible {
    /// Open file descriptors.
    var openFDs: Int
    /// Resident set size, KiB.
    var rssKiB: Int
    /// Threads.
    var threads: Int
    /// User plus system CPU time, seconds.
    var cpuSeconds: Double

    /// Reads the stats of `pid`; throws when the process is gone.
    static func read(_ pid: Int32) throws -> ProcessStats {
        let fds = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        func field(_ name: String) -> Int {
            for line in status.split(separator: "\n") where line.hasPrefix(name + ":") {
                let digits = line.dropFirst(name.count + 1).filter { $0.isNumber }
                return Int(digits) ?? -1
            }
            return -1
        }
        // Fields 14 and 15 of /proc/<pid>/stat (after the parenthesised command name) are utime and stime, in ticks.
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        let afterName = stat[stat.index(after: stat.lastIndex(of: ")")!)...].split(separator: " ")
        let ticks = (Double(afterName[11]) ?? 0) + (Double(afterName[12]) ?? 0)
        let hertz = Double(sysconf(Int32(_SC_CLK_TCK)))
        return ProcessStats(openFDs: fds, rssKiB: field("VmRSS"), threads: field("Threads"), cpuSeconds: ticks / hertz)
    }

    var description: String {
        "fds=\(openFDs) rss=\(rssKiB) KiB threads=\(threads) cpu=\(String(format: "%.2f", cpuSeconds))s"
    }

    /// The machine's 1-minute load average, for context in reports.
    static var loadAverage: String {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first.map(String.init)
            ?? "?"
    }
}

/// Readings from slaprobe's `/metrics` text.
enum Metrics {
    /// Cumulative `slaprobe_scheduler_lag_seconds` buckets by `le` (with "+Inf"), plus the count.
    static func lagBuckets(_ text: String) -> [String: Double] {
        var buckets: [String: Double] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("slaprobe_scheduler_lag_seconds_bucket{le=\"") {
            guard let match = line.firstMatch(of: /le="([^"]+)"\} (\S+)/), let value = Double(match.2) else {
                continue
            }
            buckets[String(match.1)] = value
        }
        buckets["count"] = Harness.sample(text, "slaprobe_scheduler_lag_seconds_count")
        return buckets
    }

    /// The share of scheduler starts in `after` but not in `before` that lagged at most `bound` seconds (the
    /// `le` label as rendered, e.g. "0.01"), and how many starts that was.
    static func lagShare(
        before: [String: Double],
        after: [String: Double],
        within bound: String
    ) -> (share: Double, starts: Double) {
        let starts = (after["count"] ?? 0) - (before["count"] ?? 0)
        let fast = (after[bound] ?? 0) - (before[bound] ?? 0)
        return (starts > 0 ? fast / starts : 1, starts)
    }

    /// A probe's entry from `/api/v1/probes`.
    static func probe(_ json: String, _ name: String) -> [String: Any]? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
            let probes = object["probes"] as? [[String: Any]]
        else { return nil }
        return probes.first { $0["name"] as? String == name }
    }

    /// A probe's recent results from `/api/v1/probes`, newest first.
    static func recent(_ json: String, _ name: String) -> [[String: Any]] {
        probe(json, name)?["recent"] as? [[String: Any]] ?? []
    }
}

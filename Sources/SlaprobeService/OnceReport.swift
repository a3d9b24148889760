import Config
import Foundation
import HTTPClient
import JSON
import Probing

/// The results of running every configured probe once, for `slaprobe once`.
package struct OnceReport: Sendable {
    /// One result per probe, in configuration order.
    package var results: [ProbeResult]

    /// Whether every probe succeeded.
    package var allSucceeded: Bool { results.allSatisfy(\.success) }

    /// Loads the configuration and runs each probe once, all at the same time.
    package static func run(source: ConfigSource, shard: Shard = .all) async throws -> OnceReport {
        var config = try source.load()
        config.probes = config.probes.filter { shard.owns($0.name) }
        let loop = TransferLoop(name: "slaprobe-once")
        loop.start()
        defer { loop.shutdown() }
        let results = await withTaskGroup(of: (Int, ProbeResult).self) { group in
            for (index, probe) in config.probes.enumerated() {
                group.addTask {
                    let result = await withCheckedContinuation { continuation in
                        ProbeExecution.run(probe, on: loop, userAgent: Version.userAgent) {
                            continuation.resume(returning: $0)
                        }
                    }
                    return (index, result)
                }
            }
            return await group.reduce(into: [(Int, ProbeResult)]()) { $0.append($1) }.sorted { $0.0 < $1.0 }.map(\.1)
        }
        return OnceReport(results: results)
    }

    /// A fixed-width table of phases (milliseconds) and outcomes.
    package func table() -> String {
        let header = [
            "PROBE", "RESULT", "STATUS", "DNS", "CONNECT", "TLS", "PROCESSING", "TRANSFER", "TOTAL", "CACHE", "DETAIL",
        ]
        var rows = [header]
        for r in results {
            let t = r.timings
            rows.append(
                [
                    r.probe, r.success ? "ok" : "FAIL (\(r.failure!.rawValue))", r.status == 0 ? "-" : String(r.status),
                    ms(t.dns), ms(t.connect), ms(t.tls), ms(t.processing), ms(t.transfer), ms(r.latency),
                    r.cache.rawValue, r.message ?? "",
                ]
            )
        }
        let widths = (0..<header.count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n") + "\n"
    }

    /// The results as JSON, phases in seconds.
    package func json() -> String {
        let items = results.map { r in
            JSONText.object([
                ("probe", .string(r.probe)),
                ("success", .raw(String(r.success))),
                ("failure_reason", r.failure.map { .string($0.rawValue) } ?? .raw("null")),
                ("message", r.message.map { .string($0) } ?? .raw("null")),
                ("status", .raw(String(r.status))),
                ("request_id", .string(r.requestID)),
                ("cache", .string(r.cache.rawValue)),
                ("latency_seconds", .raw(String(r.latency))),
                (
                    "phases",
                    .raw(JSONText.object(r.timings.named.map { ($0.phase + "_seconds", .raw(String($0.seconds))) }))
                ),
            ])
        }
        return "[" + items.joined(separator: ",\n ") + "]\n"
    }

    private func ms(_ seconds: Double) -> String { String(format: "%.2fms", seconds * 1000) }
}

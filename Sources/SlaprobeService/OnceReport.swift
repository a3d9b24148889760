import Config
import FoundationEssentials
import HTTPClient
import JSON
import Probing

/// The results of running every configured probe once, for `slaprobe once`.
package struct OnceReport: Sendable {
    /// One result per probe, in configuration order.
    package var results: [ProbeResult]
    /// The names of the probes whose URL is plain `http` (they have no TLS phase).
    package var plainHTTPProbes: Set<String>
    /// How many probes the configuration has, before `--shard` selected its share.
    package var configuredProbes: Int

    /// Creates a report.
    package init(results: [ProbeResult], plainHTTPProbes: Set<String> = [], configuredProbes: Int? = nil) {
        self.results = results
        self.plainHTTPProbes = plainHTTPProbes
        self.configuredProbes = configuredProbes ?? results.count
    }

    /// Whether every probe succeeded.
    package var allSucceeded: Bool { results.allSatisfy(\.success) }

    /// Loads the configuration and runs each probe once, all at the same time.
    package static func run(source: ConfigSource, shard: Shard = .all) async throws -> OnceReport {
        var config = try source.load()
        let configured = config.probes.count
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
        let plain = config.probes.filter { !$0.url.lowercased().hasPrefix("https:") }.map(\.name)
        return OnceReport(results: results, plainHTTPProbes: Set(plain), configuredProbes: configured)
    }

    /// A fixed-width table of phases (milliseconds) and outcomes; `-` marks a phase that did not happen.
    package func table() -> String {
        let header = [
            "PROBE", "RESULT", "STATUS", "DNS", "CONNECT", "TLS", "PROCESSING", "TRANSFER", "TOTAL", "CACHE", "DETAIL",
        ]
        var rows = [header]
        for r in results {
            var row = [
                r.probe, r.success ? "ok" : "FAIL (\(r.failure!.rawValue))", r.status == 0 ? "-" : String(r.status),
            ]
            row += phases(r.timings, failure: r.failure, probe: r.probe).map { $0.seconds.map(ms) ?? "-" }
            row += [ms(r.latency), r.cache.rawValue, r.message ?? ""]
            rows.append(row)
            // A journey's steps under it: each step's outcome, status, phases of its last request and latency.
            for step in r.steps {
                var stepRow = [
                    "  " + step.name, step.success ? "ok" : "FAIL (\(step.failure!.rawValue))",
                    step.status == 0 ? "-" : String(step.status),
                ]
                // A step cut short by the journey's timeout sent no request.
                let stepPhases = phases(step.timings, failure: step.failure, probe: r.probe)
                stepRow += stepPhases.map { step.requestID.isEmpty ? "-" : $0.seconds.map(ms) ?? "-" }
                let detail = ["request_id=\(step.requestID)"] + (step.message.map { [$0] } ?? [])
                stepRow += [ms(step.latency), "-", detail.joined(separator: " ")]
                rows.append(stepRow)
            }
        }
        let widths = (0..<header.count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padded(to: widths[index])
            }.joined(separator: "  ").replacing(/\ +$/, with: "")
        }.joined(separator: "\n") + "\n"
    }

    /// The results as JSON, phases in seconds (to the microsecond libcurl measures); `null` for a status that
    /// never arrived and for a phase that did not happen.
    package func json() -> String {
        let items = results.map { r in
            JSONText.object([
                ("probe", .string(r.probe)),
                ("success", .raw(String(r.success))),
                ("failure_reason", r.failure.map { .string($0.rawValue) } ?? .raw("null")),
                ("message", r.message.map { .string($0) } ?? .raw("null")),
                ("status", .raw(r.status == 0 ? "null" : String(r.status))),
                ("request_id", .string(r.requestID)),
                ("trace_id", r.traceID.map { .string($0) } ?? .raw("null")),
                ("cache", .string(r.cache.rawValue)),
                ("latency_seconds", .raw(Self.seconds(r.latency))),
                (
                    "phases",
                    .raw(
                        JSONText.object(
                            phases(r.timings, failure: r.failure, probe: r.probe).map {
                                ($0.phase + "_seconds", .raw($0.seconds.map(Self.seconds) ?? "null"))
                            }
                        )
                    )
                ),
                ("steps", .raw(Self.steps(r.steps))),
            ])
        }
        return "[" + items.joined(separator: ",\n ") + "]\n"
    }

    /// The phases as they happened: no TLS phase for plain `http`, and a run that failed in name resolution,
    /// connecting or the TLS handshake spent all its time in that phase and none in the later ones (libcurl
    /// leaves the unreached timestamps at zero, which would put the whole time under processing).
    private func phases(
        _ timings: PhaseTimings,
        failure: FailureReason?,
        probe: String
    ) -> [(phase: String, seconds: Double?)] {
        let failedPhase: String? =
            switch failure {
            case .dns: "dns"
            case .connect: "connect"
            case .tls: "tls"
            default: nil
            }
        var elapsed = 0.0
        var reachedFailure = false
        return timings.named.map { phase, seconds in
            if phase == "tls" && plainHTTPProbes.contains(probe) { return (phase, nil) }
            if reachedFailure { return (phase, nil) }
            if phase == failedPhase {
                reachedFailure = true
                return (phase, max(0, timings.total - elapsed))
            }
            elapsed += seconds
            return (phase, seconds)
        }
    }

    /// A journey's steps as JSON (an empty list for other probes).
    private static func steps(_ steps: [StepResult]) -> String {
        "["
            + steps.map { step in
                JSONText.object([
                    ("name", .string(step.name)),
                    ("success", .raw(String(step.success))),
                    ("failure_reason", step.failure.map { .string($0.rawValue) } ?? .raw("null")),
                    ("message", step.message.map { .string($0) } ?? .raw("null")),
                    ("status", .raw(step.status == 0 ? "null" : String(step.status))),
                    ("request_id", .string(step.requestID)),
                    ("attempts", .raw(String(step.attempts))),
                    ("latency_seconds", .raw(Self.seconds(step.latency))),
                ])
            }.joined(separator: ",") + "]"
    }

    private func ms(_ seconds: Double) -> String { PrintfFormat.string("%.2fms", seconds * 1000) }

    /// Seconds to the microsecond in plain decimal notation: `0.007499`, not `0.0074990000000000005`, and
    /// `0.000068`, not `6.8e-05`.
    static func seconds(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        var text = PrintfFormat.string("%.6f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }
}

import Exposition
import Locking
import Logging
import Probing

/// Logs what probe results mean for the operator: one line when a probe starts failing (at warning, with the
/// reason, status, request ID and failure message) and one when it recovers (at info), and one line per run
/// as ``ResultLogMode`` asks (`msg="probe run failed"` at warning, `msg="probe run"` at info). Results arrive
/// here from the scheduler beside ``ProbeStore``.
final class ProbeResultLog: Sendable {
    private let logger: Logger
    private let mode: ResultLogMode
    private let changes = Locked(ProbeHealthChanges())

    /// Creates a log writing to `logger`, with a line per run as `mode` says.
    init(logger: Logger, mode: ResultLogMode = .failures) {
        self.logger = logger
        self.mode = mode
    }

    /// Takes one result; logs its run line if `mode` asks for one, then a line if it changes the probe's health.
    func record(_ result: ProbeResult) {
        if mode == .all || (mode == .failures && !result.success) {
            let metadata = Self.runMetadata(result)
            if result.success {
                logger.info("probe run", metadata: metadata)
            } else {
                logger.warning("probe run failed", metadata: metadata)
            }
        }
        guard let change = changes.withLock({ $0.observe(probe: result.probe, success: result.success) }) else {
            return
        }
        switch change {
        case .failing(let first):
            var metadata: Logger.Metadata = [
                "probe": "\(result.probe)",
                "reason": "\(result.failure?.rawValue ?? "unknown")",
                "request_id": "\(result.requestID)",
            ]
            if result.status > 0 { metadata["status"] = "\(result.status)" }
            if let message = result.message { metadata["error"] = "\(message)" }
            if first { metadata["first_run"] = "true" }
            logger.warning("probe failing", metadata: metadata)
        case .recovered(let failedRuns):
            logger.info(
                "probe recovered",
                metadata: [
                    "probe": "\(result.probe)", "failed_runs": "\(failedRuns)", "request_id": "\(result.requestID)",
                ]
            )
        }
    }

    /// The fields of a run's line: `probe`, `result`, `latency` (seconds), `status` (when a response came),
    /// `request_id` and `trace_id`; a failed run adds `reason` and `error`, and a failed journey run `step`,
    /// the step it stopped at, whose request id and status are then the ones given. No URL is logged, and the
    /// failure message never holds a secret or a response body.
    static func runMetadata(_ result: ProbeResult) -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            "probe": "\(result.probe)",
            "result": "\(result.success ? "success" : "failure")",
            "latency": "\(ExpositionWriter.format(result.latency))",
            "request_id": "\(result.requestID)",
        ]
        var status = result.status
        if let trace = result.traceID { metadata["trace_id"] = "\(trace)" }
        if let failure = result.failure {
            metadata["reason"] = "\(failure.rawValue)"
            if let step = result.steps.last(where: { !$0.success }) {
                metadata["step"] = "\(step.name)"
                metadata["request_id"] = "\(step.requestID)"
                status = step.status
            }
            if let message = result.message { metadata["error"] = "\(message)" }
        }
        if status > 0 { metadata["status"] = "\(status)" }
        return metadata
    }

    /// Forgets probes no longer configured.
    func keep(only probes: Set<String>) {
        changes.withLock { $0.keep(only: probes) }
    }
}

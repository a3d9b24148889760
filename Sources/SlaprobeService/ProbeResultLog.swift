import Locking
import Logging
import Probing

/// Logs what probe results mean for the operator: one line when a probe starts failing (at warning, with the
/// reason, status, request ID and failure message) and one when it recovers (at info). Results arrive here
/// from the scheduler beside ``ProbeStore``; a line for every run could be added here too.
final class ProbeResultLog: Sendable {
    private let logger: Logger
    private let changes = Locked(ProbeHealthChanges())

    /// Creates a log writing to `logger`.
    init(logger: Logger) {
        self.logger = logger
    }

    /// Takes one result; logs a line if it changes the probe's health.
    func record(_ result: ProbeResult) {
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

    /// Forgets probes no longer configured.
    func keep(only probes: Set<String>) {
        changes.withLock { $0.keep(only: probes) }
    }
}

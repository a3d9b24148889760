import Exposition
import Probing

/// One probe request's outcome, fed into a ``RollingWindow`` or ``WindowSet``.
package struct Sample: Sendable {
    /// End-to-end latency in seconds. Stored with microsecond resolution (see ``RollingWindow``).
    package var latency: Double
    /// Whether the request met the probe's success criteria.
    package var success: Bool
    /// Cache outcome reported by the target for this request.
    package var cache: CacheOutcome
    /// Request ID sent to (or returned by) the target, kept as evidence for slow and failing requests.
    package var requestID: String
    /// Why the request failed (for example `"status 503"` or `"timeout"`); ignored when `success` is true.
    package var failureReason: String?
    /// The trace id of the run, kept as evidence beside the request ID.
    package var traceID: TraceID?

    /// Creates a sample.
    package init(
        latency: Double,
        success: Bool,
        cache: CacheOutcome = .unknown,
        requestID: String = "",
        failureReason: String? = nil,
        traceID: TraceID? = nil
    ) {
        self.traceID = traceID
        self.latency = latency
        self.success = success
        self.cache = cache
        self.requestID = requestID
        self.failureReason = failureReason
    }

    /// The sample of one probe run: its latency, outcome, cache outcome, request ID, failure reason and trace ID.
    package init(_ result: ProbeResult) {
        self.init(
            latency: result.latency,
            success: result.success,
            cache: result.cache,
            requestID: result.requestID,
            failureReason: result.failure?.rawValue,
            traceID: result.traceID.flatMap(TraceID.init)
        )
    }
}

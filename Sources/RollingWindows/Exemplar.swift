/// A concrete request kept as evidence: one of the slowest requests or one of the most recent failures in a window.
/// The evaluator quotes these as `request_ids` and `trace_ids` (and `failure_reasons`) in its notifications.
package struct Exemplar: Sendable, Equatable {
    /// Request ID of the sample.
    package var requestID: String
    /// Latency in seconds, exactly as recorded (not quantized).
    package var latency: Double
    /// Monotonic time (seconds) at which the sample was recorded.
    package var time: Double
    /// Failure reason of a failing sample (also in ``WindowStats/slowest``); `nil` for successful samples and
    /// for failures recorded without a reason.
    package var reason: String?
    /// Trace id (32 hex digits) of the run, when it had one.
    package var traceID: String?

    /// Creates an exemplar.
    package init(
        requestID: String,
        latency: Double = 0,
        time: Double = 0,
        reason: String? = nil,
        traceID: String? = nil
    ) {
        self.requestID = requestID
        self.traceID = traceID
        self.latency = latency
        self.time = time
        self.reason = reason
    }
}

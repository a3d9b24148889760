/// A concrete request kept as evidence: one of the slowest requests or one of the most recent failures in a window.
public struct Exemplar: Sendable, Equatable {
    /// Request ID of the sample.
    public var requestID: String
    /// Latency in seconds, exactly as recorded (not quantized).
    public var latency: Double
    /// Monotonic time (seconds) at which the sample was recorded.
    public var time: Double
    /// Failure reason of a failing sample (also in ``WindowStats/slowest``); `nil` for successful samples and
    /// for failures recorded without a reason.
    public var reason: String?

    /// Creates an exemplar.
    public init(requestID: String, latency: Double, time: Double, reason: String? = nil) {
        self.requestID = requestID
        self.latency = latency
        self.time = time
        self.reason = reason
    }
}

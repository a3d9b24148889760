/// One probe request's outcome, fed into a ``RollingWindow`` or ``WindowSet``.
public struct Sample: Sendable {
    /// End-to-end latency in seconds. Stored with microsecond resolution (see ``RollingWindow``).
    public var latency: Double
    /// Whether the request met the probe's success criteria.
    public var success: Bool
    /// Cache outcome reported by the target for this request.
    public var cache: CacheOutcome
    /// Request ID sent to (or returned by) the target, kept as evidence for slow and failing requests.
    public var requestID: String
    /// Why the request failed (for example `"status 503"` or `"timeout"`); ignored when `success` is true.
    public var failureReason: String?

    /// Creates a sample.
    public init(
        latency: Double,
        success: Bool,
        cache: CacheOutcome = .unknown,
        requestID: String = "",
        failureReason: String? = nil
    ) {
        self.latency = latency
        self.success = success
        self.cache = cache
        self.requestID = requestID
        self.failureReason = failureReason
    }
}

import HTTPClient

/// The outcome of one probe run: what the scheduler hands to the windows and counters.
package struct ProbeResult: Sendable {
    /// The configured probe name.
    package var probe: String
    /// Wall-clock start, Unix seconds.
    package var startedAt: Double
    /// Monotonic start, seconds (for the rolling windows).
    package var monotonicStart: Double
    /// Phase timings of the main request.
    package var timings: PhaseTimings
    /// Latency the windows and histograms record: the main request's total, or the timeout for a timed-out request.
    package var latency: Double
    /// HTTP status of the main request, 0 when none arrived.
    package var status: Int
    /// Body bytes read.
    package var bytes: Int
    /// Cache outcome from the configured header.
    package var cache: CacheOutcome
    /// Cache lookups the target's own `/metrics` counters moved by since the previous run (`cache.source: metrics`).
    package var cacheLookups: (hits: Int, misses: Int)?
    /// Failure reason, `nil` when the probe succeeded.
    package var failure: FailureReason?
    /// A human-readable detail of the failure (never contains secrets or response bodies).
    package var message: String?
    /// The `X-Request-ID` of the main request.
    package var requestID: String
    /// Earliest certificate expiry of an `https` target, Unix seconds.
    package var certificateExpiry: Double?
    /// The trace id (32 hex digits) every request of the run carried in its `traceparent`.
    package var traceID: String?
    /// A journey's steps in run order, up to the one that failed; empty for other probes.
    package var steps: [StepResult]

    /// Whether the probe succeeded.
    package var success: Bool { failure == nil }

    /// Creates a result.
    package init(
        probe: String,
        startedAt: Double,
        monotonicStart: Double,
        timings: PhaseTimings = PhaseTimings(),
        latency: Double = 0,
        status: Int = 0,
        bytes: Int = 0,
        cache: CacheOutcome = .unknown,
        cacheLookups: (hits: Int, misses: Int)? = nil,
        failure: FailureReason? = nil,
        message: String? = nil,
        requestID: String,
        certificateExpiry: Double? = nil,
        traceID: String? = nil,
        steps: [StepResult] = []
    ) {
        self.probe = probe
        self.startedAt = startedAt
        self.monotonicStart = monotonicStart
        self.timings = timings
        self.latency = latency
        self.status = status
        self.bytes = bytes
        self.cache = cache
        self.cacheLookups = cacheLookups
        self.failure = failure
        self.message = message
        self.requestID = requestID
        self.certificateExpiry = certificateExpiry
        self.traceID = traceID
        self.steps = steps
    }
}

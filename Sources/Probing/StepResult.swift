import HTTPClient

/// The outcome of one step of a journey run (``ProbeResult/steps``).
package struct StepResult: Sendable {
    /// The step name.
    package var name: String
    /// Seconds from the step's start to its deciding response; for a polled step, to the first response that
    /// satisfied it; for a step that timed out, at least its deadline.
    package var latency: Double
    /// HTTP status of the step's last response, 0 when none arrived.
    package var status: Int
    /// Failure reason, `nil` when the step succeeded.
    package var failure: FailureReason?
    /// A human-readable detail of the failure (never contains secrets or response bodies).
    package var message: String?
    /// The `X-Request-ID` of the step's last request.
    package var requestID: String
    /// Phase timings of the step's last request.
    package var timings: PhaseTimings
    /// Requests sent (more than one for a polled step).
    package var attempts: Int

    /// Whether the step succeeded.
    package var success: Bool { failure == nil }

    /// Creates a step result.
    package init(
        name: String,
        latency: Double,
        status: Int = 0,
        failure: FailureReason? = nil,
        message: String? = nil,
        requestID: String,
        timings: PhaseTimings = PhaseTimings(),
        attempts: Int = 1
    ) {
        self.name = name
        self.latency = latency
        self.status = status
        self.failure = failure
        self.message = message
        self.requestID = requestID
        self.timings = timings
        self.attempts = attempts
    }
}

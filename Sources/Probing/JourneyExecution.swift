import Config
import FoundationEssentials
import HTTPClient

/// Runs one journey once on a ``TransferLoop``: its steps in order, each a fresh request with its own
/// `X-Request-ID` and one trace id for the whole run, and hands the ``ProbeResult`` to a completion on the loop
/// thread.
///
/// A step passes when its status is expected, its assertions hold and its extractions find their values. A polled
/// step repeats (on the loop's timers) while its assertions or extractions fail, until its deadline; a transport
/// error or an unexpected status ends it at once. The run stops at the first failing step with that step's reason
/// (`timeout` when a poll deadline passes). The whole run is bounded by the probe's `timeout`: each request is
/// limited to the time left, and a run that reaches the timeout counts at least the timeout.
package enum JourneyExecution {
    /// The state of one run, carried from step to step.
    private struct Run: Sendable {
        let probe: ProbeConfig
        let steps: [JourneyStep]
        let requests: JourneyRequests
        let traceID: String
        let user: String
        let startedAt: Date
        let start: UInt64
        let deadline: UInt64
        var vars: [String: String] = [:]
        var results: [StepResult] = []
        var bytes = 0
        var certificateExpiry: Double?
    }

    /// A judged response.
    private enum Verdict {
        case pass([String: String])
        /// A failure; `retryable` when a poll may ask again (assertions or extractions, not transport or status).
        case fail(FailureReason, String, retryable: Bool)
    }

    /// Starts the run; `completion` is called exactly once, on the loop thread.
    package static func run(
        _ probe: ProbeConfig,
        on loop: TransferLoop,
        userAgent: String,
        completion: @escaping @Sendable (ProbeResult) -> Void
    ) {
        let start = MonotonicTime.now()
        let trace = RequestIdentity().traceID
        let run = Run(
            probe: probe,
            steps: probe.journey?.steps ?? [],
            requests: JourneyRequests(probe: probe, userAgent: userAgent),
            traceID: trace,
            user: ConfigDefaults.journeyUserPrefix + UUID().uuidString.lowercased(),
            startedAt: Date(),
            start: start,
            deadline: start + probe.timeout.inNanoseconds
        )
        guard !run.steps.isEmpty else {
            finish(run, failure: (.other, "the journey has no steps"), completion: completion)
            return
        }
        attempt(run, step: 0, stepStart: start, attempts: 1, on: loop, completion: completion)
    }

    /// Sends one request of step `index` (the first, or a poll's next).
    private static func attempt(
        _ run: Run,
        step index: Int,
        stepStart: UInt64,
        attempts: Int,
        on loop: TransferLoop,
        completion: @escaping @Sendable (ProbeResult) -> Void
    ) {
        let step = run.steps[index]
        let attemptStart = MonotonicTime.now()
        // Less than a millisecond left: no request could finish in it.
        guard run.deadline > attemptStart + 1_000_000 else {
            var run = run
            let latency = Double(attemptStart - stepStart) / 1e9
            let message = "the journey's timeout \(formatDuration(run.probe.timeout)) passed"
            run.results.append(
                StepResult(name: step.name, latency: latency, failure: .timeout, message: message, requestID: "")
            )
            finish(run, failure: (.timeout, "step \(step.name): \(message)"), completion: completion)
            return
        }
        let identity = RequestIdentity(traceID: run.traceID)
        let timeout = min(step.timeout, .nanoseconds(Int64(run.deadline - attemptStart)))
        let request = run.requests.request(
            for: step,
            identity: identity,
            user: run.user,
            vars: run.vars,
            timeout: timeout
        )
        loop.perform(request) { transfer in
            var run = run
            run.bytes += transfer.bytesReceived
            if let expiry = transfer.certificateExpiry {
                run.certificateExpiry = min(run.certificateExpiry ?? expiry, expiry)
            }
            let offset = Double(attemptStart - stepStart) / 1e9
            var result = StepResult(
                name: step.name,
                latency: offset + transfer.timings.total,
                status: transfer.status,
                requestID: identity.requestID,
                timings: transfer.timings,
                attempts: attempts
            )
            switch judge(step, transfer) {
            case .pass(let values):
                run.vars.merge(values) { _, new in new }
                run.results.append(result)
                guard index + 1 < run.steps.count else {
                    finish(run, failure: nil, completion: completion)
                    return
                }
                attempt(
                    run,
                    step: index + 1,
                    stepStart: MonotonicTime.now(),
                    attempts: 1,
                    on: loop,
                    completion: completion
                )
            case .fail(let reason, let message, let retryable):
                if retryable, let poll = step.poll {
                    let stepDeadline = stepStart + poll.deadline.inNanoseconds
                    let limit = min(stepDeadline, run.deadline)
                    let next = max(attemptStart + poll.interval.inNanoseconds, MonotonicTime.now())
                    if next < limit {
                        loop.schedule(at: next) { [run] in
                            attempt(
                                run,
                                step: index,
                                stepStart: stepStart,
                                attempts: attempts + 1,
                                on: loop,
                                completion: completion
                            )
                        }
                        return
                    }
                    // The next ask would come after the deadline: fail when the deadline passes, not before.
                    let what =
                        limit == stepDeadline
                        ? "poll deadline \(formatDuration(poll.deadline))"
                        : "the journey's timeout \(formatDuration(run.probe.timeout))"
                    loop.schedule(at: limit) { [run, result] in
                        var run = run
                        var result = result
                        result.failure = .timeout
                        result.message = "\(what) passed: \(message)"
                        result.latency = max(result.latency, Double(limit - stepStart) / 1e9)
                        run.results.append(result)
                        finish(
                            run,
                            failure: (.timeout, "step \(step.name): \(result.message!)"),
                            completion: completion
                        )
                    }
                    return
                }
                if reason == .timeout {
                    // No coordinated omission: a timed-out request counts at least its full timeout.
                    result.latency = max(result.latency, offset + timeout.inSeconds)
                }
                result.failure = reason
                result.message = message
                run.results.append(result)
                finish(run, failure: (reason, "step \(step.name): \(message)"), completion: completion)
            }
        }
    }

    /// Transport error, then status, then assertions, then extractions.
    private static func judge(_ step: JourneyStep, _ transfer: TransferResult) -> Verdict {
        if let error = transfer.error {
            return .fail(FailureReason(error.kind), error.message, retryable: false)
        }
        if !step.expectStatus.contains(where: { $0.matches(transfer.status) }) {
            return .fail(.httpStatus, "HTTP \(transfer.status) is not an expected status", retryable: false)
        }
        if let failure = BodyAssertionCheck.firstFailure(of: step.assertions, body: transfer.body) {
            return .fail(.assertion, failure, retryable: true)
        }
        switch JourneyRequests.extract(step, from: transfer) {
        case .success(let values): return .pass(values)
        case .failure(let failure): return .fail(.assertion, failure.message, retryable: true)
        }
    }

    /// Hands the run's result to `completion`: latency is the whole run, at least the timeout when the run reached
    /// it; the request id is the first step's.
    private static func finish(
        _ run: Run,
        failure: (reason: FailureReason, message: String)?,
        completion: @escaping @Sendable (ProbeResult) -> Void
    ) {
        let end = MonotonicTime.now()
        var latency = Double(end - run.start) / 1e9
        // A few milliseconds of slack: a request limited to the time left ends just about at the deadline.
        if failure?.reason == .timeout, end + 5_000_000 >= run.deadline {
            latency = max(latency, run.probe.timeout.inSeconds)
        }
        let result = ProbeResult(
            probe: run.probe.name,
            startedAt: run.startedAt.timeIntervalSince1970,
            monotonicStart: Double(run.start) / 1e9,
            timings: run.results.first?.timings ?? PhaseTimings(),
            latency: latency,
            status: run.results.last?.status ?? 0,
            bytes: run.bytes,
            failure: failure?.reason,
            message: failure?.message,
            requestID: run.results.first?.requestID ?? "",
            certificateExpiry: run.certificateExpiry,
            traceID: run.traceID,
            steps: run.results
        )
        completion(result)
    }
}

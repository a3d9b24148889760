import Config
import FoundationEssentials
import HTTPClient
import JSON

/// Runs one probe once on a ``TransferLoop``: the main request, then the follow-up checks its kind asks for,
/// and hands the ``ProbeResult`` to a completion on the loop thread. A journey runs as ``JourneyExecution``.
///
/// Latency is always the main request's; the follow-ups (forged and stale webhooks, checkout replay, the
/// target's cache counters) decide only success and failure reason.
package enum ProbeExecution {
    /// Starts the run; `completion` is called exactly once, on the loop thread.
    package static func run(
        _ probe: ProbeConfig,
        on loop: TransferLoop,
        userAgent: String,
        cacheTracker: CacheCounterTracker? = nil,
        completion: @escaping @Sendable (ProbeResult) -> Void
    ) {
        if probe.kind == .journey {
            JourneyExecution.run(probe, on: loop, userAgent: userAgent, completion: completion)
            return
        }
        let builder = ProbeRequests(probe: probe, userAgent: userAgent)
        let identity = RequestIdentity()
        let startedAt = Date()
        let monotonicStart = MonotonicTime.seconds()
        let request = builder.main(identity: identity, now: startedAt)
        loop.perform(request) { transfer in
            let result = evaluateMain(
                probe,
                transfer: transfer,
                identity: identity,
                startedAt: startedAt,
                monotonicStart: monotonicStart
            )
            guard result.success else {
                completion(result)
                return
            }
            var followUps: [FollowUp] = []
            if probe.kind == .webhook && probe.negativeCases {
                followUps.append(.mustRefuse(builder.forgedWebhook(from: request), "a webhook with a forged signature"))
                followUps.append(.mustRefuse(builder.staleWebhook(from: request), "a webhook with a stale timestamp"))
            }
            if probe.kind == .checkout && probe.idempotencyReplay {
                followUps.append(.sameSession(builder.checkoutReplay(from: request), original: transfer.body))
            }
            if case .metrics(let url) = probe.cache, let cacheTracker {
                followUps.append(.cacheCounters(builder.cacheMetrics(url: url), cacheTracker))
            }
            runFollowUps(followUps[...], on: loop, result: result, completion: completion)
        }
    }

    /// A check made after a successful main request.
    private enum FollowUp: Sendable {
        case mustRefuse(ClientRequest, String)
        case sameSession(ClientRequest, original: [UInt8])
        case cacheCounters(ClientRequest, CacheCounterTracker)
    }

    private static func runFollowUps(
        _ followUps: ArraySlice<FollowUp>,
        on loop: TransferLoop,
        result: ProbeResult,
        completion: @escaping @Sendable (ProbeResult) -> Void
    ) {
        guard let next = followUps.first else {
            completion(result)
            return
        }
        let rest = followUps.dropFirst()
        let request: ClientRequest
        switch next {
        case .mustRefuse(let r, _), .sameSession(let r, _), .cacheCounters(let r, _): request = r
        }
        loop.perform(request) { transfer in
            var result = result
            switch next {
            case .mustRefuse(_, let what):
                if let error = transfer.error {
                    result.failure = FailureReason(error.kind)
                    result.message = "sending \(what): \(error.message)"
                } else if !(400...499).contains(transfer.status) {
                    result.failure = .assertion
                    result.message = "the target answered \(what) with HTTP \(transfer.status), expected a 4xx refusal"
                }
            case .sameSession(_, let original):
                if let error = transfer.error {
                    result.failure = FailureReason(error.kind)
                    result.message = "replaying the Idempotency-Key: \(error.message)"
                } else if !(200...299).contains(transfer.status) {
                    result.failure = .assertion
                    result.message = "replaying the Idempotency-Key returned HTTP \(transfer.status)"
                } else if sessionIdentity(original) != sessionIdentity(transfer.body) {
                    result.failure = .assertion
                    result.message = "replaying the Idempotency-Key returned a different checkout session"
                }
            case .cacheCounters(_, let tracker):
                if transfer.error == nil, transfer.status == 200,
                    let delta = tracker.delta(fromExposition: transfer.bodyString)
                {
                    result.cacheLookups = delta
                }
            }
            guard result.success else {
                completion(result)
                return
            }
            runFollowUps(rest, on: loop, result: result, completion: completion)
        }
    }

    /// Judges the main transfer: transport error, then status, then body assertions.
    static func evaluateMain(
        _ probe: ProbeConfig,
        transfer: TransferResult,
        identity: RequestIdentity,
        startedAt: Date,
        monotonicStart: Double
    ) -> ProbeResult {
        var result = ProbeResult(
            probe: probe.name,
            startedAt: startedAt.timeIntervalSince1970,
            monotonicStart: monotonicStart,
            timings: transfer.timings,
            latency: transfer.timings.total,
            status: transfer.status,
            bytes: transfer.bytesReceived,
            cache: cacheOutcome(probe, transfer),
            requestID: identity.requestID,
            certificateExpiry: transfer.certificateExpiry,
            traceID: identity.traceID
        )
        if let error = transfer.error {
            result.failure = FailureReason(error.kind)
            result.message = error.message
            if error.kind == .timeout {
                // No coordinated omission: a timed-out probe counts at least its full timeout.
                result.latency = max(result.latency, probe.timeout.inSeconds)
            }
            return result
        }
        if !probe.expectStatus.contains(where: { $0.matches(transfer.status) }) {
            result.failure = .httpStatus
            result.message = "HTTP \(transfer.status) is not an expected status"
            return result
        }
        if let failure = BodyAssertionCheck.firstFailure(of: probe.assertions, body: transfer.body) {
            result.failure = .assertion
            result.message = failure
        }
        return result
    }

    private static func cacheOutcome(_ probe: ProbeConfig, _ transfer: TransferResult) -> CacheOutcome {
        guard case .header(let name) = probe.cache, let value = transfer.header(name)?.lowercased() else {
            return .unknown
        }
        if value.contains("hit") { return .hit }
        if value.contains("miss") { return .miss }
        return .unknown
    }

    /// The checkout session a response names: its `id`, `session_id` or `url`, else the whole body.
    private static func sessionIdentity(_ body: [UInt8]) -> String {
        if let document = JSONNode(parsing: body) {
            for key in ["id", "session_id", "url"] {
                if let value = document[key]?.string { return value }
            }
        }
        return String(decoding: body, as: UTF8.self)
    }
}

import HTTPClient
import Probing

/// A probe's latest results, newest first, at most `limit`: the newest as it came, the older ones packed (their
/// request and trace IDs without a heap object each) and rebuilt as ``ProbeResult``s when read.
///
/// `/metrics` reads only the newest, on every scrape; `/api/v1/probes`, the status page and journey alerts read
/// the older ones now and then. Twenty full results were about 10 KB a probe, half of it the two ID strings.
package struct RecentResults: RandomAccessCollection, Sendable {
    /// A result without its probe name (the same for all) and with its IDs packed.
    private struct Packed: Sendable {
        var startedAt: Double
        var monotonicStart: Double
        var timings: PhaseTimings
        var latency: Double
        var bytes: Int
        var certificateExpiry: Double?
        var cacheLookups: (hits: Int, misses: Int)?
        var message: String?
        var steps: [StepResult]
        var requestID: PackedText
        var traceID: PackedText?
        var status: Int
        var cache: CacheOutcome
        var failure: FailureReason?

        init(_ result: ProbeResult) {
            startedAt = result.startedAt
            monotonicStart = result.monotonicStart
            timings = result.timings
            latency = result.latency
            bytes = result.bytes
            certificateExpiry = result.certificateExpiry
            cacheLookups = result.cacheLookups
            message = result.message
            steps = result.steps
            requestID = PackedText(result.requestID)
            traceID = result.traceID.map(PackedText.init)
            status = result.status
            cache = result.cache
            failure = result.failure
        }

        func result(probe: String) -> ProbeResult {
            ProbeResult(
                probe: probe,
                startedAt: startedAt,
                monotonicStart: monotonicStart,
                timings: timings,
                latency: latency,
                status: status,
                bytes: bytes,
                cache: cache,
                cacheLookups: cacheLookups,
                failure: failure,
                message: message,
                requestID: requestID.text,
                certificateExpiry: certificateExpiry,
                traceID: traceID?.text,
                steps: steps
            )
        }
    }

    /// Results kept.
    package let limit: Int
    private var newest: ProbeResult?
    /// The older results, a ring of at most `limit - 1`; `next` is where the next one goes (the oldest, once full).
    private var older: [Packed] = []
    private var next = 0

    /// Creates an empty list that keeps `limit` (at least 1) results.
    package init(limit: Int) {
        self.limit = Swift.max(1, limit)
    }

    /// Adds the newest result, forgetting the oldest past ``limit``.
    package mutating func insert(_ result: ProbeResult) {
        if let previous = newest, limit > 1 {
            let packed = Packed(previous)
            if older.count < limit - 1 {
                // Sized once: grown by doubling, 19 results would sit in room for 32.
                if older.isEmpty { older.reserveCapacity(limit - 1) }
                older.append(packed)
            } else {
                older[next] = packed
                next = (next + 1) % older.count
            }
        }
        newest = result
    }

    package var startIndex: Int { 0 }
    package var endIndex: Int { newest == nil ? 0 : older.count + 1 }

    /// The result at `position`: 0 is the newest.
    package subscript(position: Int) -> ProbeResult {
        precondition(position >= 0 && position < endIndex, "index out of range")
        guard let newest else { fatalError("index out of range") }
        if position == 0 { return newest }
        // The ring's newest packed result sits just before `next` (or last, before it wrapped).
        let count = older.count
        let index = ((older.count < limit - 1 ? count : next) - position + 2 * count) % count
        return older[index].result(probe: newest.probe)
    }
}

import Exposition

/// The samples of a ``RollingWindow`` that can still be evidence, with their request IDs, trace ids and failure
/// reasons: the candidates for the five slowest requests of the live slices, and the five latest failures.
///
/// A window's evidence is the five slowest of its live samples (the newer first on a tie) and its five latest
/// failures, and its live samples are always whole slices, the newest ones. So a sample can be dropped for good
/// once five later samples are at least as slow (they outlive it, and rank above it), or once five samples of its
/// own slice rank above it (they live exactly as long). What is left is exact and small: some 25 candidates for
/// 300 samples of random latencies, at most five a slice when latencies only fall. The latest failures are the
/// last five recorded. Keeping the evidence of every sample took 48 bytes a sample, most of a probe's memory.
struct EvidenceLog: Sendable {
    /// One sample kept as evidence: 64 bytes.
    struct Candidate: Sendable {
        /// The slice it was recorded in (see ``TimeSlice/number``).
        var slice: Int
        /// Time it was recorded at (clamped to the latest time seen).
        var time: Double
        /// All-zero for none (W3C trace context declares that id invalid).
        var traceID: TraceID
        var requestID: PackedText
        var micros: UInt32
        /// Later samples at least as slow: at ``RollingWindow/exemplarLimit`` it can no longer be one of the
        /// slowest.
        var beatenBy: UInt8 = 0
        var success: Bool
        /// 0 for none, otherwise an index + 1 into the log's `reasons`.
        var reason: UInt8
    }

    /// How many of the slowest and of the latest failures a window reports.
    let limit: Int
    /// Candidates for the slowest, in record order.
    private(set) var slowest: [Candidate] = []
    /// The latest failures, in record order.
    private(set) var failures: [Candidate] = []
    /// Failure reasons seen, interned: slaprobe's are the eight of `FailureReason`. Past 255 different ones a
    /// failure is kept without its reason.
    private var reasons: [String] = []

    init(limit: Int) {
        self.limit = limit
    }

    /// Adds a logged sample recorded in `slice` (never lower than the previous one's).
    mutating func append(_ sample: Sample, micros: UInt32, time: Double, slice: Int) {
        let candidate = Candidate(
            slice: slice,
            time: time,
            traceID: sample.traceID ?? TraceID(high: 0, low: 0),
            requestID: PackedText(sample.requestID),
            micros: micros,
            success: sample.success,
            reason: sample.success ? 0 : intern(sample.failureReason)
        )
        if !sample.success {
            if failures.count == limit { failures.removeFirst() }
            failures.append(candidate)
        }
        // Every candidate no slower than this sample is beaten once more; count this slice's candidates that
        // rank above it (slower, since it is the newest) on the way.
        var aboveInSlice = 0
        var kept = 0
        for index in slowest.indices {
            var entry = slowest[index]
            if entry.micros <= micros {
                entry.beatenBy += 1
                if Int(entry.beatenBy) >= limit { continue }
            } else if entry.slice == slice {
                aboveInSlice += 1
            }
            slowest[kept] = entry
            kept += 1
        }
        slowest.removeLast(slowest.count - kept)
        guard aboveInSlice < limit else { return }
        slowest.append(candidate)
        // At most `limit` a slice: drop this slice's lowest-ranked candidate (the fastest, the oldest on a tie).
        var inSlice: [Int] = []
        for index in slowest.indices.reversed() {
            guard slowest[index].slice == slice else { break }
            inSlice.append(index)
        }
        if inSlice.count > limit {
            // `inSlice` runs newest first, so `min` finds the oldest of equally fast ones last: compare with <=.
            var lowest = inSlice[0]
            for index in inSlice.dropFirst() where slowest[index].micros <= slowest[lowest].micros {
                lowest = index
            }
            slowest.remove(at: lowest)
        }
    }

    /// Removes the candidates of slices numbered below `slice`.
    mutating func removeSlices(before slice: Int) {
        if let first = slowest.firstIndex(where: { $0.slice >= slice }) {
            slowest.removeFirst(first)
        } else {
            slowest.removeAll()
        }
        failures.removeAll { $0.slice < slice }
    }

    /// The slowest of the samples recorded in `slice` or later, slowest first (the newer first on a tie), and the
    /// latest failures among them, newest first.
    func evidence(fromSlice slice: Int) -> (slowest: [Exemplar], failures: [Exemplar]) {
        var ranked: [Candidate] = []
        for candidate in slowest.reversed() where candidate.slice >= slice {
            // Newest first, so a stable insertion after every candidate at least as slow puts the newer first.
            let position = ranked.firstIndex { $0.micros < candidate.micros } ?? ranked.count
            guard position < limit else { continue }
            ranked.insert(candidate, at: position)
            if ranked.count > limit { ranked.removeLast() }
        }
        let failing = failures.reversed().filter { $0.slice >= slice }.prefix(limit)
        return (ranked.map(exemplar), failing.map(exemplar))
    }

    private func exemplar(_ candidate: Candidate) -> Exemplar {
        let trace = candidate.traceID
        return Exemplar(
            requestID: candidate.requestID.text,
            latency: Double(candidate.micros) / 1e6,
            time: candidate.time,
            reason: candidate.reason == 0 ? nil : reasons[Int(candidate.reason) - 1],
            traceID: trace.high == 0 && trace.low == 0 ? nil : trace.hex
        )
    }

    private mutating func intern(_ reason: String?) -> UInt8 {
        guard let reason else { return 0 }
        if let index = reasons.firstIndex(of: reason) { return UInt8(index + 1) }
        guard reasons.count < Int(UInt8.max) else { return 0 }
        reasons.append(reason)
        return UInt8(reasons.count)
    }

    /// Candidates held, for tests and diagnostics.
    var candidateCount: Int { slowest.count + failures.count }
}

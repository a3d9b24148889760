import Exposition
import Probing

/// The samples of a ``RollingWindow`` in the order they were recorded: latency, time, outcome, cache outcome and
/// request ID of each, 32 bytes apiece and no heap object per sample, plus the 16-byte trace id of each beside. A ring buffer that grows to `maxCount`
/// entries and is trimmed from the front as slices expire.
///
/// One log per window replaced three arrays per slice (latencies, slowest, failing) and a `String` per
/// request ID: a probe with 1m and 5m windows at one run a second went from about 45 KB to about 13 KB.
struct SampleLog: Sendable {
    /// One logged sample.
    struct Entry: Sendable {
        /// Time it was recorded at (clamped to the latest time seen, so entries are in time order).
        var time: Double
        // The request ID's fields, flat: a nested `CompactText` (17 bytes) would pad the entry to 40 bytes.
        private var idHigh: UInt64
        private var idLow: UInt64
        /// Latency in microseconds.
        var micros: UInt32
        private var idKind: UInt8
        /// 0 for none, otherwise an index + 1 into `reasons`, or ``overflow``.
        var reason: UInt8
        var success: Bool
        /// What the target's cache did for the request (fills the entry's last padding byte).
        var cache: CacheOutcome

        init(time: Double, id: CompactText, micros: UInt32, reason: UInt8, success: Bool, cache: CacheOutcome) {
            self.time = time
            idHigh = id.high
            idLow = id.low
            idKind = id.kind
            self.micros = micros
            self.reason = reason
            self.success = success
            self.cache = cache
        }

        /// Request ID, or (`id.kind` == ``overflow``) the key of the `overflow` table in `id.high`.
        var id: CompactText { CompactText(high: idHigh, low: idLow, kind: idKind) }
    }

    /// `reason`, or `id.kind`, of an entry whose strings are in the `overflow` table.
    static let overflow: UInt8 = 0xFE

    private var storage: [Entry] = []
    /// The trace id of each entry, at the same positions as `storage` (all-zero for none). Beside the entries
    /// rather than in them: only evidence reads it, so the quantile passes of every scrape never load it.
    private var traces: [TraceID] = []
    private var head = 0
    private(set) var count = 0
    let maxCount: Int
    /// Failure reasons seen, interned (slaprobe's are a fixed set of eight).
    private var reasons: [String] = []
    /// Request IDs and reasons that do not fit an entry, by key.
    private var overflow: [UInt64: (id: String, reason: String?)] = [:]
    private var nextOverflowKey: UInt64 = 0

    init(maxCount: Int) {
        self.maxCount = maxCount
    }

    /// Entries the buffer can hold before it grows.
    var capacity: Int { storage.count }

    subscript(index: Int) -> Entry {
        let position = head + index
        return storage[position < storage.count ? position : position - storage.count]
    }

    /// Appends a sample; returns false (and logs nothing) when the log already holds `maxCount`.
    @discardableResult
    mutating func append(_ sample: Sample, micros: UInt32, time: Double) -> Bool {
        guard count < maxCount else { return false }
        if count == storage.count { grow() }
        var reason: UInt8 = 0
        if !sample.success, let text = sample.failureReason {
            if let index = reasons.firstIndex(of: text) {
                reason = UInt8(index + 1)
            } else if reasons.count < Int(Self.overflow) - 1 {
                reasons.append(text)
                reason = UInt8(reasons.count)
            } else {
                reason = Self.overflow
            }
        }
        var id = CompactText(sample.requestID)
        if id == nil || reason == Self.overflow {
            let key = nextOverflowKey
            nextOverflowKey &+= 1
            overflow[key] = (sample.requestID, reason == Self.overflow ? sample.failureReason : nil)
            id = CompactText(overflowKey: key)
        }
        let position = head + count
        traces[position < traces.count ? position : position - traces.count] =
            sample.traceID ?? TraceID(high: 0, low: 0)
        storage[position < storage.count ? position : position - storage.count] = Entry(
            time: time,
            id: id!,
            micros: micros,
            reason: reason,
            success: sample.success,
            cache: sample.cache
        )
        count += 1
        return true
    }

    /// Removes the oldest entry.
    mutating func removeFirst() {
        precondition(count > 0)
        let entry = storage[head]
        if entry.id.kind == Self.overflow { overflow[entry.id.high] = nil }
        head += 1
        if head == storage.count { head = 0 }
        count -= 1
    }

    /// The request ID of `entry`.
    func requestID(_ entry: Entry) -> String {
        entry.id.kind == Self.overflow ? overflow[entry.id.high]?.id ?? "" : entry.id.text
    }

    /// The trace id of the entry at `index` (as for the subscript), if it had one.
    func traceID(at index: Int) -> TraceID? {
        let position = head + index
        let trace = traces[position < traces.count ? position : position - traces.count]
        return trace.high == 0 && trace.low == 0 ? nil : trace
    }

    /// The failure reason of `entry`, if it failed with one.
    func reason(_ entry: Entry) -> String? {
        switch entry.reason {
        case 0: return nil
        case Self.overflow: return overflow[entry.id.high]?.reason
        default: return reasons[Int(entry.reason) - 1]
        }
    }

    /// Index of the first entry whose time `isLive` accepts, or `count`. Entries are in time order, so `isLive`
    /// must reject a prefix of them and accept the rest.
    func firstIndex(where isLive: (Double) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if isLive(self[middle].time) { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// Grows by a quarter, never past `maxCount`, so capacity stays within a quarter of the live samples' peak:
    /// a 5m window at one run a second holds about 300 samples, which doubling would keep in a buffer of 512
    /// (8 KB more per probe, at 48 bytes a sample); the few extra copies on the way up cost nothing that matters.
    private mutating func grow() {
        let newCapacity = Swift.min(maxCount, Swift.max(16, storage.count + storage.count / 4))
        var larger: [Entry] = []
        larger.reserveCapacity(newCapacity)
        var largerTraces: [TraceID] = []
        largerTraces.reserveCapacity(newCapacity)
        for index in 0..<count {
            larger.append(self[index])
            largerTraces.append(traceID(at: index) ?? TraceID(high: 0, low: 0))
        }
        largerTraces.append(contentsOf: repeatElement(TraceID(high: 0, low: 0), count: newCapacity - count))
        traces = largerTraces
        let filler = Entry(
            time: 0,
            id: CompactText(overflowKey: 0),
            micros: 0,
            reason: 0,
            success: true,
            cache: .unknown
        )
        larger.append(contentsOf: repeatElement(filler, count: newCapacity - count))
        storage = larger
        head = 0
    }
}

extension CompactText {
    /// A placeholder whose `high` is a key of a ``SampleLog``'s overflow table.
    init(overflowKey: UInt64) {
        self = CompactText("")!
        high = overflowKey
        kind = SampleLog.overflow
    }
}

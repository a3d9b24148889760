import Probing

/// The latencies of a ``RollingWindow``'s logged samples, in the order they were recorded, each with its cache
/// outcome: 5 bytes a sample and no heap object per sample. A ring buffer that grows by a quarter up to `maxCount`
/// entries and is trimmed from the front a whole slice at a time as slices expire.
///
/// It keeps no time per sample: samples arrive in slice order, so the log keeps runs of (slice number, count)
/// instead, at most one per slice. Request IDs, trace ids and failure reasons are kept only for the samples that
/// can still be evidence, in the window's ``EvidenceLog``.
struct LatencyLog: Sendable {
    /// A run of consecutive entries recorded in one slice.
    struct Run: Sendable {
        /// The slice's absolute number (see ``TimeSlice/number``).
        var slice: Int
        var count: Int
    }

    private var micros: [UInt32] = []
    private var caches: [CacheOutcome] = []
    private var head = 0
    private(set) var count = 0
    /// The entries' runs, oldest first.
    private(set) var runs: [Run] = []
    let maxCount: Int

    init(maxCount: Int) {
        self.maxCount = maxCount
    }

    /// Entries the buffer can hold before it grows.
    var capacity: Int { micros.count }

    /// Latency in microseconds of the entry at `index` (0 is the oldest).
    func micros(at index: Int) -> UInt32 { micros[position(index)] }

    /// Cache outcome of the entry at `index`.
    func cache(at index: Int) -> CacheOutcome { caches[position(index)] }

    /// Appends a sample recorded in `slice` (never lower than the previous one's); returns false (and logs
    /// nothing) when the log already holds `maxCount`.
    @discardableResult
    mutating func append(micros value: UInt32, cache: CacheOutcome, slice: Int) -> Bool {
        guard count < maxCount else { return false }
        if count == micros.count { grow() }
        let at = position(count)
        micros[at] = value
        caches[at] = cache
        count += 1
        if let last = runs.indices.last, runs[last].slice == slice {
            runs[last].count += 1
        } else {
            runs.append(Run(slice: slice, count: 1))
        }
        return true
    }

    /// Removes the entries of slices numbered below `slice`.
    mutating func removeSlices(before slice: Int) {
        var expired = 0
        while expired < runs.count, runs[expired].slice < slice {
            head = (head + runs[expired].count) % Swift.max(1, micros.count)
            count -= runs[expired].count
            expired += 1
        }
        if expired > 0 { runs.removeFirst(expired) }
        if count == 0 { head = 0 }
    }

    /// Index of the first entry recorded in `slice` or later, or `count`.
    func firstIndex(fromSlice slice: Int) -> Int {
        var index = 0
        for run in runs {
            if run.slice >= slice { break }
            index += run.count
        }
        return index
    }

    private func position(_ index: Int) -> Int {
        let position = head + index
        return position < micros.count ? position : position - micros.count
    }

    /// Grows by a quarter, never past `maxCount`, so capacity stays within a quarter of the live samples' peak.
    private mutating func grow() {
        let newCapacity = Swift.min(maxCount, Swift.max(16, micros.count + micros.count / 4))
        var larger: [UInt32] = []
        larger.reserveCapacity(newCapacity)
        var largerCaches: [CacheOutcome] = []
        largerCaches.reserveCapacity(newCapacity)
        for index in 0..<count {
            larger.append(micros(at: index))
            largerCaches.append(cache(at: index))
        }
        larger.append(contentsOf: repeatElement(0, count: newCapacity - count))
        largerCaches.append(contentsOf: repeatElement(.unknown, count: newCapacity - count))
        micros = larger
        caches = largerCaches
        head = 0
    }
}

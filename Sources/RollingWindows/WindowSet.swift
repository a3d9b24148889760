/// All rolling windows of one probe (for example 1 minute and 5 minutes, later also 1 hour), fed together.
///
/// A value type like ``RollingWindow``; guard it with a lock (`Locked`) when shared.
package struct WindowSet: Sendable {
    /// The windows, in the order of the lengths given at creation.
    package private(set) var windows: [RollingWindow]

    /// Creates one window per length, all with the same threshold, slice count and cap; the lengths in
    /// `counting` get counting windows (``RollingWindow/keepsSamples`` false).
    package init(
        lengths: [Double],
        threshold: Double,
        counting: Set<Double> = [],
        slices: Int = 30,
        maxLatenciesPerSlice: Int = 512
    ) {
        windows = lengths.map {
            RollingWindow(
                length: $0,
                slices: slices,
                threshold: threshold,
                maxLatenciesPerSlice: maxLatenciesPerSlice,
                keepsSamples: !counting.contains($0)
            )
        }
    }

    /// Window lengths in seconds.
    package var lengths: [Double] { windows.map(\.length) }

    /// The lengths of the counting windows.
    package var countingLengths: Set<Double> { Set(windows.filter { !$0.keepsSamples }.map(\.length)) }

    /// Current latency threshold in seconds.
    package var threshold: Double? { windows.first?.threshold }

    /// Records one sample in every window.
    package mutating func record(_ sample: Sample, at now: Double) {
        for index in windows.indices { windows[index].record(sample, at: now) }
    }

    /// Adds cache lookups to every window (see ``RollingWindow/addCacheLookups(hits:misses:at:)``).
    package mutating func addCacheLookups(hits: Int, misses: Int, at now: Double) {
        for index in windows.indices { windows[index].addCacheLookups(hits: hits, misses: misses, at: now) }
    }

    /// Statistics of every window at `now`, in the order of ``lengths``.
    package func stats(at now: Double, exemplars: Bool = true) -> [WindowStats] {
        windows.map { $0.stats(at: now, exemplars: exemplars) }
    }

    /// Changes the threshold of every window (for example on configuration reload); see
    /// ``RollingWindow/setThreshold(_:)``.
    package mutating func setThreshold(_ threshold: Double) {
        for index in windows.indices { windows[index].setThreshold(threshold) }
    }

    /// Sum of the windows' ``RollingWindow/memoryBound``.
    package var memoryBound: Int { windows.reduce(0) { $0 + $1.memoryBound } }
}

import SlaprobeTesting

/// The seeded SplitMix64 generator, so that property tests are reproducible.
typealias SeededGenerator = SplitMix64

/// Reference nearest-rank quantile by full sort and exact integer arithmetic: x[ceil(percent * n / 100) - 1].
func referenceQuantile<T: Comparable>(_ values: [T], percent: Int) -> T {
    let sorted = values.sorted()
    let rank = (percent * sorted.count + 99) / 100
    return sorted[max(rank, 1) - 1]
}

/// Random latency on the microsecond grid (so quantization to µs is exact), drawn from a mix of a fast
/// body, a slow tail and frequent duplicates.
func randomLatencyMicros(_ generator: inout SeededGenerator) -> Int {
    switch Int.random(in: 0..<10, using: &generator) {
    case 0: return Int.random(in: 200_000...3_000_000, using: &generator)
    case 1: return 50_000
    case 2: return Int.random(in: 0...10, using: &generator)
    default: return Int.random(in: 1_000...120_000, using: &generator)
    }
}

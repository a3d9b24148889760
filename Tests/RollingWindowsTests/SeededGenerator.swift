/// Deterministic SplitMix64 generator so that property tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed &+ 0x9E37_79B9_7F4A_7C15
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

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

import RollingWindows
import Testing

@Suite struct NearestRankTests {
    @Test(
        "index is ceil(q * n) - 1",
        arguments: [
            (0.5, 1, 0), (0.99, 1, 0), (0.5, 2, 0), (0.95, 2, 1), (0.95, 20, 18), (0.99, 20, 19), (0.5, 19, 9),
            (0.95, 19, 18), (0.99, 100, 98), (0.95, 100, 94), (0.29, 100, 28), (1.0, 5, 4), (0.01, 5, 0),
            (0.5, 1000, 499), (0.95, 1000, 949), (0.99, 1000, 989),
        ] as [(Double, Int, Int)]
    )
    func index(q: Double, count: Int, expected: Int) {
        #expect(NearestRank.index(q, count: count) == expected)
    }

    @Test("quickselect quantiles equal sorting", arguments: [1, 2, 19, 20, 100, 1000, 5000])
    func quantilesMatchSort(size: Int) {
        for seed in 0..<20 {
            var generator = SeededGenerator(seed: UInt64(seed * 7919 + size))
            // Half the seeds use a tiny value range to force many duplicates.
            let range: ClosedRange<UInt32> = seed.isMultiple(of: 2) ? 0...UInt32.max : 0...5
            let values = (0..<size).map { _ in UInt32.random(in: range, using: &generator) }
            var scratch = values
            let result = NearestRank.quantiles(of: &scratch, [0.5, 0.95, 0.99, 0.01, 1.0])
            #expect(result == [50, 95, 99, 1, 100].map { referenceQuantile(values, percent: $0) })
            #expect(scratch.sorted() == values.sorted(), "quantiles must only reorder the values")
        }
    }

    @Test func sortedAndReversedInputs() {
        for size in [1, 2, 17, 1000, 4096] {
            let ascending = (0..<size).map { UInt32($0) }
            for input in [ascending, ascending.reversed(), [UInt32](repeating: 7, count: size)] {
                var scratch = input
                let result = NearestRank.quantiles(of: &scratch, [0.5, 0.95, 0.99])
                #expect(result == [50, 95, 99].map { referenceQuantile(input, percent: $0) })
            }
        }
    }

    @Test func emptyInput() {
        var empty: [UInt32] = []
        #expect(NearestRank.quantiles(of: &empty, [0.5]).isEmpty)
    }
}

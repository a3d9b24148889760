import Exposition
import Testing

@Suite struct PerformanceTests {
    #if DEBUG
        static let budget = Duration.milliseconds(1000)
    #else
        static let budget = Duration.milliseconds(20)
    #endif

    /// 1,000 probes x 150 series: 15 counters, 15 gauges and 8 histograms of 13 buckets + sum + count.
    static func render(_ format: ExpositionFormat, labels: [LabelSet], bounds: [Double]) -> [UInt8] {
        var writer = ExpositionWriter(format: format, capacity: 16 << 20)
        let counts: [UInt64] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048]
        for index in 0..<15 {
            let name = "slaprobe_counter_\(index)"
            writer.family(name, type: .counter, help: "Counter \(index).")
            for (probe, set) in labels.enumerated() {
                writer.counter(name, set, Double(probe * 1000 + index))
            }
        }
        for index in 0..<15 {
            let name = "slaprobe_gauge_\(index)_seconds"
            writer.family(name, type: .gauge, help: "Gauge \(index).", unit: "seconds")
            for (probe, set) in labels.enumerated() {
                writer.gauge(name, set, Double(probe) * 0.001 + 0.123)
            }
        }
        for index in 0..<8 {
            let name = "slaprobe_histogram_\(index)_seconds"
            writer.family(name, type: .histogram, help: "H \(index).", unit: "seconds")
            for (probe, set) in labels.enumerated() {
                writer.histogram(
                    name,
                    set,
                    upperBounds: bounds,
                    cumulativeCounts: counts,
                    sum: Double(probe) * 1.5,
                    count: 4096
                )
            }
        }
        return writer.finish()
    }

    @Test(arguments: [ExpositionFormat.text, .openMetrics])
    func thousandProbesRenderFast(format: ExpositionFormat) {
        let labels = (0..<1000).map { LabelSet([("probe", "probe-\($0)"), ("target", "checkout-api")]) }
        let bounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]
        let clock = ContinuousClock()
        var best = Duration.seconds(1000)
        var size = 0
        for _ in 0..<5 {
            let elapsed = clock.measure { size = Self.render(format, labels: labels, bounds: bounds).count }
            best = min(best, elapsed)
        }
        let lines = 1000 * (15 + 15 + 8 * 15)
        #expect(size > lines * 40)
        #expect(best < Self.budget, "best of 5: \(best) for \(lines) series, \(size) bytes")
        print("render \(format) \(lines) series, \(size) bytes: best \(best)")
    }
}

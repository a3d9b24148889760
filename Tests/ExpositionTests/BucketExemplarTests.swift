import Exposition
import Testing

@Suite struct BucketExemplarTests {
    static let trace = TraceID("0af7651916cd43dd8448eb211c80319c")!
    static let other = TraceID("4bf92f3577b34da6a3ce929d0e0e4736")!

    /// A histogram with an exemplar on its first bucket and on `+Inf`, none on the others.
    static func render(_ format: ExpositionFormat, exemplars: Bool = true) -> String {
        var writer = ExpositionWriter(format: format)
        writer.family("slaprobe_probe_duration_seconds", type: .histogram, help: "Probe duration.", unit: "seconds")
        writer.histogram(
            "slaprobe_probe_duration_seconds",
            LabelSet([("probe", "entitlement")]),
            upperBounds: [0.1, 1],
            cumulativeCounts: [1, 1],
            sum: 2.557,
            count: 2,
            exemplars: exemplars
                ? [
                    BucketExemplar(traceID: trace, value: 0.057, timestamp: 1_764_789_123.4561),
                    nil,
                    BucketExemplar(traceID: other, value: 2.5, timestamp: 1_764_789_124),
                ] : []
        )
        return String(decoding: writer.finish(), as: UTF8.self)
    }

    @Test func openMetricsBucketLinesCarryTheirExemplar() {
        #expect(
            Self.render(.openMetrics)
                == """
                # HELP slaprobe_probe_duration_seconds Probe duration.
                # TYPE slaprobe_probe_duration_seconds histogram
                # UNIT slaprobe_probe_duration_seconds seconds
                slaprobe_probe_duration_seconds_bucket{probe="entitlement",le="0.1"} 1 # {trace_id="0af7651916cd43dd8448eb211c80319c"} 0.057 1764789123.456
                slaprobe_probe_duration_seconds_bucket{probe="entitlement",le="1.0"} 1
                slaprobe_probe_duration_seconds_bucket{probe="entitlement",le="+Inf"} 2 # {trace_id="4bf92f3577b34da6a3ce929d0e0e4736"} 2.5 1764789124
                slaprobe_probe_duration_seconds_sum 2.557
                slaprobe_probe_duration_seconds_count 2
                # EOF

                """.replacingOccurrences(of: "_sum 2", with: "_sum{probe=\"entitlement\"} 2")
                .replacingOccurrences(of: "_count 2", with: "_count{probe=\"entitlement\"} 2")
        )
    }

    @Test func theTextFormatIsByteIdenticalWithOrWithoutExemplars() {
        #expect(Self.render(.text) == Self.render(.text, exemplars: false))
        #expect(!Self.render(.text).contains("#  {"))
        #expect(!Self.render(.text).contains("trace_id"))
    }

    @Test func traceIDsRoundTripAndRejectWhatIsNotOne() {
        #expect(Self.trace.hex == "0af7651916cd43dd8448eb211c80319c")
        #expect(TraceID("0AF7651916CD43DD8448EB211C80319C") == Self.trace)
        #expect(TraceID("00000000000000000000000000000000") == nil)
        #expect(TraceID("0af7651916cd43dd8448eb211c80319") == nil)
        #expect(TraceID("0af7651916cd43dd8448eb211c80319cc") == nil)
        #expect(TraceID("0af7651916cd43dd8448eb211c80319g") == nil)
    }
}

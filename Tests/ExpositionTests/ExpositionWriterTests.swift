import Exposition
import Testing

@Suite struct ExpositionWriterTests {
    @Test func textFormatMatchesExactly() {
        #expect(Fixture.render(.text) == Fixture.text)
    }

    @Test func openMetricsMatchesExactly() {
        #expect(Fixture.render(.openMetrics) == Fixture.openMetrics)
    }

    @Test func finishEmptiesTheWriter() {
        var writer = ExpositionWriter(format: .openMetrics)
        writer.family("a", type: .gauge, help: "A.")
        #expect(!writer.finish().isEmpty)
        #expect(writer.bytes.isEmpty)
        #expect(String(decoding: writer.finish(), as: UTF8.self) == "# EOF\n")
    }

    @Test func histogramBoundsCacheFollowsChanges() {
        var writer = ExpositionWriter(format: .text)
        writer.histogram("h", .empty, upperBounds: [1], cumulativeCounts: [1], sum: 1, count: 1)
        writer.histogram("h", .empty, upperBounds: [0.5, 2], cumulativeCounts: [0, 2], sum: 2, count: 3)
        let text = String(decoding: writer.finish(), as: UTF8.self)
        #expect(
            text == """
                h_bucket{le="1"} 1
                h_bucket{le="+Inf"} 1
                h_sum 1
                h_count 1
                h_bucket{le="0.5"} 0
                h_bucket{le="2"} 2
                h_bucket{le="+Inf"} 3
                h_sum 2
                h_count 3

                """
        )
    }

    @Test(
        "value formatting",
        arguments: [
            (5, "5"), (-3, "-3"), (0, "0"), (-0.0, "0"), (0.25, "0.25"), (1e-05, "1e-05"), (1e20, "1e+20"),
            (0.1 + 0.2, "0.30000000000000004"), (123_456_789_012, "123456789012"), (1e15, "1000000000000000"),
            (1e16, "1e+16"),
            (.nan, "NaN"), (.infinity, "+Inf"), (-.infinity, "-Inf"), (.leastNonzeroMagnitude, "5e-324"),
        ] as [(Double, String)]
    )
    func valueFormatting(value: Double, expected: String) {
        #expect(ExpositionWriter.format(value) == expected)
    }

    @Test("formatted values round-trip and match Swift's shortest description", arguments: 0..<4)
    func valueFormattingRoundTrips(kind: Int) {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let value: Double
            switch kind {
            case 0: value = Double(Int.random(in: 0...100_000_000, using: &generator)) / 1e6  // latencies
            case 1: value = Double(Int.random(in: 0...1000, using: &generator)) / Double(Int.random(in: 1...1000))
            case 2: value = Double.random(in: -1e6...1e6, using: &generator)
            default: value = Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &generator))
            }
            let text = ExpositionWriter.format(value)
            if value.isNaN {
                #expect(text == "NaN")
            } else if value.isInfinite {
                #expect(text == (value > 0 ? "+Inf" : "-Inf"))
            } else {
                #expect(Double(text) == value, "\(text) does not round-trip \(value.description)")
                if value != value.rounded() {
                    #expect(text == value.description)
                }
            }
        }
    }

    @Test func labelSets() {
        let base = LabelSet([("probe", "a"), ("phase", "dns")])
        #expect(base.rendered == #"probe="a",phase="dns""#)
        #expect(base.adding("x", "q\"\\\n").rendered == #"probe="a",phase="dns",x="q\"\\\n""#)
        #expect(LabelSet.empty.rendered.isEmpty && LabelSet([]).isEmpty)
        #expect(LabelSet.empty.adding("a", "b") == LabelSet([("a", "b")]))
        #expect(Set([base, LabelSet([("probe", "a"), ("phase", "dns")])]).count == 1)
        #expect(LabelSet.isValidName("_ok1") && !LabelSet.isValidName("1x") && !LabelSet.isValidName("a-b"))
    }

    @Test func contentTypes() {
        #expect(ExpositionFormat.text.contentType == "text/plain; version=0.0.4; charset=utf-8")
        #expect(
            ExpositionFormat.openMetrics.contentType == "application/openmetrics-text; version=1.0.0; charset=utf-8"
        )
    }

    @Test(
        "content negotiation",
        arguments: [
            (nil, .text),
            ("", .text),
            ("*/*", .text),
            ("text/plain", .text),
            ("text/plain;version=0.0.4;q=0.5,*/*;q=0.1", .text),
            (
                "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
                    + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1", .openMetrics
            ),
            ("application/openmetrics-text; version=0.0.1,text/plain;version=0.0.4;q=0.5,*/*;q=0.1", .openMetrics),
            ("text/plain;version=0.0.4;q=0.5, application/openmetrics-text;q=0.75", .openMetrics),
            ("application/openmetrics-text", .openMetrics),
            ("APPLICATION/OpenMetrics-Text; Version=1.0.0", .openMetrics),
            ("application/openmetrics-text;q=0", .text),
            (" application/openmetrics-text ; q=0.0 , text/plain", .text),
            ("application/openmetrics-text;q=0.001", .openMetrics),
            ("application/openmetrics-text;version=\"1.0.0\";q=0.5", .openMetrics),
            ("application/openmetrics-text;version=2.0.0", .text),
            ("application/openmetrics-text;q=abc", .text),
            ("application/openmetrics-textual", .text),
        ] as [(String?, ExpositionFormat)]
    )
    func negotiation(accept: String?, expected: ExpositionFormat) {
        #expect(ExpositionFormat.negotiate(accept: accept) == expected)
    }
}

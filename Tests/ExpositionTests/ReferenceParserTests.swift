import Exposition
import Testing

@Suite struct ReferenceParserTests {
    @Test
    func pythonAcceptsTextFormat() throws {
        let fixture = try ExternalTool.pythonParse(Fixture.render(.text), openMetrics: false)
        #expect(fixture.status == 0, "\(fixture.error)")
        // 5 families; 2 + 1 + 7 + 2 * 7 + 1 samples.
        #expect(fixture.output == "5 25\n")
        let realistic = try ExternalTool.pythonParse(Fixture.realistic(.text), openMetrics: false)
        #expect(realistic.status == 0, "\(realistic.error)")
    }

    @Test
    func pythonAcceptsOpenMetrics() throws {
        let fixture = try ExternalTool.pythonParse(Fixture.render(.openMetrics), openMetrics: true)
        #expect(fixture.status == 0, "\(fixture.error)")
        #expect(fixture.output == "5 25\n")
        let realistic = try ExternalTool.pythonParse(Fixture.realistic(.openMetrics), openMetrics: true)
        #expect(realistic.status == 0, "\(realistic.error)")
    }

    @Test
    func pythonRejectsBrokenInput() throws {
        // Guards against a harness that always succeeds.
        let missingEOF = String(Fixture.render(.openMetrics).dropLast("# EOF\n".count))
        #expect(try ExternalTool.pythonParse(missingEOF, openMetrics: true).status != 0)
        #expect(try ExternalTool.pythonParse("a{b=\"c} 1\n", openMetrics: false).status != 0)
    }

    @Test
    func promtoolLintIsClean() throws {
        let result = try ExternalTool.run("promtool", ["check", "metrics"], input: Fixture.realistic(.text))
        #expect(result.status == 0)
        #expect(result.output.isEmpty, "\(result.output)")
        #expect(result.error.isEmpty, "\(result.error)")

        // Guards against a harness that always succeeds: a counter without _total and without help.
        var writer = ExpositionWriter(format: .text)
        writer.gauge("bad_metric_milliseconds", .empty, 1)
        let bad = try ExternalTool.run(
            "promtool",
            ["check", "metrics"],
            input: String(decoding: writer.finish(), as: UTF8.self)
        )
        #expect(!(bad.output + bad.error).isEmpty)
    }

    @Test
    func journeyStepFamiliesParseInBothFormatsAndLintClean() throws {
        // 3 families; 4 steps * (7 + 2 + 3) samples: 4 buckets, +Inf, sum and count; 2 reasons; 3 quantiles.
        for openMetrics in [false, true] {
            let text = JourneyFixture.render(openMetrics ? .openMetrics : .text)
            let parsed = try ExternalTool.pythonParse(text, openMetrics: openMetrics)
            #expect(parsed.status == 0, "\(parsed.error)")
            #expect(parsed.output == "3 48\n")
        }
        let lint = try ExternalTool.run("promtool", ["check", "metrics"], input: JourneyFixture.render(.text))
        #expect(lint.status == 0 && lint.output.isEmpty && lint.error.isEmpty, "\(lint.output)\(lint.error)")
    }

    @Test
    func pythonReadsTheExemplarsOfOpenMetricsBuckets() throws {
        let script = """
            import sys
            from prometheus_client.openmetrics.parser import text_string_to_metric_families
            for family in text_string_to_metric_families(sys.stdin.read()):
                for s in family.samples:
                    if s.exemplar:
                        e = s.exemplar
                        print(s.labels["le"], e.labels["trace_id"], e.value, e.timestamp.sec, e.timestamp.nsec)
            """
        let result = try ExternalTool.run("python3", ["-c", script], input: BucketExemplarTests.render(.openMetrics))
        #expect(result.status == 0, "\(result.error)")
        #expect(
            result.output == """
                0.1 0af7651916cd43dd8448eb211c80319c 0.057 1764789123 456000000
                +Inf 4bf92f3577b34da6a3ce929d0e0e4736 2.5 1764789124 0

                """
        )
        // Negative control: the parser reads the exemplar's syntax, so an unquoted trace id is refused.
        let broken = BucketExemplarTests.render(.openMetrics).replacingOccurrences(
            of: "{trace_id=\"0a",
            with: "{trace_id=0a"
        )
        #expect(try ExternalTool.pythonParse(broken, openMetrics: true).status != 0)
    }

    @Test
    func promtoolLintsTheOpenMetricsPageCleanOnceExemplarsAreSetAside() throws {
        // promtool check metrics reads the text format's grammar, which has no exemplars: the families, names,
        // units and help are linted on the OpenMetrics page without them (the exemplars are checked by the Python
        // parser above and by a real Prometheus in ExemplarTests).
        let page = BucketExemplarTests.render(.openMetrics)
        let stripped = page.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.range(of: " # {").map { String(line[..<$0.lowerBound]) } ?? String(line)
        }.joined(separator: "\n")
        #expect(stripped != page)
        let result = try ExternalTool.run("promtool", ["check", "metrics"], input: stripped)
        #expect(result.status == 0 && result.output.isEmpty && result.error.isEmpty, "\(result.output)\(result.error)")
    }
}

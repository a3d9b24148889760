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
}

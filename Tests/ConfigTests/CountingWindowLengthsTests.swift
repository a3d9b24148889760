import Config
import Testing

/// Which windows the store keeps as counters only: those that only error-ratio rules read as a longer window.
@Suite struct CountingWindowLengthsTests {
    static func parse(_ yaml: String) throws -> SlaprobeConfig {
        try AlertingSectionTests.parse(Fixtures.target + yaml, overrides: AlertingOverrides())
    }

    @Test func theDefaultRulesLongWindowKeepsCountersOnly() throws {
        let config = try Self.parse("")
        #expect(config.windowLengths.contains(3600))
        #expect(config.countingWindowLengths == [3600])
    }

    @Test func aConfiguredWindowKeepsItsSamples() throws {
        let config = try Self.parse("global:\n  windows: [1m, 5m, 1h]\n")
        #expect(config.countingWindowLengths.isEmpty)
    }

    @Test func aWindowThatALatencyRuleReadsKeepsItsSamples() throws {
        let yaml = """
            alerting:
              rules:
                - name: SlowOverTheHour
                  kind: latency
                  windows: [1h]
                  threshold: 0.05

            """
        let config = try Self.parse(yaml)
        #expect(config.countingWindowLengths.isEmpty)
    }

    @Test func withoutTheDefaultRulesNoWindowIsCounting() throws {
        let config = try Self.parse("alerting:\n  default_rules: false\n")
        #expect(config.countingWindowLengths.isEmpty)
    }
}

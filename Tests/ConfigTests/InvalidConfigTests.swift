import Config
import Testing

@Suite("Refusing invalid configurations")
struct InvalidConfigTests {
    @Test("each invalid configuration names file, line, key path and the problem", arguments: InvalidCase.all)
    func refused(_ testCase: InvalidCase) throws {
        let errors = Fixtures.errors(testCase.yaml, environment: testCase.environment)
        let error = try #require(errors.first, "no error for \(testCase.name)")
        #expect(errors.count == 1, "expected exactly one error, got:\n\(ConfigErrors(errors))")
        #expect(error.file == "config.yml")
        #expect(error.line == testCase.line)
        #expect(error.key == testCase.key)
        #expect(error.message.contains(testCase.phrase), "message was: \(error.message)")
        #expect(error.description.hasPrefix("config.yml"))
    }

    @Test("all errors are reported, in file order, with a multi-line description")
    func reportsAll() throws {
        let yaml = """
            global:
              interval: fast
              jitter: 90%
            probes:
              - name: p
                kind: http
              - name: q
                kind: nope
            """
        let errors = Fixtures.errors(yaml)
        #expect(errors.map(\.key) == ["global.interval", "global.jitter", "probes[0].url", "probes[1].kind"])
        #expect(errors.map(\.line) == [2, 3, 5, 8])
        let description = ConfigErrors(errors).description
        #expect(description.split(separator: "\n").count == 4)
        #expect(description.hasPrefix("config.yml:2:13: global.interval: \"fast\" is not a duration"))
    }

    @Test("the description has the file:line:column: key: message form")
    func descriptionFormat() {
        let error = ConfigError(
            file: "config.yml",
            line: 12,
            column: 5,
            key: "probes[1].timeout",
            message: "timeout 10s must not exceed the probe interval 5s"
        )
        #expect(
            error.description == "config.yml:12:5: probes[1].timeout: timeout 10s must not exceed the probe interval 5s"
        )
        #expect(ConfigError(file: "c.yml", key: "", message: "m").description == "c.yml: m")
    }
}

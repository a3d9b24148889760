import Config
import Testing

/// Each configuration error stays on one `file:line:col: key: message` line, whatever the file holds.
@Suite struct ConfigErrorEscapingTests {
    @Test func controlCharactersInKeysAndMessagesAreEscaped() {
        let error = ConfigError(
            file: "slaprobe.yml",
            line: 3,
            column: 5,
            key: "probes[0].name",
            message: "probe name \"new\nline\tand\r\u{1B}[31mred\u{7F}\" is not allowed"
        )
        #expect(
            error.description
                == #"slaprobe.yml:3:5: probes[0].name: probe name "new\nline\tand\r\u{1B}[31mred\u{7F}" is not allowed"#
        )
        #expect(!error.description.contains("\n"))
    }

    @Test func aDuplicateNameWithANewlineInAWholeFileGivesOneLinePerError() throws {
        let yaml = """
            probes:
              - name: "new\\nline"
                kind: http
                url: http://127.0.0.1:1/
              - name: "new\\nline"
                kind: http
                url: http://127.0.0.1:1/
            """
        do {
            _ = try Fixtures.parse(yaml)
            Issue.record("a duplicate probe name was accepted")
        } catch {
            let lines = "\(error)".split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.allSatisfy { $0.hasPrefix("config.yml:") }, "\(error)")
            #expect("\(error)".contains(#"new\nline"#))
        }
    }

    @Test func textWithoutControlCharactersIsUnchanged() {
        let error = ConfigError(file: "a.yml", line: 1, key: "global.interval", message: #"regex "\d+" is fine"#)
        #expect(error.description == #"a.yml:1: global.interval: regex "\d+" is fine"#)
    }
}

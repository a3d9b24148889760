import Config
import Testing

@Suite("YAML syntax errors in plain words")
struct SyntaxMessageTests {
    /// The one error `yaml` is refused with.
    static func message(_ yaml: String) -> String {
        let errors = Fixtures.errors(yaml)
        #expect(errors.count == 1)
        return errors.first?.description ?? ""
    }

    @Test("too deep nesting names the limit, not a libyaml function")
    func nesting() {
        let deep = "global: " + String(repeating: "[", count: 1100) + String(repeating: "]", count: 1100) + "\n"
        let message = Self.message(deep)
        #expect(message == "config.yml:1:10: YAML syntax error: nesting deeper than 1000 levels")
        #expect(!message.contains("yaml_"))
    }

    @Test(
        "libyaml's wording is translated",
        arguments: [
            (
                "global:\n\tinterval: 5s\n",
                "config.yml:2:1: YAML syntax error: a tab cannot be used for indentation; use spaces"
            ),
            (
                "target:\n  url: @here\n",
                #"config.yml:2:8: YAML syntax error: a value cannot start with the character "@"; put the value in quotes"#
            ),
            ("--- a\n...\nb\n", #"config.yml:3:1: YAML syntax error: expected "---" before another document"#),
            (
                "global: *defaults\n",
                "config.yml:1:9: YAML syntax error: an alias (*name) refers to no anchor (&name) defined before it"
            ),
            (
                "target:\n  url: a: b\n",
                #"config.yml:2:9: YAML syntax error: ": " is not allowed here; quote a value that contains ": ", "#
                    + "or check the indentation"
            ),
        ]
    )
    func translated(yaml: String, expected: String) {
        let message = Self.message(yaml)
        #expect(message == expected)
        for phrase in ["token", "<document start>", "undefined alias", "mapping values", "while parsing at"] {
            #expect(!message.contains(phrase))
        }
    }

    @Test("a control character is located by line and column")
    func controlCharacter() {
        #expect(
            Self.message("global:\n  interval: 5s\u{1}\n")
                == "config.yml:2:15: cannot read YAML: control characters are not allowed"
        )
    }

    @Test("a useful libyaml context is kept")
    func keptContext() {
        #expect(
            Self.message("global:\n  windows: [1m, 5m\n")
                == "config.yml:3:1: YAML syntax error: did not find expected ',' or ']' "
                + "(while parsing a flow sequence at line 2, column 12)"
        )
    }
}

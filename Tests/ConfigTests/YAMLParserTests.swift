import Config
import Testing

@Suite("YAML documents composed from libyaml's events")
struct YAMLParserTests {
    /// The root of `yaml`, which must compose.
    static func root(_ yaml: String) throws -> YAMLNode {
        try #require(try YAMLParser.compose(yaml: yaml))
    }

    /// The error `yaml` is refused with.
    static func refusal(_ yaml: String) -> YAMLError? {
        do throws(YAMLError) {
            _ = try YAMLParser.compose(yaml: yaml)
            return nil
        } catch {
            return error
        }
    }

    @Test(
        "plain scalars resolve by the YAML 1.1 rules, quoted ones stay strings",
        arguments: [
            ("true", YAMLNode.Tag.bool), ("False", .bool), ("yes", .bool), ("off", .bool), ("\"true\"", .str),
            ("'yes'", .str), ("42", .int), ("-7", .int), ("0x1F", .int), ("017", .int), ("0o17", .int),
            ("0b101", .int), ("1_000", .int), ("1:30", .int), ("\"42\"", .str), ("1.5", .float), ("1e3", .float),
            (".5", .float), (".inf", .float), ("-.Inf", .float), (".NaN", .float), ("08", .float), ("~", .null),
            ("null", .null), ("", .null), ("'~'", .str), ("2024-01-31", .timestamp),
            ("2024-01-31T10:00:00Z", .timestamp), ("<<", .merge), ("5s", .str), ("0x", .str), ("1.2.3", .str),
            ("!!str 42", .str), ("!!int \"42\"", .int), ("|\n  text\n", .str),
        ]
    )
    func scalarTags(text: String, tag: YAMLNode.Tag) throws {
        let value = try #require(try Self.root("key: \(text)\n").mapping?.first?.value)
        #expect(value.tagName == tag)
    }

    @Test("scalars read as booleans and numbers as Yams read them")
    func scalarValues() throws {
        let values = try #require(
            try Self.root("[true, 'true', Off, 0x1F, 017, -0b11, 1:30, 1_000, 2.5, .inf, -.inf, 1:30.5]").sequence
        )
        #expect(values[0].bool == true)
        #expect(values[1].bool == nil)
        #expect(values[2].bool == false)
        #expect(values[3].int == 31)
        #expect(values[4].int == 15)
        #expect(values[5].int == -3)
        #expect(values[6].int == 90)
        #expect(values[7].int == 1000)
        #expect(values[8].float == 2.5)
        #expect(values[9].float == .infinity)
        #expect(values[10].float == -.infinity)
        #expect(values[11].float == 90.5)
        #expect(values[1].string == "true")
    }

    @Test("nested mappings and sequences keep their order and 1-based positions")
    func positions() throws {
        let yaml = """
            global:
              windows: [1m, 5m]
            probes:
              - name: a
                url: "http://x"
            """
        let root = try Self.root(yaml)
        #expect(root.mark == YAMLNode.Mark(line: 1, column: 1))
        let top = try #require(root.mapping)
        #expect(top.map { $0.key.string } == ["global", "probes"])
        #expect(top[1].key.mark == YAMLNode.Mark(line: 3, column: 1))
        let windows = try #require(top[0].value.mapping?.first?.value)
        #expect(windows.mark == YAMLNode.Mark(line: 2, column: 12))
        #expect(windows.sequence?.map(\.string) == ["1m", "5m"])
        #expect(windows.sequence?[1].mark == YAMLNode.Mark(line: 2, column: 17))
        let probe = try #require(top[1].value.sequence?.first?.mapping)
        #expect(probe.mark == YAMLNode.Mark(line: 4, column: 5))
        #expect(probe[1].value.mark == YAMLNode.Mark(line: 5, column: 10))
        guard case .scalar(let url) = probe[1].value else {
            Issue.record("url is not a scalar")
            return
        }
        #expect(url.style == .doubleQuoted)
        #expect(url.string == "http://x")
    }

    @Test("an alias stands for the anchored node, its position included")
    func aliases() throws {
        let root = try #require(try Self.root("a: &base {x: 1}\nb: *base\nc: &s two\nd: *s\n").mapping)
        #expect(root[1].value.mapping?.first?.value.int == 1)
        #expect(root[1].value.mark == YAMLNode.Mark(line: 1, column: 4))
        #expect(root[3].value.string == "two")
        #expect(root[3].value.mark == YAMLNode.Mark(line: 3, column: 4))
    }

    @Test("merge keys are not applied: << is an ordinary key")
    func mergeKeyIsAKey() throws {
        let root = try #require(try Self.root("a: &a {x: 1}\nb:\n  <<: *a\n").mapping)
        let merged = try #require(root[1].value.mapping)
        #expect(merged.count == 1)
        #expect(merged[0].key.tagName == .merge)
    }

    @Test("a billion-laughs document is refused quickly")
    func billionLaughs() {
        var yaml = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...9 {
            let aliases = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            yaml += "a\(level): &a\(level) [\(aliases)]\n"
        }
        let clock = ContinuousClock()
        var error: YAMLError?
        let elapsed = clock.measure { error = Self.refusal(yaml) }
        guard case .aliasExpansion(let limit, let mark) = error else {
            Issue.record("not refused for its aliases: \(String(describing: error))")
            return
        }
        #expect(limit == YAMLParser.aliasExpansionLimit)
        #expect(mark.line == 5)
        #expect(elapsed < .seconds(1))
    }

    @Test("nesting deeper than the limit is refused, however it is written")
    func deepNesting() {
        for yaml in [
            String(repeating: "[", count: 1100) + String(repeating: "]", count: 1100),
            (0..<1100).map { String(repeating: " ", count: $0) + "k:\n" }.joined(),
            (0..<1100).map { String(repeating: " ", count: $0 * 2) + "- \n" }.joined(),
        ] {
            guard case .nestingTooDeep(let limit, _) = Self.refusal(yaml) else {
                Issue.record("deep nesting was accepted")
                continue
            }
            #expect(limit == 1000)
        }
    }

    @Test(
        "tabs and bad indentation are syntax errors at the right line",
        arguments: [
            ("a:\n\tb: 1\n", 2, "found character that cannot start any token"),
            ("a:\n  b: 1\n c: 2\n", 3, "did not find expected key"),
            ("a: 1\n  b: 2\n", 2, "mapping values are not allowed in this context"),
        ]
    )
    func indentation(yaml: String, line: Int, problem: String) {
        guard case .syntax(let found, let mark, _) = Self.refusal(yaml) else {
            Issue.record("not a syntax error")
            return
        }
        #expect(found == problem)
        #expect(mark.line == line)
    }

    @Test("invalid UTF-8 is refused at the offending byte")
    func invalidUTF8() {
        let bytes = Array("key: ".utf8) + [0xC3, 0x28] + Array("\n".utf8)
        do throws(YAMLError) {
            _ = try YAMLParser.compose(utf8: bytes)
            Issue.record("invalid UTF-8 was accepted")
        } catch {
            guard case .reader(let problem, let offset) = error else {
                Issue.record("not a reader error: \(error)")
                return
            }
            #expect(problem.contains("UTF-8"))
            #expect(offset == 6)  // the trailing byte 0x28 that cannot continue 0xC3
        }
    }

    @Test("repeated keys are refused at the first of them")
    func duplicateKeys() {
        guard case .duplicateKeys(let keys, let mark) = Self.refusal("b: 1\na: 2\nb: 3\na: 4\n'1': x\n1: y\n") else {
            Issue.record("duplicate keys were accepted")
            return
        }
        #expect(keys == ["a", "b"])
        #expect(mark == YAMLNode.Mark(line: 2, column: 1))
    }

    @Test("empty text and comments are no document; a second document is refused")
    func documents() throws {
        #expect(try YAMLParser.compose(yaml: "") == nil)
        #expect(try YAMLParser.compose(yaml: "# nothing\n") == nil)
        guard case .syntax(let problem, let mark, let context) = Self.refusal("a: 1\n---\nb: 2\n") else {
            Issue.record("a second document was accepted")
            return
        }
        #expect(problem == "but found another document")
        #expect(mark.line == 2)
        #expect(context?.text == "expected a single document in the stream")
    }
}

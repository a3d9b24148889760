import Config
import Testing

@Suite("Label matchers match as Alertmanager's do")
struct LabelMatcherTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var matcher: String
        var labels: [String: String]
        var matches: Bool
        var testDescription: String { "\(matcher) on \(labels) → \(matches)" }
    }

    static let cases: [Case] = [
        Case(matcher: #"probe="checkout""#, labels: ["probe": "checkout"], matches: true),
        Case(matcher: #"probe="checkout""#, labels: ["probe": "checkouts"], matches: false),
        Case(matcher: #"probe="checkout""#, labels: [:], matches: false),
        Case(matcher: #"probe!="checkout""#, labels: ["probe": "webhook"], matches: true),
        Case(matcher: #"probe!="checkout""#, labels: ["probe": "checkout"], matches: false),
        Case(matcher: #"probe!="checkout""#, labels: [:], matches: true),
        Case(matcher: #"alertname=~"Slaprobe.*""#, labels: ["alertname": "SlaprobeLatencyHigh"], matches: true),
        // Anchored: a regex must match the whole value.
        Case(matcher: #"alertname=~"Latency""#, labels: ["alertname": "SlaprobeLatencyHigh"], matches: false),
        Case(
            matcher: #"alertname=~"Slaprobe(Latency|Error).*""#,
            labels: ["alertname": "SlaprobeNoData"],
            matches: false
        ),
        Case(matcher: #"probe!~"check.*""#, labels: ["probe": "checkout"], matches: false),
        Case(matcher: #"probe!~"check.*""#, labels: ["probe": "entitlement"], matches: true),
        // A missing label is the empty value.
        Case(matcher: #"step=~"""#, labels: ["probe": "p"], matches: true),
        Case(matcher: #"step=~".+""#, labels: ["probe": "p"], matches: false),
        // amtool's unquoted form, and the first operator wins.
        Case(matcher: "probe=entitlement", labels: ["probe": "entitlement"], matches: true),
        Case(matcher: #"comment="a!=b""#, labels: ["comment": "a!=b"], matches: true),
        Case(matcher: #"text="say \"hi\"""#, labels: ["text": #"say "hi""#], matches: true),
    ]

    @Test("each matcher on each label set", arguments: cases)
    func matches(_ testCase: Case) throws {
        let matcher = try LabelMatcher(parsing: testCase.matcher)
        #expect(matcher.matches(testCase.labels) == testCase.matches)
    }

    @Test("isRegex and isEqual name the four operators")
    func apiFields() throws {
        let pairs = try ["a=\"1\"", "a!=\"1\"", "a=~\"1\"", "a!~\"1\""].map {
            let matcher = try LabelMatcher(parsing: $0)
            return (matcher.isRegex, matcher.isEqual)
        }
        #expect(pairs.map(\.0) == [false, false, true, true])
        #expect(pairs.map(\.1) == [true, false, true, false])
        let back = try LabelMatcher(name: "a", value: "1", isRegex: true, isEqual: false)
        #expect(back.op == .notRegex)
        #expect(back.description == #"a!~"1""#)
    }

    @Test(
        "invalid matchers say what is wrong",
        arguments: [
            ("probe", "is not a matcher"), ("9probe=\"x\"", "not a valid label name"),
            ("probe=~\"(\"", "not a valid regular expression"), ("probe=\"x", "is not a matcher"),
        ]
    )
    func invalid(_ text: String, _ phrase: String) {
        #expect {
            _ = try LabelMatcher(parsing: text)
        } throws: { error in
            "\(error)".contains(phrase)
        }
    }
}

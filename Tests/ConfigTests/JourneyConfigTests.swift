import Config
import Testing

@Suite("Journeys in the configuration")
struct JourneyConfigTests {
    static let history =
        Fixtures.target + """
            probes:
              - name: history
                kind: journey
                timeout: 8s
                latency_threshold: 1500ms
                steps:
                  - name: first
                    path: /api/v1/payments?user_id={{user_id}}
                    extract:
                      cursor: {json_path: "page.next[0]"}
                      etag: {header: ETag}
                  - name: second
                    path: /api/v1/payments?cursor={{vars.cursor}}
                    headers:
                      If-None-Match: "{{vars.etag}}"
                    expect_status: [200]
                    assertions:
                      - json_path: done
                        equals: true
                    poll: {interval: 250ms, deadline: 5s}
                    latency_threshold: 300ms
                  - name: notify
                    url: https://hooks.example.com/done/{{vars.cursor}}
                    body: '{"cursor":"{{vars.cursor}}","user":"{{journey_user}}"}'
                    sign: stripe
                    timeout: 1s

            """

    @Test("a custom journey keeps its steps, extractions, poll, signing and thresholds")
    func customJourney() throws {
        let config = try Fixtures.parse(Self.history)
        let probe = try #require(config.probes.first)
        #expect(probe.kind == .journey)
        #expect(probe.timeout == .seconds(8))
        #expect(probe.interval == .seconds(5))
        #expect(probe.latencyThreshold == .milliseconds(1500))
        #expect(probe.url == "http://127.0.0.1:8080")
        #expect(probe.webhookSecret == Secret("whsec_abc"))
        let steps = try #require(probe.journey?.steps)
        #expect(steps.map(\.name) == ["first", "second", "notify"])
        #expect(steps[0].url == "http://127.0.0.1:8080/api/v1/payments?user_id={{user_id}}")
        #expect(steps[0].method == "GET")
        #expect(
            steps[0].extract == [
                .init(name: "cursor", source: .jsonPath("page.next[0]")), .init(name: "etag", source: .header("ETag")),
            ]
        )
        #expect(steps[0].timeout == .seconds(2))
        #expect(steps[1].headers == [HeaderField(name: "If-None-Match", value: "{{vars.etag}}")])
        #expect(steps[1].assertions == [.jsonEquals(path: "done", value: .bool(true))])
        #expect(steps[1].poll == .init(interval: .milliseconds(250), deadline: .seconds(5)))
        #expect(steps[1].latencyThreshold == .milliseconds(300))
        #expect(steps[2].url == "https://hooks.example.com/done/{{vars.cursor}}")
        #expect(steps[2].method == "POST" && steps[2].sign == .stripe && steps[2].timeout == .seconds(1))
        #expect(steps[2].line == 26)
    }

    @Test("journey: purchase is the built-in journey, with its SLAs and the target's secrets")
    func builtInPurchase() throws {
        let yaml =
            Fixtures.target + """
                probes:
                  - name: buy
                    kind: journey
                    journey: purchase
                    step_thresholds: {entitled: 800ms}

                """
        let probe = try #require(try Fixtures.parse(yaml).probes.first)
        let journey = try #require(probe.journey)
        #expect(journey.builtIn == "purchase")
        #expect(journey.steps.map(\.name) == ["checkout", "webhook", "entitled", "revoke"])
        #expect(journey.steps.map(\.sign) == [.none, .stripe, .none, .stripe])
        #expect(journey.steps[0].url == "http://127.0.0.1:8080/api/v1/checkout/create")
        #expect(journey.steps[0].extract == [.init(name: "session_id", source: .jsonPath("session_id"))])
        #expect(journey.steps[1].body?.contains(#""type":"checkout.session.completed""#) == true)
        #expect(journey.steps[1].body?.contains(#""id":"{{vars.session_id}}""#) == true)
        #expect(journey.steps[1].body?.contains(#""user_id":"{{journey_user}}""#) == true)
        #expect(journey.steps[2].poll == .init(interval: .milliseconds(100), deadline: .seconds(10)))
        #expect(journey.steps[2].assertions == [.jsonEquals(path: "entitled", value: .bool(true))])
        #expect(journey.steps[2].latencyThreshold == .milliseconds(800))
        #expect(journey.steps[3].body?.contains(#""type":"customer.subscription.deleted""#) == true)
        #expect(probe.latencyThreshold == .seconds(2))
        #expect(probe.timeout == .seconds(15))
        #expect(probe.apiKey == Secret("key-123") && probe.webhookSecret == Secret("whsec_abc"))
    }

    @Test("zero-config has the purchase journey with both secrets and not without one")
    func zeroConfig() throws {
        let config = try ConfigLoader.defaultConfig(
            targetURL: "http://127.0.0.1:9",
            apiKey: Secret("k"),
            webhookSecret: Secret("w"),
            interval: .seconds(5),
            environment: [:]
        )
        let purchase = try #require(config.probes.first { $0.name == "purchase" })
        #expect(purchase.kind == .journey && purchase.journey?.builtIn == "purchase")
        #expect(purchase.journey?.steps[2].latencyThreshold == .seconds(1))
        let base = "http://127.0.0.1:9"
        let global = GlobalConfig()
        #expect(ConfigLoader.purchaseJourney(base: base, global: global, apiKey: Secret("k"), webhookSecret: nil) == [])
        #expect(ConfigLoader.purchaseJourney(base: base, global: global, apiKey: nil, webhookSecret: Secret("w")) == [])
        #expect(
            ConfigLoader.purchaseJourney(base: base, global: global, apiKey: Secret("k"), webhookSecret: Secret(""))
                == []
        )
    }

    @Test("each journey error names its line and key", arguments: JourneyInvalidCase.all)
    func refused(_ testCase: JourneyInvalidCase) throws {
        let errors = Fixtures.errors(Fixtures.target + testCase.yaml)
        let error = try #require(errors.first, "no error for \(testCase.name)")
        #expect(errors.count == 1, "expected exactly one error, got:\n\(ConfigErrors(errors))")
        #expect(error.line == testCase.line)
        #expect(error.key == testCase.key)
        #expect(error.message.contains(testCase.phrase), "message was: \(error.message)")
    }

    @Test("a journey built in code meets the same rules in ConfigLoader.validate, located at its step")
    func validateBuiltInCode() throws {
        let steps = [
            JourneyStep(name: "a", url: "http://x/a", line: 3),
            JourneyStep(name: "b", url: "http://x/b", body: "{{vars.missing}}", line: 7),
            JourneyStep(
                name: "b",
                url: "http://x/c",
                poll: .init(interval: .seconds(1), deadline: .seconds(30)),
                line: 9
            ),
        ]
        let probe = ProbeConfig(
            name: "j",
            kind: .journey,
            url: "http://x",
            timeout: .seconds(15),
            journey: JourneyConfig(steps: steps)
        )
        let config = SlaprobeConfig(global: GlobalConfig(), probes: [probe], sourceFile: "code")
        do {
            _ = try ConfigLoader.validate(config)
            Issue.record("expected the journey to be refused")
        } catch {
            #expect(
                error.errors.map(\.key) == [
                    "probes[0].steps[1].body", "probes[0].steps[2].name", "probes[0].steps[2].poll.deadline",
                ]
            )
            #expect(error.errors.map(\.line) == [7, 9, 9])
            #expect(error.errors[0].message.contains("undefined variable {{vars.missing}}"))
        }
    }
}

/// A journey configuration that must be refused; `yaml` follows ``Fixtures/target``, so it starts at line 5.
struct JourneyInvalidCase: CustomTestStringConvertible, Sendable {
    let name: String
    let yaml: String
    let line: Int
    let key: String
    let phrase: String

    var testDescription: String { name }

    /// A journey named `j` (lines 5-8) with `steps` written from line 9 on.
    static func journey(_ steps: String, timeout: String = "5s") -> String {
        "probes:\n  - name: j\n    kind: journey\n    timeout: \(timeout)\n" + steps
    }

    static let all: [JourneyInvalidCase] = [
        JourneyInvalidCase(
            name: "a variable no earlier step extracts, in a path",
            yaml: journey(
                "    steps:\n      - name: a\n        path: /a\n      - name: b\n        path: /b?c={{vars.cursor}}\n"
            ),
            line: 13,
            key: "probes[0].steps[1].path",
            phrase: "undefined variable {{vars.cursor}}: no earlier step extracts \"cursor\""
        ),
        JourneyInvalidCase(
            name: "a variable used by the step that extracts it",
            yaml: journey(
                "    steps:\n      - name: a\n        path: /a/{{vars.id}}\n        extract:\n"
                    + "          id: {json_path: id}\n"
            ),
            line: 11,
            key: "probes[0].steps[0].path",
            phrase: "undefined variable {{vars.id}}"
        ),
        JourneyInvalidCase(
            name: "an undefined variable in a header",
            yaml: journey(
                "    steps:\n      - name: a\n        path: /a\n        headers:\n          X-Token: \"{{vars.token}}\"\n"
            ),
            line: 13,
            key: "probes[0].steps[0].headers.X-Token",
            phrase: "undefined variable {{vars.token}}"
        ),
        JourneyInvalidCase(
            name: "an undefined variable in a body",
            yaml: journey("    steps:\n      - name: a\n        url: http://h/a\n        body: \"{{vars.x}}\"\n"),
            line: 12,
            key: "probes[0].steps[0].body",
            phrase: "undefined variable {{vars.x}}"
        ),
        JourneyInvalidCase(
            name: "a duplicate step name",
            yaml: journey("    steps:\n      - name: a\n        path: /a\n      - name: a\n        path: /b\n"),
            line: 12,
            key: "probes[0].steps[1].name",
            phrase: "duplicate step name \"a\""
        ),
        JourneyInvalidCase(
            name: "a bad JSON path in extract",
            yaml: journey(
                "    steps:\n      - name: a\n        path: /a\n        extract:\n          id: {json_path: \"a..b\"}\n"
            ),
            line: 13,
            key: "probes[0].steps[0].extract.id.json_path",
            phrase: "invalid JSON path \"a..b\""
        ),
        JourneyInvalidCase(
            name: "a poll deadline longer than the journey's timeout",
            yaml: journey(
                "    steps:\n      - name: a\n        path: /a\n        poll: {interval: 100ms, deadline: 10s}\n"
            ),
            line: 12,
            key: "probes[0].steps[0].poll.deadline",
            phrase: "poll deadline 10s is longer than the journey's timeout 5s"
        ),
        JourneyInvalidCase(
            name: "a poll interval longer than its deadline",
            yaml: journey(
                "    steps:\n      - name: a\n        path: /a\n        poll: {interval: 2s, deadline: 1s}\n"
            ),
            line: 12,
            key: "probes[0].steps[0].poll.interval",
            phrase: "the poll interval 2s is longer than its deadline 1s"
        ),
        JourneyInvalidCase(
            name: "an unknown step key",
            yaml: journey("    steps:\n      - name: a\n        path: /a\n        exract: {}\n"),
            line: 12,
            key: "probes[0].steps[0].exract",
            phrase: "did you mean \"extract\"?"
        ),
        JourneyInvalidCase(
            name: "an unknown placeholder in a step",
            yaml: journey("    steps:\n      - name: a\n        path: /a/{{session}}\n"),
            line: 11,
            key: "probes[0].steps[0].path",
            phrase: "unknown placeholder {{session}}"
        ),
        JourneyInvalidCase(
            name: "both url and path",
            yaml: journey("    steps:\n      - name: a\n        url: http://h/a\n        path: /a\n"),
            line: 11,
            key: "probes[0].steps[0].url",
            phrase: "set either url or path, not both"
        ),
        JourneyInvalidCase(
            name: "an extraction with both json_path and header",
            yaml: journey(
                "    steps:\n      - name: a\n        path: /a\n        extract:\n          id: {json_path: id, header: X}\n"
            ),
            line: 13,
            key: "probes[0].steps[0].extract.id",
            phrase: "exactly one of json_path or header"
        ),
        JourneyInvalidCase(
            name: "an unknown signing",
            yaml: journey("    steps:\n      - name: a\n        path: /a\n        sign: paypal\n"),
            line: 12,
            key: "probes[0].steps[0].sign",
            phrase: "unknown signing \"paypal\""
        ),
        JourneyInvalidCase(
            name: "a journey without steps",
            yaml: journey(""),
            line: 6,
            key: "probes[0].steps",
            phrase: "a journey needs steps"
        ),
        JourneyInvalidCase(
            name: "an unknown built-in journey",
            yaml: journey("    journey: refund\n"),
            line: 9,
            key: "probes[0].journey",
            phrase: "unknown built-in journey \"refund\""
        ),
        JourneyInvalidCase(
            name: "a step threshold for a step that does not exist",
            yaml: journey("    journey: purchase\n    step_thresholds: {paid: 1s}\n", timeout: "15s"),
            line: 10,
            key: "probes[0].step_thresholds.paid",
            phrase: "no step named \"paid\""
        ),
        JourneyInvalidCase(
            name: "the built-in poll deadline longer than the journey's timeout",
            yaml: journey("    journey: purchase\n"),
            line: 8,
            key: "probes[0].journey",
            phrase: "poll deadline 10s is longer than the journey's timeout 5s"
        ),
        JourneyInvalidCase(
            name: "a body on the journey itself",
            yaml: journey("    body: x\n    journey: purchase\n", timeout: "15s"),
            line: 9,
            key: "probes[0].body",
            phrase: "body is set per step in a journey"
        ),
        JourneyInvalidCase(
            name: "steps on a probe that is not a journey",
            yaml: "probes:\n  - name: entitlement\n    steps: []\n",
            line: 7,
            key: "probes[0].steps",
            phrase: "steps applies only to journey probes"
        ),
    ]
}

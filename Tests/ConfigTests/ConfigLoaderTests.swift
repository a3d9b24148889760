import Config
import Foundation
import Testing

@Suite("Loading valid configurations")
struct ConfigLoaderTests {
    static let fullExample = """
        global:
          interval: 10s
          jitter: 20%
          timeout: 3s
          windows: [1m, 5m, 1h]
          max_body_bytes: 512KiB
          user_agent: "slaprobe-test/1"
        target:
          url: https://billing.example.com/
          api_key_file: secrets/api.key
          webhook_secret_env: HOOK_SECRET
          user_id: user 1
          project_id: proj&1
          price_id: price_42
          insecure_skip_verify: true
          ca_file: ca.pem
        probes:
          - name: entitlement
            kind: entitlement
            assertions:
              - json_path: entitled
                equals: true
              - json_path: data.items[0].id
              - json_path: plan
                equals: "pro"
              - json_path: count
                equals: 3
              - json_path: missing
                equals: null
              - regex: '"entitled":\\s*true'
              - not_regex: 'error'
            labels: {team: billing, tier: gold}
          - name: checkout.fast
            kind: checkout
            interval: 30s
            timeout: 5s
            jitter: 0.05
            latency_threshold: 250ms
            idempotency_replay: true
            expect_status: [200, "2xx", 201]
            price_id: price_override
            insecure_skip_verify: false
          - name: webhook
            kind: webhook
            negative_cases: false
            webhook_secret_file: /ABSOLUTE/hook.secret
            max_body_bytes: 64KiB
            cache:
              source: metrics
              metrics_url: https://billing.example.com/metrics
          - name: homepage
            kind: http
            url: http://127.0.0.1:9000/health
            method: head
            headers:
              X-Foo: bar
              X-Request: "{{request_id}}-{{uuid}}"
            body: '{"at": "{{now}}", "unix": {{unix}}}'
            reuse_connections: true
            cache:
              header: X-Hit
        alerting:
          receivers:
            - name: oncall
              url: http://127.0.0.1:9999/hook
          rules: []
        """

    static func writeFixtures() throws -> String {
        let directory = try Fixtures.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory + "/secrets", withIntermediateDirectories: true)
        try "file-key-abc\n".write(toFile: directory + "/secrets/api.key", atomically: true, encoding: .utf8)
        try "hook-from-file\r\n".write(toFile: directory + "/hook.secret", atomically: true, encoding: .utf8)
        try "PEM".write(toFile: directory + "/ca.pem", atomically: true, encoding: .utf8)
        return directory
    }

    @Test("a full example parses to the expected model")
    func fullExample() throws {
        let directory = try Self.writeFixtures()
        let yaml = Self.fullExample.replacingOccurrences(of: "/ABSOLUTE", with: directory)
        let config = try Fixtures.parse(yaml, baseDirectory: directory)

        #expect(
            config.global
                == GlobalConfig(
                    interval: .seconds(10),
                    jitter: 0.2,
                    timeout: .seconds(3),
                    windows: [.seconds(60), .seconds(300), .seconds(3600)],
                    maxBodyBytes: 524_288,
                    userAgent: "slaprobe-test/1"
                )
        )
        #expect(config.probes.map(\.name) == ["entitlement", "checkout.fast", "webhook", "homepage"])
        #expect(config.sourceFile == "config.yml")

        let tls = TLSSettings(insecureSkipVerify: true, caFile: directory + "/ca.pem")
        let entitlement = ProbeConfig(
            name: "entitlement",
            kind: .entitlement,
            url: "https://billing.example.com/api/v1/entitlements?user_id=user%201&project_id=proj%261",
            interval: .seconds(10),
            timeout: .seconds(3),
            jitter: 0.2,
            maxBodyBytes: 524_288,
            assertions: [
                .jsonEquals(path: "entitled", value: .bool(true)),
                .jsonPresent(path: "data.items[0].id"),
                .jsonEquals(path: "plan", value: .string("pro")),
                .jsonEquals(path: "count", value: .number(3)),
                .jsonEquals(path: "missing", value: .null),
                .regex(#""entitled":\s*true"#),
                .notRegex("error"),
            ],
            apiKey: Secret("file-key-abc"),
            webhookSecret: Secret("whsec_abc"),
            userID: "user 1",
            projectID: "proj&1",
            priceID: "price_42",
            tls: tls,
            labels: [ProbeLabel(name: "team", value: "billing"), ProbeLabel(name: "tier", value: "gold")],
            line: 18
        )
        #expect(config.probes[0] == entitlement)
        #expect(config.probes[0].cache == .header(name: "X-Cache"))
        #expect(config.probes[0].method == "GET")
        #expect(config.probes[0].expectStatus == [.exact(200)])
        #expect(config.probes[0].latencyThreshold == .milliseconds(100))

        let checkout = ProbeConfig(
            name: "checkout.fast",
            kind: .checkout,
            url: "https://billing.example.com/api/v1/checkout/create",
            expectStatus: [.exact(200), .cls(2), .exact(201)],
            interval: .seconds(30),
            timeout: .seconds(5),
            jitter: 0.05,
            maxBodyBytes: 524_288,
            latencyThreshold: .milliseconds(250),
            apiKey: Secret("file-key-abc"),
            webhookSecret: Secret("whsec_abc"),
            userID: "user 1",
            projectID: "proj&1",
            priceID: "price_override",
            idempotencyReplay: true,
            tls: TLSSettings(insecureSkipVerify: false, caFile: directory + "/ca.pem"),
            line: 33
        )
        #expect(config.probes[1] == checkout)
        #expect(config.probes[1].method == "POST")

        let webhook = config.probes[2]
        #expect(webhook.url == "https://billing.example.com/api/v1/webhooks/stripe")
        #expect(webhook.webhookSecret == Secret("hook-from-file"))
        #expect(webhook.negativeCases == false)
        #expect(webhook.maxBodyBytes == 65536)
        #expect(webhook.cache == .metrics(url: "https://billing.example.com/metrics"))
        #expect(webhook.latencyThreshold == .seconds(1))
        #expect(webhook.expectStatus == [.cls(2)])

        let http = config.probes[3]
        #expect(http.url == "http://127.0.0.1:9000/health")
        #expect(http.method == "HEAD")
        #expect(
            http.headers == [
                HeaderField(name: "X-Foo", value: "bar"),
                HeaderField(name: "X-Request", value: "{{request_id}}-{{uuid}}"),
            ]
        )
        #expect(http.body == #"{"at": "{{now}}", "unix": {{unix}}}"#)
        #expect(http.reuseConnections)
        #expect(http.cache == .header(name: "X-Hit"))
        #expect(http.apiKey == nil)
        #expect(http.webhookSecret == nil)
        #expect(http.tls == TLSSettings())
        #expect(http.timeout == .seconds(3))

        #expect(config.alertingLine == 62)
        #expect(config.alerting.receivers == [ReceiverConfig(name: "oncall", url: "http://127.0.0.1:9999/hook")])
        #expect(config.alerting.rules.isEmpty)
        #expect(config.alerting.stateFile == directory + "/data/alerts-state.json")
        #expect(config.alerting.outbox.directory == directory + "/data/outbox")
    }

    @Test("an alerting section followed by another section is read from the same document, with its own lines")
    func alertingInTheMiddle() throws {
        let yaml = Fixtures.target + "alerting:\n  group_by: [probe]\n  group_wait: 3s\nglobal:\n  interval: 7s\n"
        let config = try Fixtures.parse(yaml)
        #expect(config.alertingLine == 5)
        #expect(config.alerting.grouping.groupBy == ["probe"])
        #expect(config.alerting.grouping.groupWait == 3)
        #expect(config.global.interval == .seconds(7))
        let errors = Fixtures.errors(
            Fixtures.target + "alerting:\n  anything: [goes, here]\n  not: validated\nglobal:\n  interval: 5s\n"
        )
        #expect(
            errors.map(\.description) == [
                #"config.yml:6:3: alerting.anything: unknown key "anything" (allowed: evaluation_interval, window, "#
                    + "long_window, default_rules, burn_rate_objective, external_url, runbook_base_url, labels, "
                    + "storage_path, group_by, group_wait, group_interval, repeat_interval, resend_delay, delivery, "
                    + #"outbox, rules, receivers, maintenance_windows)"#,
                #"config.yml:7:3: alerting.not: unknown key "not" (allowed: evaluation_interval, window, "#
                    + "long_window, default_rules, burn_rate_objective, external_url, runbook_base_url, labels, "
                    + "storage_path, group_by, group_wait, group_interval, repeat_interval, resend_delay, delivery, "
                    + #"outbox, rules, receivers, maintenance_windows)"#,
            ]
        )
    }

    @Test("defaults are applied when probes are omitted")
    func defaults() throws {
        let config = try Fixtures.parse(Fixtures.target)
        #expect(config.global == GlobalConfig())
        #expect(config.global.interval == .seconds(5))
        #expect(config.global.jitter == 0.1)
        #expect(config.global.timeout == .seconds(2))
        #expect(config.global.windows == [.seconds(60), .seconds(300)])
        #expect(config.global.maxBodyBytes == 1_048_576)
        #expect(config.global.userAgent == nil)
        #expect(config.alertingLine == nil)
        let storage = OutboxConfig(directory: "/nonexistent/data/outbox")
        #expect(
            config.alerting
                == AlertingConfig(
                    outbox: storage,
                    stateFile: "/nonexistent/data/alerts-state.json",
                    silencesFile: "/nonexistent/data/silences.json"
                )
        )
        #expect(config.probes.map(\.name) == ["entitlement", "checkout", "webhook"])
        #expect(config.probes.map(\.kind) == [.entitlement, .checkout, .webhook])
        #expect(
            config.probes.map(\.url) == [
                "http://127.0.0.1:8080/api/v1/entitlements?user_id=slaprobe-synthetic-user"
                    + "&project_id=slaprobe-synthetic-project",
                "http://127.0.0.1:8080/api/v1/checkout/create",
                "http://127.0.0.1:8080/api/v1/webhooks/stripe",
            ]
        )
        #expect(config.probes.map(\.method) == ["GET", "POST", "POST"])
        #expect(config.probes.map(\.expectStatus) == [[.exact(200)], [.cls(2)], [.cls(2)]])
        #expect(config.probes.map(\.latencyThreshold) == [.milliseconds(100), .milliseconds(500), .seconds(1)])
        #expect(config.probes.map(\.cache) == [.header(name: "X-Cache"), .none, .none])
        #expect(config.probes.map(\.negativeCases) == [false, false, true])
        #expect(config.probes.allSatisfy { !$0.idempotencyReplay && !$0.reuseConnections })
        #expect(config.probes.allSatisfy { $0.userID == "slaprobe-synthetic-user" })
        #expect(config.probes.allSatisfy { $0.priceID == "price_slaprobe_synthetic" })
        #expect(config.probes.allSatisfy { $0.timeout == .seconds(2) && $0.interval == .seconds(5) })
        #expect(config.probes[0].apiKey == Secret("key-123"))
        #expect(config.probes[2].webhookSecret == Secret("whsec_abc"))
        #expect(config.probes.allSatisfy { $0.line == nil })
    }

    @Test("an empty probes list also generates the default probes")
    func emptyProbes() throws {
        let config = try Fixtures.parse(Fixtures.target + "probes: []\n")
        #expect(config.probes.map(\.name) == ["entitlement", "checkout", "webhook"])
    }

    @Test("the timeout defaults to the interval when the interval is shorter than 2s")
    func shortInterval() throws {
        let config = try Fixtures.parse(
            Fixtures.target + "global:\n  interval: 1s\nprobes:\n  - name: entitlement\n    interval: 500ms\n"
        )
        #expect(config.global.timeout == .seconds(1))
        #expect(config.probes[0].timeout == .milliseconds(500))
    }

    @Test("the SLAPROBE_* variables supply missing secrets")
    func environmentFallback() throws {
        let yaml = "target:\n  url: http://127.0.0.1:8080\n"
        let config = try Fixtures.parse(
            yaml,
            environment: ["SLAPROBE_API_KEY": "env-key", "SLAPROBE_WEBHOOK_SECRET": "env-hook"]
        )
        #expect(config.probes[0].apiKey == Secret("env-key"))
        #expect(config.probes[1].apiKey == Secret("env-key"))
        #expect(config.probes[2].webhookSecret == Secret("env-hook"))
    }

    @Test("kind can be left out when the name is a kind")
    func kindFromName() throws {
        let config = try Fixtures.parse(Fixtures.target + "probes:\n  - name: checkout\n")
        #expect(config.probes[0].kind == .checkout)
    }

    @Test("relative *_file paths are resolved against the config file's directory")
    func relativeSecretFile() throws {
        let directory = try Fixtures.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory + "/conf", withIntermediateDirectories: true)
        try "key-from-relative-file\n\n".write(toFile: directory + "/conf/key.txt", atomically: true, encoding: .utf8)
        try "hook\n".write(toFile: directory + "/hook.txt", atomically: true, encoding: .utf8)
        let yaml = """
            target:
              url: http://127.0.0.1:8080
              api_key_file: key.txt
              webhook_secret_file: ../hook.txt
            """
        try yaml.write(toFile: directory + "/conf/slaprobe.yml", atomically: true, encoding: .utf8)
        let config = try ConfigLoader.load(file: directory + "/conf/slaprobe.yml", environment: [:])
        #expect(config.probes[0].apiKey?.value == "key-from-relative-file")
        #expect(config.probes[2].webhookSecret?.value == "hook")
        #expect(config.sourceFile == directory + "/conf/slaprobe.yml")

        // The same relative name is not found next to the process: it must not resolve against the cwd.
        let errors = Fixtures.errors(yaml, environment: [:], baseDirectory: directory)
        #expect(errors.first?.key == "target.api_key_file")
        #expect(errors.first?.message.contains(directory + "/key.txt") == true)
    }

    @Test("a missing config file is a located error")
    func missingFile() {
        #expect {
            _ = try ConfigLoader.load(file: "/nonexistent/slaprobe.yml", environment: [:])
        } throws: { error in
            (error as? ConfigErrors)?.errors.first?.file == "/nonexistent/slaprobe.yml"
        }
    }
}

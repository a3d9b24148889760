import Config
import Foundation
import Testing

@Suite("The alerting section, read in the same parse and validated with the command-line overrides")
struct AlertingSectionTests {
    static let t = Fixtures.target

    static func parse(_ yaml: String, overrides: AlertingOverrides) throws(ConfigErrors) -> SlaprobeConfig {
        try ConfigLoader.parse(
            yaml: yaml,
            file: "config.yml",
            baseDirectory: "/etc/slaprobe",
            overrides: overrides,
            environment: Fixtures.environment
        )
    }

    static func errors(_ body: () throws(ConfigErrors) -> SlaprobeConfig) -> [String] {
        do {
            _ = try body()
            Issue.record("expected the configuration to be refused")
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test("overrides add receivers after the configured ones and move the storage")
    func overridesAreApplied() throws {
        let yaml =
            Self.t
            + "alerting:\n  storage_path: state\n  receivers:\n    - name: oncall\n      url: https://a.example\n"
        let overrides = AlertingOverrides(
            webhookURLs: ["https://b.example/hook"],
            alertmanagerURLs: ["http://127.0.0.1:9093"],
            storagePath: "/var/lib/slaprobe"
        )
        let plain = try Self.parse(yaml, overrides: AlertingOverrides())
        #expect(plain.alerting.stateFile == "/etc/slaprobe/state/alerts-state.json")
        #expect(plain.alerting.outbox.directory == "/etc/slaprobe/state/outbox")

        let config = try Self.parse(yaml, overrides: overrides)
        #expect(config.alerting.receivers.map(\.name) == ["oncall", "webhook-1", "alertmanager-1"])
        #expect(config.alerting.receivers.map(\.kind) == [.webhook, .webhook, .alertmanager])
        #expect(config.alerting.stateFile == "/var/lib/slaprobe/alerts-state.json")
        #expect(config.alerting.outbox.directory == "/var/lib/slaprobe/outbox")
    }

    @Test("a bad override is refused by the same validation, at the alerting section's line")
    func badOverrideIsLocated() {
        let yaml = Self.t + "alerting:\n  group_wait: 1s\n"
        let errors = Self.errors { () throws(ConfigErrors) in
            try Self.parse(yaml, overrides: AlertingOverrides(webhookURLs: ["ftp://hooks.example.com"]))
        }
        #expect(
            errors == [
                "config.yml:5: alerting: receiver webhook-1: url ftp://hooks.example.com must be an absolute http or "
                    + "https URL"
            ]
        )
    }

    @Test("a problem of the section as a whole is reported at the alerting key")
    func sectionProblemIsLocated() {
        let errors = Fixtures.errors(Self.t + "alerting:\n  labels:\n    alertname: mine\n").map(\.description)
        #expect(errors == [#"config.yml:5: alerting: alerting: static label "alertname" is set by the evaluator"#])
    }

    @Test("probe and alerting errors come from one parse, together and in file order")
    func oneParseReportsEverySection() {
        let yaml = Self.t + "alerting:\n  group_wiat: 1s\nprobes:\n  - name: entitlement\n    timout: 1s\n"
        let errors = Fixtures.errors(yaml).map(\.description)
        #expect(
            errors == [
                #"config.yml:6:3: alerting.group_wiat: unknown key "group_wiat"; did you mean "group_wait"?"#,
                #"config.yml:9:5: probes[0].timout: unknown key "timout"; did you mean "timeout"?"#,
            ]
        )
    }

    @Test("a configuration built in code passes the same validation")
    func builtConfigurationIsValidated() throws {
        let built = SlaprobeConfig(global: GlobalConfig(), probes: [], sourceFile: "built-in")
        let valid = try ConfigLoader.validate(built, overrides: AlertingOverrides(webhookURLs: ["http://127.0.0.1:1/"]))
        #expect(valid.alerting.receivers.map(\.name) == ["webhook-1"])
        let errors = Self.errors { () throws(ConfigErrors) in
            try ConfigLoader.validate(built, overrides: AlertingOverrides(alertmanagerURLs: ["not a url"]))
        }
        #expect(
            errors == [
                "built-in: alerting: receiver alertmanager-1: url <invalid url> must be an absolute http or https URL"
            ]
        )
    }

    @Test("zero config keeps alert state under the working directory unless overridden")
    func zeroConfigStorage() throws {
        func load(_ overrides: AlertingOverrides) throws -> SlaprobeConfig {
            try ConfigLoader.defaultConfig(
                targetURL: "http://127.0.0.1:8080",
                apiKey: Secret("k"),
                webhookSecret: Secret("w"),
                interval: .seconds(5),
                overrides: overrides,
                environment: [:]
            )
        }
        let data = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("data").path
        #expect(try load(AlertingOverrides()).alerting.stateFile == data + "/alerts-state.json")
        let moved = try load(AlertingOverrides(webhookURLs: ["https://hooks.example.com"], storagePath: "/tmp/s"))
        #expect(moved.alerting.outbox.directory == "/tmp/s/outbox")
        #expect(moved.alerting.receivers.map(\.url) == ["https://hooks.example.com"])
    }
}

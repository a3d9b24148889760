import Config
import Foundation
import Testing

@Suite("Syntax-only checks without secrets")
struct SyntaxOnlyTests {
    static let yaml = """
        target:
          url: http://127.0.0.1:8080
          api_key_file: /run/secrets/billing-key
          webhook_secret_env: HOOK_SECRET
          ca_file: /run/secrets/ca.pem
        probes:
          - name: entitlement
          - name: webhook
          - name: checkout
            api_key_env: OTHER_KEY
          - name: health
            kind: http
            url: http://127.0.0.1:8080/healthz
        alerting:
          receivers:
            - name: oncall
              url_file: /run/secrets/oncall-url
              signing: standard_webhooks
              secret_env: ONCALL_SECRET

        """

    static func parse(_ yaml: String, readingSecrets: Bool) throws -> SlaprobeConfig {
        try ConfigLoader.parse(
            yaml: yaml,
            file: "config.yml",
            baseDirectory: "/nonexistent",
            environment: [:],
            readingSecrets: readingSecrets
        )
    }

    @Test("without reading secrets, missing files and variables are not errors")
    func noSecretsNeeded() throws {
        let config = try Self.parse(Self.yaml, readingSecrets: false)
        #expect(config.probes.map(\.name) == ["entitlement", "webhook", "checkout", "health"])
        #expect(config.alerting.receivers.map(\.name) == ["oncall"])
    }

    @Test("the same file is refused when secrets are read")
    func secretsRead() {
        #expect {
            _ = try Self.parse(Self.yaml, readingSecrets: true)
        } throws: { error in
            let keys = (error as? ConfigErrors)?.errors.map(\.key) ?? []
            return keys.contains("target.api_key_file") && keys.contains("target.webhook_secret_env")
                && keys.contains("target.ca_file") && keys.contains("probes[2].api_key_env")
        }
    }

    @Test("the SLAPROBE_* fallback variables are not needed either")
    func noFallbackNeeded() throws {
        let config = try Self.parse("target:\n  url: http://127.0.0.1:8080\n", readingSecrets: false)
        #expect(config.probes.count == 3)
    }

    @Test("syntax and structure are still checked")
    func structureChecked() {
        let bad = """
            target:
              url: http://127.0.0.1:8080
              api_key: inline-value
              webhook_secret_file: a
              webhook_secret_env: B
            global:
              interval: 1ms
            probes:
              - name: entitlement
                timout: 1s

            """
        #expect {
            _ = try Self.parse(bad, readingSecrets: false)
        } throws: { error in
            (error as? ConfigErrors)?.errors.map(\.key)
                == ["target.api_key", "target.webhook_secret_env", "global.interval", "probes[0].timout"]
        }
    }

    @Test("a file is loaded without reading secrets, and warnings are kept")
    func loadFile() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/slaprobe.yml"
        try (Self.yaml + "global:\n  interval: 500ms\n").write(toFile: path, atomically: true, encoding: .utf8)
        let config = try ConfigLoader.load(file: path, environment: [:], readingSecrets: false)
        #expect(config.probes.count == 4)
        #expect(config.warnings.map(\.key) == ["global.interval", "global.interval"])
    }
}

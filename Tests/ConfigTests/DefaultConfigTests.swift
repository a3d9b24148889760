import Config
import Testing

@Suite("Zero-config defaults")
struct DefaultConfigTests {
    @Test("explicit secrets build the three billing probes and the purchase journey")
    func explicitSecrets() throws {
        let config = try ConfigLoader.defaultConfig(
            targetURL: "https://billing.example.com/",
            apiKey: Secret("k"),
            webhookSecret: Secret("w"),
            interval: .seconds(10),
            environment: [:]
        )
        #expect(config.sourceFile == "<command line>")
        #expect(config.global.interval == .seconds(10))
        #expect(config.global.timeout == .seconds(2))
        #expect(config.probes.map(\.name) == ["entitlement", "checkout", "webhook", "purchase"])
        #expect(
            config.probes[0].url
                == "https://billing.example.com/api/v1/entitlements?user_id=slaprobe-synthetic-user"
                + "&project_id=slaprobe-synthetic-project"
        )
        #expect(config.probes[1].url == "https://billing.example.com/api/v1/checkout/create")
        #expect(config.probes[2].url == "https://billing.example.com/api/v1/webhooks/stripe")
        #expect(config.probes.map(\.apiKey) == [Secret("k"), Secret("k"), nil, Secret("k")])
        #expect(config.probes.map(\.webhookSecret) == [nil, nil, Secret("w"), Secret("w")])
        #expect(config.probes.prefix(3).allSatisfy { $0.interval == .seconds(10) && $0.timeout == .seconds(2) })
        #expect(config.probes[3].interval == .seconds(10) && config.probes[3].timeout == .seconds(15))
        #expect(
            config.probes.map(\.latencyThreshold)
                == [.milliseconds(100), .milliseconds(500), .seconds(1), .seconds(2)]
        )
    }

    @Test("the environment supplies missing secrets")
    func fromEnvironment() throws {
        let config = try ConfigLoader.defaultConfig(
            targetURL: "http://127.0.0.1:8080",
            apiKey: nil,
            webhookSecret: nil,
            interval: .seconds(1),
            environment: ["SLAPROBE_API_KEY": "env-key", "SLAPROBE_WEBHOOK_SECRET": "env-hook"]
        )
        #expect(config.probes[0].apiKey == Secret("env-key"))
        #expect(config.probes[2].webhookSecret == Secret("env-hook"))
        #expect(config.global.timeout == .seconds(1))
        #expect(config.probes[1].url == "http://127.0.0.1:8080/api/v1/checkout/create")
    }

    @Test("missing secrets and a bad URL are clear errors")
    func missing() {
        #expect {
            _ = try ConfigLoader.defaultConfig(
                targetURL: "ftp://x",
                apiKey: nil,
                webhookSecret: nil,
                interval: .seconds(5),
                environment: ["SLAPROBE_API_KEY": ""]
            )
        } throws: { error in
            guard let errors = (error as? ConfigErrors)?.errors else {
                return false
            }
            return errors.map(\.key) == ["target.url", "target.api_key_env", "target.webhook_secret_env"]
                && errors[0].message.contains("must use http or https")
                && errors[1].message.contains("SLAPROBE_API_KEY")
                && errors[2].message.contains("SLAPROBE_WEBHOOK_SECRET")
                && errors.allSatisfy { $0.file == "<command line>" && $0.line == nil }
        }
    }
}

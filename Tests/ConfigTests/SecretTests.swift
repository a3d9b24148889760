import Config
import Foundation
import Testing

@Suite("Secrets never leak")
struct SecretTests {
    static let apiKey = "sk_live_Zq9xDistinctiveApiKey"
    static let hookSecret = "whsec_Distinctive4711Hook"

    @Test("a secret prints as <secret>")
    func secretDescription() {
        let secret = Secret(Self.apiKey)
        #expect(String(describing: secret) == "<secret>")
        #expect(String(reflecting: secret) == "<secret>")
        #expect("\(secret)" == "<secret>")
        var dumped = ""
        dump(secret, to: &dumped)
        #expect(!dumped.contains(Self.apiKey))
        #expect(secret.value == Self.apiKey)
    }

    @Test("the loaded configuration does not show its secrets")
    func configDescriptions() throws {
        let directory = try Fixtures.temporaryDirectory()
        try (Self.hookSecret + "\n").write(toFile: directory + "/hook", atomically: true, encoding: .utf8)
        let yaml = """
            target:
              url: http://127.0.0.1:8080
              api_key_env: DISTINCT
              webhook_secret_file: hook
            """
        let config = try Fixtures.parse(yaml, environment: ["DISTINCT": Self.apiKey], baseDirectory: directory)
        #expect(config.probes[0].apiKey?.value == Self.apiKey)
        #expect(config.probes[2].webhookSecret?.value == Self.hookSecret)
        var dumped = ""
        dump(config, to: &dumped)
        for text in [String(describing: config), String(reflecting: config), dumped, "\(config.probes)"] {
            #expect(!text.contains(Self.apiKey))
            #expect(!text.contains(Self.hookSecret))
            #expect(text.contains("<secret>") || text == dumped)
        }
    }

    @Test("error descriptions never contain secret values")
    func errorDescriptions() throws {
        let directory = try Fixtures.temporaryDirectory()
        try Self.hookSecret.write(toFile: directory + "/hook", atomically: true, encoding: .utf8)
        let yaml = """
            target:
              url: http://127.0.0.1:8080
              api_key_env: DISTINCT
              webhook_secret_file: hook
            probes:
              - name: entitlement
                api_key: \(Self.apiKey)
              - name: checkout
                api_keyy: \(Self.apiKey)
              - name: webhook
                webhook_secret_env: \(Self.hookSecret)
              - name: other
                kind: http
                url: http://127.0.0.1/
                timeout: 1h
            """
        let errors = Fixtures.errors(yaml, environment: ["DISTINCT": Self.apiKey], baseDirectory: directory)
        #expect(errors.count == 4)
        #expect(errors.map(\.key).contains("probes[0].api_key"))
        #expect(errors.map(\.key).contains("probes[1].api_keyy"))
        #expect(errors.map(\.key).contains("probes[2].webhook_secret_env"))
        let all = ConfigErrors(errors).description + String(reflecting: ConfigErrors(errors))
        #expect(!all.contains(Self.apiKey))
        #expect(!all.contains(Self.hookSecret))
        #expect(all.contains("is it the secret itself?"))
    }

    @Test("an unreadable secret file is named, its content is not read into the error")
    func directoryAsSecretFile() throws {
        let directory = try Fixtures.temporaryDirectory()
        let yaml = "target:\n  url: http://h\n  api_key_file: .\n  webhook_secret_env: HOOK_SECRET\n"
        let errors = Fixtures.errors(yaml, baseDirectory: directory)
        #expect(errors.map(\.key) == ["target.api_key_file"])
        #expect(errors.first?.message == "cannot read secret file \"\(directory)\": it is a directory")
    }

    @Test("an empty secret file is refused")
    func emptySecretFile() throws {
        let directory = try Fixtures.temporaryDirectory()
        try "\n".write(toFile: directory + "/empty", atomically: true, encoding: .utf8)
        let yaml = "target:\n  url: http://h\n  api_key_file: empty\n  webhook_secret_env: HOOK_SECRET\n"
        let errors = Fixtures.errors(yaml, baseDirectory: directory)
        #expect(errors.map(\.line) == [3])
        #expect(errors.first?.message.contains("is empty") == true)
    }
}

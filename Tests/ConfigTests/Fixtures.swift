import Config
import Foundation
import Testing

/// Shared helpers: parsing with a fixed environment and collecting the errors of an invalid config.
enum Fixtures {
    static let environment = ["BILLING_KEY": "key-123", "HOOK_SECRET": "whsec_abc"]

    /// The target section used by most cases: four lines, so a case's own lines start at line 5.
    static let target = """
        target:
          url: http://127.0.0.1:8080
          api_key_env: BILLING_KEY
          webhook_secret_env: HOOK_SECRET

        """

    static func parse(
        _ yaml: String,
        environment: [String: String] = environment,
        baseDirectory: String = "/nonexistent"
    ) throws -> SlaprobeConfig {
        try ConfigLoader.parse(yaml: yaml, file: "config.yml", baseDirectory: baseDirectory, environment: environment)
    }

    /// The errors thrown for `yaml`, or an empty list (and a recorded issue) when it loads.
    static func errors(
        _ yaml: String,
        environment: [String: String] = environment,
        baseDirectory: String = "/nonexistent"
    ) -> [ConfigError] {
        do {
            _ = try parse(yaml, environment: environment, baseDirectory: baseDirectory)
            Issue.record("expected the configuration to be refused")
            return []
        } catch let error as ConfigErrors {
            return error.errors
        } catch {
            Issue.record("unexpected error type: \(error)")
            return []
        }
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("config-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

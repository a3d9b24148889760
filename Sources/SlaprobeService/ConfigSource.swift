import Config
import FoundationEssentials

/// Where the configuration comes from, so a reload reads it again the same way.
package enum ConfigSource: Sendable {
    /// A YAML file (`--config.file`).
    case file(String)
    /// Zero config: the three billing probes (and the purchase journey, given both secrets) against one target, from
    /// command-line flags and the environment.
    case flags(targetURL: String, apiKeyFile: String?, webhookSecretFile: String?, interval: Duration)
    /// A configuration built in code (the demo).
    case fixed(SlaprobeConfig)

    /// Loads and validates the configuration, `overrides` applied; throws ``ConfigErrors`` naming file, line
    /// and key.
    package func load(
        overrides: AlertingOverrides = AlertingOverrides(),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> SlaprobeConfig {
        switch self {
        case .file(let path):
            return try ConfigLoader.load(file: path, overrides: overrides, environment: environment)
        case .flags(let url, let keyFile, let secretFile, let interval):
            let key = try keyFile.map { try Self.readSecret($0, flag: "--target.api-key-file") }
            let secret = try secretFile.map { try Self.readSecret($0, flag: "--target.webhook-secret-file") }
            return try ConfigLoader.defaultConfig(
                targetURL: url,
                apiKey: key,
                webhookSecret: secret,
                interval: interval,
                overrides: overrides,
                environment: environment
            )
        case .fixed(let config):
            return try ConfigLoader.validate(config, overrides: overrides)
        }
    }

    /// A short description for logs (never secrets).
    package var description: String {
        switch self {
        case .file(let path): return path
        case .flags(let url, _, _, _): return "flags (target \(URLRedaction.userInfo.apply(to: url)))"
        case .fixed: return "built-in"
        }
    }

    private static func readSecret(_ path: String, flag: String) throws -> Secret {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigErrors([
                ConfigError(file: ConfigLoader.commandLineFile, key: flag, message: "cannot read \(path)")
            ])
        }
        var text = String(decoding: data, as: UTF8.self)
        while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
        guard !text.isEmpty else {
            throw ConfigErrors([ConfigError(file: ConfigLoader.commandLineFile, key: flag, message: "\(path) is empty")]
            )
        }
        return Secret(text)
    }
}

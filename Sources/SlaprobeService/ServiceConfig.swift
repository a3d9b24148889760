import Alerting
import Config
import Foundation

/// Everything one (re)load produces: the probes and the alerting section, validated together so a reload
/// either applies both or neither.
package struct ServiceConfig: Sendable {
    /// Probes and global settings.
    package var probes: SlaprobeConfig
    /// Rules, receivers and delivery settings.
    package var alerting: AlertingConfig

    /// Window lengths (seconds) the store must keep: the configured ones plus every one an alert rule reads.
    package var windowLengths: [Double] {
        var lengths = Set(probes.global.windows.map(\.inSeconds))
        if alerting.enabled {
            for rule in alerting.effectiveRules() { lengths.formUnion(rule.windows) }
        }
        return lengths.sorted()
    }
}

/// Command-line additions to the alerting section (`--alert.webhook-url`, `--alert.storage-path`).
package struct AlertingOverrides: Sendable {
    /// Each URL becomes a webhook receiver named `webhook-1`, `webhook-2`, …
    package var webhookURLs: [String]
    /// Each URL becomes an Alertmanager receiver named `alertmanager-1`, …
    package var alertmanagerURLs: [String]
    /// Where alert state and the outbox live, overriding `alerting.storage_path`.
    package var storagePath: String?

    /// Creates overrides.
    package init(webhookURLs: [String] = [], alertmanagerURLs: [String] = [], storagePath: String? = nil) {
        self.webhookURLs = webhookURLs
        self.alertmanagerURLs = alertmanagerURLs
        self.storagePath = storagePath
    }

    func apply(to config: inout AlertingConfig) {
        if let storagePath {
            let directory = URL(fileURLWithPath: storagePath)
            config.stateFile = directory.appendingPathComponent("alerts-state.json").path
            config.outbox.directory = directory.appendingPathComponent("outbox").path
        }
        for (index, url) in webhookURLs.enumerated() {
            config.receivers.append(ReceiverConfig(name: "webhook-\(index + 1)", kind: .webhook, url: url))
        }
        for (index, url) in alertmanagerURLs.enumerated() {
            config.receivers.append(ReceiverConfig(name: "alertmanager-\(index + 1)", kind: .alertmanager, url: url))
        }
    }
}

extension ConfigSource {
    /// Loads probes and alerting together; throws ``ConfigErrors`` naming file, line and key.
    package func loadService(
        overrides: AlertingOverrides = AlertingOverrides(),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> ServiceConfig {
        let probes = try load(environment: environment)
        let baseDirectory: String
        if case .file(let path) = self {
            baseDirectory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        } else {
            baseDirectory = FileManager.default.currentDirectoryPath
        }
        var alerting = try AlertingConfig.parse(
            node: probes.alertingNode,
            file: probes.sourceFile,
            baseDirectory: baseDirectory,
            environment: environment
        )
        overrides.apply(to: &alerting)
        let problems = alerting.validate()
        guard problems.isEmpty else {
            throw ConfigErrors(
                problems.map {
                    ConfigError(file: probes.sourceFile, line: probes.alertingLine, key: "alerting", message: $0)
                }
            )
        }
        return ServiceConfig(probes: probes, alerting: alerting)
    }
}

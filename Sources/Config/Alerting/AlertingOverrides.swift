/// Command-line additions to the alerting section (`--alert.webhook-url`, `--alert.storage-path`), applied
/// before the configuration is validated.
package struct AlertingOverrides: Sendable, Equatable {
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

    /// Adds the receivers and moves the storage of `config`.
    package func apply(to config: inout AlertingConfig) {
        if let storagePath {
            config.store(in: storagePath)
        }
        for (index, url) in webhookURLs.enumerated() {
            config.receivers.append(ReceiverConfig(name: "webhook-\(index + 1)", kind: .webhook, url: url))
        }
        for (index, url) in alertmanagerURLs.enumerated() {
            config.receivers.append(ReceiverConfig(name: "alertmanager-\(index + 1)", kind: .alertmanager, url: url))
        }
    }
}

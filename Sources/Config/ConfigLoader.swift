import FoundationEssentials

/// Loads slaprobe's YAML configuration strictly, reporting every problem with file, line and key path.
///
/// All entry points throw ``ConfigErrors`` (one or more ``ConfigError``) and return a configuration in
/// which every default is already applied, the command-line ``AlertingOverrides`` too, and which passed the one
/// validation, ``validate(_:overrides:)``.
package enum ConfigLoader {
    /// The pseudo file name used in errors from ``defaultConfig(targetURL:apiKey:webhookSecret:interval:overrides:environment:)``.
    package static let commandLineFile = "<command line>"

    /// Reads and parses a configuration file; relative `*_file` and `ca_file` paths are resolved against
    /// the file's directory, `*_env` names are looked up in `environment`.
    ///
    /// With `readingSecrets` false (`check-config --syntax-only`) only syntax and structure are checked: no
    /// `*_file` (nor `ca_file`) is opened, no `*_env` variable needs to be set, and every secret of the returned
    /// value is a placeholder, so it must never be used to probe.
    package static func load(
        file path: String,
        overrides: AlertingOverrides = AlertingOverrides(),
        environment: [String: String] = ProcessInfo.processInfo.environment,
        readingSecrets: Bool = true
    ) throws(ConfigErrors) -> SlaprobeConfig {
        var isDirectory = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ConfigErrors([ConfigError(file: path, key: "", message: "configuration file does not exist")])
        }
        guard !isDirectory, let data = FileManager.default.contents(atPath: path) else {
            throw ConfigErrors([ConfigError(file: path, key: "", message: "cannot read the configuration file")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigErrors([ConfigError(file: path, key: "", message: "the configuration file is not UTF-8 text")])
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try parse(
            yaml: text,
            file: path,
            baseDirectory: directory,
            overrides: overrides,
            environment: environment,
            readingSecrets: readingSecrets
        )
    }

    /// Parses configuration text; `file` is only used in errors and ``SlaprobeConfig/sourceFile``.
    /// `readingSecrets` is as in ``load(file:overrides:environment:readingSecrets:)``.
    package static func parse(
        yaml: String,
        file: String,
        baseDirectory: String,
        overrides: AlertingOverrides = AlertingOverrides(),
        environment: [String: String],
        readingSecrets: Bool = true
    ) throws(ConfigErrors) -> SlaprobeConfig {
        let parser = ConfigParser(
            file: file,
            baseDirectory: baseDirectory,
            environment: environment,
            readsSecrets: readingSecrets
        )
        guard let config = parser.parse(yaml: yaml), parser.errors.isEmpty else {
            throw ConfigErrors(parser.sortedErrors)
        }
        return try validate(config, overrides: overrides)
    }

    /// The one validation every configuration passes, however it was built: applies `overrides`, then checks
    /// the assembled value.
    package static func validate(
        _ config: SlaprobeConfig,
        overrides: AlertingOverrides = AlertingOverrides()
    ) throws(ConfigErrors) -> SlaprobeConfig {
        var config = config
        overrides.apply(to: &config.alerting)
        let errors = config.validate()
        guard errors.isEmpty else {
            throw ConfigErrors(errors)
        }
        return config
    }

    /// Zero-config: the three billing probes and the purchase journey against one target, as the command line
    /// builds them.
    ///
    /// `apiKey` nil reads `SLAPROBE_API_KEY` from `environment`, `webhookSecret` nil reads
    /// `SLAPROBE_WEBHOOK_SECRET`; a missing or empty one is an error saying what to set. An interval under
    /// 10ms is refused, one under 1s gives a warning. The timeout is 2s, or `interval` when that is shorter
    /// (with a warning). Alert state and the outbox live in `data/` under the working directory.
    package static func defaultConfig(
        targetURL: String,
        apiKey: Secret?,
        webhookSecret: Secret?,
        interval: Duration,
        overrides: AlertingOverrides = AlertingOverrides(),
        environment: [String: String]
    ) throws(ConfigErrors) -> SlaprobeConfig {
        let file = commandLineFile
        var errors: [ConfigError] = []
        let parser = ConfigParser(file: file, baseDirectory: "", environment: environment)
        let url = parser.url(.init(targetURL), "target.url")
        errors += parser.errors
        var warnings: [ConfigWarning] = []
        if interval <= .zero {
            errors.append(ConfigError(file: file, key: "global.interval", message: "interval must be greater than 0"))
        } else if let problem = ConfigParser.intervalProblem(interval) {
            errors.append(ConfigError(file: file, key: "global.interval", message: problem))
        } else {
            let notes = [
                ConfigParser.intervalNote(interval),
                ConfigParser.shortenedTimeoutNote(
                    interval: interval,
                    remedy: "use a configuration file to set a timeout"
                ),
            ]
            warnings = notes.compactMap { $0 }.map { ConfigWarning(file: file, key: "global.interval", message: $0) }
        }
        let resolvedKey = apiKey ?? environment[ConfigDefaults.apiKeyVariable].flatMap { $0.isEmpty ? nil : Secret($0) }
        if resolvedKey == nil || resolvedKey?.value.isEmpty == true {
            errors.append(
                ConfigError(
                    file: file,
                    key: "target.api_key_env",
                    message: "the entitlement and checkout probes need an API key: set the environment variable "
                        + "\(ConfigDefaults.apiKeyVariable) (or use a config file with api_key_file or api_key_env)"
                )
            )
        }
        let resolvedSecret =
            webhookSecret ?? environment[ConfigDefaults.webhookSecretVariable].flatMap { $0.isEmpty ? nil : Secret($0) }
        if resolvedSecret == nil || resolvedSecret?.value.isEmpty == true {
            errors.append(
                ConfigError(
                    file: file,
                    key: "target.webhook_secret_env",
                    message: "the webhook probe needs a signing secret: set the environment variable "
                        + "\(ConfigDefaults.webhookSecretVariable) (or use a config file with webhook_secret_file "
                        + "or webhook_secret_env)"
                )
            )
        }
        guard errors.isEmpty, let url else {
            throw ConfigErrors(errors)
        }
        let global = GlobalConfig(interval: interval, timeout: min(ConfigDefaults.timeout, interval))
        var probes = [ProbeKind.entitlement, .checkout, .webhook].map { kind in
            ProbeConfig(
                name: kind.rawValue,
                kind: kind,
                url: ConfigParser.billingURL(
                    kind: kind,
                    base: url,
                    userID: ConfigDefaults.userID,
                    projectID: ConfigDefaults.projectID
                ),
                interval: global.interval,
                timeout: global.timeout,
                jitter: global.jitter,
                maxBodyBytes: global.maxBodyBytes,
                apiKey: kind.needsAPIKey ? resolvedKey : nil,
                webhookSecret: kind.needsWebhookSecret ? resolvedSecret : nil
            )
        }
        probes += purchaseJourney(base: url, global: global, apiKey: resolvedKey, webhookSecret: resolvedSecret)
        var alerting = AlertingConfig()
        let workingDirectory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        alerting.store(in: workingDirectory.appendingPathComponent(ConfigDefaults.storagePath).path)
        let config = SlaprobeConfig(
            global: global,
            probes: probes,
            alerting: alerting,
            sourceFile: file,
            warnings: warnings
        )
        return try validate(config, overrides: overrides)
    }

    /// The built-in purchase journey of the zero-config set, named `purchase`: present only when both secrets are
    /// given (it checks out with the API key and signs webhooks with the secret).
    package static func purchaseJourney(
        base: String,
        global: GlobalConfig,
        apiKey: Secret?,
        webhookSecret: Secret?
    ) -> [ProbeConfig] {
        guard let apiKey, !apiKey.value.isEmpty, let webhookSecret, !webhookSecret.value.isEmpty else {
            return []
        }
        return [
            ProbeConfig(
                name: ConfigDefaults.purchaseJourney,
                kind: .journey,
                url: base,
                interval: global.interval,
                timeout: ConfigDefaults.journeyTimeout,
                jitter: global.jitter,
                maxBodyBytes: global.maxBodyBytes,
                apiKey: apiKey,
                webhookSecret: webhookSecret,
                journey: PurchaseJourney.journey(
                    base: base,
                    projectID: ConfigDefaults.projectID,
                    priceID: ConfigDefaults.priceID,
                    stepTimeout: global.timeout
                )
            )
        ]
    }
}

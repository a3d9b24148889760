import ArgumentParser
import Config
import FoundationEssentials
import Logging
import SlaprobeService

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

#if os(Linux)
    import CMalloc
#endif

/// `--log.level` and `--log.format`, as Prometheus exporters spell them.
struct LoggingOptions: ParsableArguments {
    @Option(
        name: .customLong("log.level"),
        help: "Only log messages with the given severity or above: debug, info, warn, error."
    )
    var level: String = "info"

    @Option(name: .customLong("log.format"), help: "Output format of log messages: logfmt or json.")
    var format: String = "logfmt"

    func validate() throws {
        guard Self.levels[level] != nil else {
            throw ValidationError("--log.level must be one of debug, info, warn, error (got \(level))")
        }
        guard LogFormat(rawValue: format) != nil else {
            throw ValidationError("--log.format must be logfmt or json (got \(format))")
        }
    }

    static let levels: [String: Logger.Level] = [
        "debug": .debug, "info": .info, "warn": .warning, "warning": .warning, "error": .error,
    ]

    /// Installs the log handler and returns the root logger.
    func bootstrap() -> Logger {
        let level = Self.levels[level] ?? .info
        let format = LogFormat(rawValue: format) ?? .logfmt
        LoggingSystem.bootstrap { label in LineLogHandler(label: label, format: format, level: level) }
        return Logger(label: "slaprobe")
    }
}

/// `--log.results`: which probe runs get a log line of their own.
struct ResultLogOptions: ParsableArguments {
    @Option(
        name: .customLong("log.results"),
        help: "Log a line per probe run: failures (every failed run), all, or none."
    )
    var results: String = "failures"

    func validate() throws {
        guard ResultLogMode(rawValue: results) != nil else {
            throw ValidationError("--log.results must be one of failures, all, none (got \(results))")
        }
    }

    var mode: ResultLogMode { ResultLogMode(rawValue: results) ?? .failures }
}

/// Where probes come from: a config file, or the zero-config target flags.
struct ProbeSourceOptions: ParsableArguments {
    @Option(name: .customLong("config.file"), help: "Path to the YAML configuration file.")
    var configFile: String?

    @Option(
        name: .customLong("target.url"),
        help: "Base URL of the billing API (zero config: the billing probes, and the purchase journey)."
    )
    var targetURL: String?

    @Option(
        name: .customLong("target.api-key-file"),
        help: "File holding the API key (default: the SLAPROBE_API_KEY environment variable)."
    )
    var apiKeyFile: String?

    @Option(
        name: .customLong("target.webhook-secret-file"),
        help: "File holding the webhook signing secret (default: the SLAPROBE_WEBHOOK_SECRET environment variable)."
    )
    var webhookSecretFile: String?

    // Unconditional, so that "--probe.interval -1s" reaches the duration check instead of reading as an option.
    @Option(
        name: .customLong("probe.interval"),
        parsing: .unconditional,
        help: "How often each probe runs, zero config (e.g. 5s, 500ms)."
    )
    var interval: String = "5s"

    @Option(
        help: """
            Run only this replica's share of the probes, as INDEX/COUNT (0-based, e.g. 0/3): a probe belongs to \
            shard fnv1a64(name) % COUNT.
            """
    )
    var shard: String = "0/1"

    func validate() throws {
        if configFile != nil && targetURL != nil {
            throw ValidationError("give either --config.file or --target.url, not both")
        }
        _ = try parsedInterval()
        guard Shard.parse(shard) != nil else {
            throw ValidationError("--shard must be INDEX/COUNT with 0 <= INDEX < COUNT, e.g. 0/3 (got \(shard))")
        }
    }

    /// The parsed `--shard`.
    var parsedShard: Shard { Shard.parse(shard) ?? .all }

    func parsedInterval() throws -> Duration {
        do {
            return try parseDuration(interval)
        } catch {
            throw ValidationError("--probe.interval: \(error)")
        }
    }

    /// The configuration source. Checked here rather than in `validate()`, which runs before the parser reports
    /// unknown options: a misspelt `--target-url` then gets "did you mean --target.url" instead of this message.
    func source() throws -> ConfigSource {
        if let configFile { return .file(configFile) }
        guard let targetURL else {
            throw ValidationError("give --config.file FILE, or --target.url URL for the three default billing probes")
        }
        return .flags(
            targetURL: targetURL,
            apiKeyFile: apiKeyFile,
            webhookSecretFile: webhookSecretFile,
            interval: try parsedInterval()
        )
    }
}

/// Prints an error the way the commands report them and exits with status 1.
func fail(_ message: String) -> Never {
    StandardError.write("slaprobe: \(message)\n")
    exit(1)
}

/// Returns large buffers to the system when they are freed. A scrape of a thousand probes builds a page of
/// about 13 MB; with glibc's default, dynamically rising mmap threshold those buffers are kept in the heap and
/// resident memory grows with every large scrape.
func tuneAllocator() {
    #if os(Linux)
        _ = slaprobe_set_mmap_threshold(1 << 20)
    #endif
}

/// Runs the prober until SIGTERM or SIGINT; a start-up error (invalid config, address in use) exits with 1.
func runProbeService(
    source: ConfigSource,
    web: WebOptions,
    alerting: AlertingOverrides,
    shard: Shard = .all,
    results: ResultLogMode,
    logger: Logger
) async {
    tuneAllocator()
    let webConfig: WebConfig
    do {
        webConfig = try web.webFile.map { try WebConfig.load(file: $0) } ?? .none
    } catch {
        fail("\(error)")
    }
    let service = ProbeService(
        source: source,
        options: ProbeService.Options(
            listenAddress: web.listenAddress,
            shard: shard,
            web: webConfig,
            alerting: alerting,
            resultLog: results
        ),
        logger: logger
    )
    do {
        try await service.run()
    } catch {
        fail("\(error)")
    }
}

/// Where and how slaprobe serves its own endpoints.
struct WebOptions: ParsableArguments {
    @Option(name: .customLong("web.listen-address"), help: "Address to serve metrics and the API on.")
    var listenAddress: String = ":9330"

    @Option(
        name: .customLong("web.config.file"),
        help: "Exporter-toolkit web configuration (TLS and basic auth for every endpoint)."
    )
    var webFile: String?
}

/// Alert receivers and storage from the command line, added to the configuration file's `alerting:` section.
struct AlertOptions: ParsableArguments {
    @Option(
        name: .customLong("alert.webhook-url"),
        help: "Send alerts to this URL as Alertmanager webhook payloads (version 4). Repeat for more receivers."
    )
    var webhookURLs: [String] = []

    @Option(
        name: .customLong("alert.alertmanager-url"),
        help: "Push alerts to this Alertmanager (its base URL; /api/v2/alerts is appended). Repeatable."
    )
    var alertmanagerURLs: [String] = []

    @Option(
        name: .customLong("alert.storage-path"),
        help: "Directory for alert state and the notification outbox (default: alerting.storage_path, else ./data)."
    )
    var storagePath: String?

    func overrides(defaultStorage: String? = nil) -> AlertingOverrides {
        AlertingOverrides(
            webhookURLs: webhookURLs,
            alertmanagerURLs: alertmanagerURLs,
            storagePath: storagePath ?? defaultStorage
        )
    }
}

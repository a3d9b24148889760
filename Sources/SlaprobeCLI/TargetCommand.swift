import ArgumentParser
import Config
import FoundationEssentials
import HTTPServer
import Simulator
import SlaprobeService

/// Start-time fault knobs of the simulated billing API (changeable later through `/admin/faults`).
struct SimulatorOptions: ParsableArguments {
    @Option(help: "Fixed delay added to every response (e.g. 150ms).")
    var latency: String = "2ms"

    @Option(help: "Extra random delay, uniformly 0 up to this.")
    var jitter: String = "6ms"

    @Option(name: .customLong("miss-latency"), help: "Extra delay of an entitlement cache miss.")
    var missLatency: String = "15ms"

    @Option(name: .customLong("error-rate"), help: "Share of requests answered with HTTP 500 (0..1).")
    var errorRate: Double = 0

    @Option(name: .customLong("cache-hit-ratio"), help: "Share of entitlement lookups served from the cache (0..1).")
    var cacheHitRatio: Double = 0.9

    @Option(
        name: .customLong("cache-users"),
        help: "Users kept warm in the entitlement cache; a user's first lookup, or one after eviction, misses."
    )
    var cacheUsers: Int = 1000

    @Option(name: .customLong("grant-delay"), help: "Processing delay from a completed checkout to its grant.")
    var grantDelay: String = "20ms"

    @Option(name: .customLong("grant-jitter"), help: "Extra random processing delay, uniformly 0 up to this.")
    var grantJitter: String = "30ms"

    @Flag(name: .customLong("drop-grants"), help: "Acknowledge completed checkouts and never grant them.")
    var dropGrants = false

    @Option(name: .customLong("grant-error-rate"), help: "Share of grants whose processing fails (0..1).")
    var grantErrorRate: Double = 0

    @Option(name: .customLong("max-sessions"), help: "Checkout sessions remembered (the oldest are forgotten).")
    var maxSessions: Int = 10_000

    @Option(name: .customLong("max-customers"), help: "Entitled new customers remembered (the oldest are forgotten).")
    var maxCustomers: Int = 10_000

    func validate() throws {
        guard (0...1).contains(errorRate) else { throw ValidationError("--error-rate must be between 0 and 1") }
        guard (0...1).contains(cacheHitRatio) else {
            throw ValidationError("--cache-hit-ratio must be between 0 and 1")
        }
        guard (0...1).contains(grantErrorRate) else {
            throw ValidationError("--grant-error-rate must be between 0 and 1")
        }
        guard cacheUsers >= 0 else { throw ValidationError("--cache-users must not be negative") }
        guard maxSessions >= 1 else { throw ValidationError("--max-sessions must be at least 1") }
        guard maxCustomers >= 1 else { throw ValidationError("--max-customers must be at least 1") }
        let durations = [
            ("--latency", latency), ("--jitter", jitter), ("--miss-latency", missLatency),
            ("--grant-delay", grantDelay), ("--grant-jitter", grantJitter),
        ]
        for (flag, value) in durations {
            do { _ = try parseDuration(value) } catch { throw ValidationError("\(flag): \(error)") }
        }
    }

    func simulatorOptions(apiKey: String, webhookSecret: String) throws -> BillingSimulator.Options {
        func seconds(_ text: String) throws -> Double {
            try parseDuration(text).inSeconds
        }
        let faults = EndpointFaults(
            latency: try seconds(latency),
            jitter: try seconds(jitter),
            missLatency: try seconds(missLatency),
            errorRate: errorRate
        )
        return BillingSimulator.Options(
            apiKey: apiKey,
            webhookSecret: webhookSecret,
            cacheHitRatio: cacheHitRatio,
            faults: Dictionary(uniqueKeysWithValues: SimulatedEndpoint.allCases.map { ($0, faults) }),
            grants: GrantFaults(
                delay: try seconds(grantDelay),
                jitter: try seconds(grantJitter),
                dropGrants: dropGrants,
                errorRate: grantErrorRate
            ),
            cacheUsers: cacheUsers,
            sessionCapacity: maxSessions,
            customerCapacity: maxCustomers
        )
    }
}

/// `slaprobe target`: only the simulated billing API.
struct TargetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "target",
        abstract: "Run only the simulated billing API, with knobs for latency, errors, the cache and grants.",
        discussion: """
            The API key and webhook secret come from SLAPROBE_API_KEY and SLAPROBE_WEBHOOK_SECRET (or the *-file \
            options). Change behaviour while it runs:
              curl -X POST 'http://127.0.0.1:8080/admin/faults?endpoint=entitlement&latency=150ms&jitter=0'
            Settings: endpoint (entitlement, checkout, webhook, all), latency, jitter, miss_latency, error_rate, \
            status, hang, body_bytes, cache_hit_ratio, cache_users, grant_delay, grant_jitter, drop_grants, \
            grant_error_rate, reset.
            """
    )

    @OptionGroup var logging: LoggingOptions
    @OptionGroup var simulator: SimulatorOptions

    @Option(name: .customLong("web.listen-address"), help: "Address the simulated API listens on.")
    var listenAddress: String = "127.0.0.1:8080"

    @Option(name: .customLong("api-key-file"), help: "File holding the API key the simulator accepts.")
    var apiKeyFile: String?

    @Option(name: .customLong("webhook-secret-file"), help: "File holding the webhook signing secret.")
    var webhookSecretFile: String?

    func run() async throws {
        let logger = logging.bootstrap()
        let environment = ProcessInfo.processInfo.environment
        let apiKey = try secret(file: apiKeyFile, variable: "SLAPROBE_API_KEY", flag: "--api-key-file", environment)
        let webhookSecret = try secret(
            file: webhookSecretFile,
            variable: "SLAPROBE_WEBHOOK_SECRET",
            flag: "--webhook-secret-file",
            environment
        )
        let (host, port) = try ServerOptions.parseListenAddress(listenAddress)
        let sim = BillingSimulator(
            options: try simulator.simulatorOptions(apiKey: apiKey, webhookSecret: webhookSecret)
        )
        let lifecycle = SimulatorLifecycle(simulator: sim, host: host, port: port) { bound in
            logger.info(
                "simulated billing API listening",
                metadata: ["address": "\(host.isEmpty ? "0.0.0.0" : host):\(bound)"]
            )
        }
        do {
            try await ServiceRunner.run([lifecycle], logger: logger)
        } catch {
            fail("\(error)")
        }
    }

    private func secret(file: String?, variable: String, flag: String, _ environment: [String: String]) throws -> String
    {
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else { fail("\(flag): cannot read \(file)") }
            let text = String(decoding: data, as: UTF8.self)
            let isNewline: (Character) -> Bool = { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
            return String(text.drop(while: isNewline).reversed().drop(while: isNewline).reversed())
        }
        guard let value = environment[variable], !value.isEmpty else {
            fail("set \(variable) (or \(flag)) to the value the simulated API should accept")
        }
        return value
    }
}

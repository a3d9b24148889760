import ArgumentParser
import Config
import FoundationEssentials
import HTTPServer
import Simulator
import SlaprobeService

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// `slaprobe demo`: the whole service against a built-in simulated billing API, no setup.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run slaprobe against a built-in simulated billing API: no setup needed."
    )

    @OptionGroup var logging: LoggingOptions
    @OptionGroup var resultLog: ResultLogOptions
    @OptionGroup var simulator: SimulatorOptions

    @OptionGroup var web: WebOptions
    @OptionGroup var alerts: AlertOptions

    @Option(name: .customLong("target.listen-address"), help: "Address of the simulated billing API.")
    var targetAddress: String = "127.0.0.1:0"

    @Option(name: .customLong("probe.interval"), parsing: .unconditional, help: "How often each probe runs.")
    var interval: String = "1s"

    func run() async throws {
        let logger = logging.bootstrap()
        // Fresh random credentials each run: both sides get them in memory, they are never printed.
        let apiKey = "sk_demo_" + UUID().uuidString.lowercased()
        let webhookSecret = "whsec_demo_" + UUID().uuidString.lowercased()
        let sim = BillingSimulator(
            options: try simulator.simulatorOptions(apiKey: apiKey, webhookSecret: webhookSecret)
        )
        let server: HTTPServer
        let config: SlaprobeConfig
        do {
            let (host, port) = try ServerOptions.parseListenAddress(targetAddress)
            server = try sim.start(host: host.isEmpty ? "127.0.0.1" : host, port: port)
            config = try ConfigLoader.defaultConfig(
                targetURL: "http://127.0.0.1:\(server.port)",
                apiKey: Secret(apiKey),
                webhookSecret: Secret(webhookSecret),
                interval: try parseDuration(interval),
                environment: [:]
            )
        } catch {
            fail("\(error)")
        }
        defer {
            sim.releaseHangingRequests()
            server.stop()
        }
        let target = "http://127.0.0.1:\(server.port)"
        logger.info("simulated billing API listening", metadata: ["address": "127.0.0.1:\(server.port)"])
        let (webHost, webPort) = try ServerOptions.parseListenAddress(web.listenAddress)
        let shown = "http://\(webHost.isEmpty || webHost == "0.0.0.0" ? "127.0.0.1" : webHost):\(webPort)"
        print(
            """
            slaprobe demo
              status page  \(shown)/
              metrics      \(shown)/metrics
              target       \(target)  (simulated billing API)
            Break the SLA while it runs, then watch the windows move:
              curl -X POST '\(target)/admin/faults?endpoint=entitlement&latency=150ms&jitter=0'
              curl -X POST '\(target)/admin/faults?endpoint=checkout&error_rate=0.05'
              curl -X POST '\(target)/admin/faults?cache_hit_ratio=0.5'
              curl -X POST '\(target)/admin/faults?reset=true'
            Stop with Ctrl-C.
            """
        )
        fflush(nil)
        await runProbeService(
            source: .fixed(config),
            web: web,
            alerting: alerts.overrides(defaultStorage: alerts.storagePath == nil ? try DemoStorage.create() : nil),
            results: resultLog.mode,
            logger: logger
        )
    }
}

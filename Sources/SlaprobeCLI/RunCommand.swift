import ArgumentParser
import SlaprobeService

/// `slaprobe run`: the long-running prober and exporter (the default command).
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the probes and serve /metrics, health, the status page and the API (default)."
    )

    @OptionGroup var probes: ProbeSourceOptions
    @OptionGroup var logging: LoggingOptions
    @OptionGroup var resultLog: ResultLogOptions

    @OptionGroup var web: WebOptions
    @OptionGroup var alerts: AlertOptions

    func run() async throws {
        let logger = logging.bootstrap()
        await runProbeService(
            source: try probes.source(),
            web: web,
            alerting: alerts.overrides(),
            shard: probes.parsedShard,
            results: resultLog.mode,
            logger: logger
        )
    }
}

import ArgumentParser
import SlaprobeService

/// `slaprobe`: a synthetic prober and Prometheus exporter for a billing & entitlements API.
@main
struct SlaprobeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slaprobe",
        abstract: "Synthetic probes, rolling latency windows and SLA alerts for a billing & entitlements API.",
        version: Version.number,
        subcommands: [
            RunCommand.self, DemoCommand.self, TargetCommand.self, CheckConfigCommand.self, OnceCommand.self,
        ],
        defaultSubcommand: RunCommand.self
    )
}

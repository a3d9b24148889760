import ArgumentParser
import SlaprobeService
import TaskPool

/// `slaprobe`: a synthetic prober and Prometheus exporter for a billing & entitlements API.
@main
struct SlaprobeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slaprobe",
        abstract: "Synthetic probes, rolling latency windows and SLA alerts for a billing & entitlements API.",
        version: Version.number,
        subcommands: [
            RunCommand.self, DemoCommand.self, TargetCommand.self, CheckConfigCommand.self, OnceCommand.self,
            GateCommand.self,
        ],
        defaultSubcommand: RunCommand.self
    )

    /// Parses and runs the command. A first word that is no command would otherwise be taken as a stray argument
    /// of the default `run` command, whose complaint ("give --config.file ...") does not say what went wrong.
    static func main() async {
        // Before the first task: every task then runs on slaprobe's own pool, which does not poll.
        PooledTaskExecutor.installAsDefault()
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let word = arguments.first, let message = unknownCommandMessage(word) {
            exit(withError: ValidationError(message))
        }
        await main(arguments)
    }

    /// The message for a first argument that is neither an option nor a command, or nil.
    static func unknownCommandMessage(_ word: String) -> String? {
        let commands = configuration.subcommands.compactMap { $0.configuration.commandName }
        guard !word.hasPrefix("-"), !commands.contains(word), word != "help" else { return nil }
        let version = word == "version" ? "; the version is printed by --version" : ""
        return "unknown command \"\(word)\" (commands: \(commands.joined(separator: ", ")))\(version)"
    }
}

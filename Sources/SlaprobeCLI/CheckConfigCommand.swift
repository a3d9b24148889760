import ArgumentParser
import Config
import FoundationEssentials
import SlaprobeService

/// `slaprobe check-config FILE`: validates a configuration file and exits non-zero if it is invalid.
struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate a configuration file; errors name the file, line and key."
    )

    @Argument(help: "The YAML configuration file.")
    var file: String

    @Flag(name: .customLong("syntax-only"), help: "Check syntax and structure only: read no *_file, need no *_env.")
    var syntaxOnly = false

    /// Up to this many probes are listed by name; more are only counted.
    static let namesShown = 10

    func run() throws {
        do {
            let config =
                syntaxOnly
                ? try ConfigLoader.load(file: file, readingSecrets: false)
                : try ConfigSource.file(file).loadService().probes
            for warning in config.warnings {
                StandardError.write("warning: \(warning)\n")
            }
            let probes = config.probes
            // A few names help to confirm the right file was checked; thousands would be one unreadable line.
            let names = probes.count <= Self.namesShown ? " (\(probes.map(\.name).joined(separator: ", ")))" : ""
            print("\(file): OK, \(probes.count) probe\(probes.count == 1 ? "" : "s")\(names)")
        } catch {
            StandardError.write("\(error)\n")
            throw ExitCode(1)
        }
    }
}

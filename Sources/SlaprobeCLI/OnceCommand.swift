import ArgumentParser
import FoundationEssentials
import SlaprobeService

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// `slaprobe once`: runs each probe once, prints its phases and outcome, exits 1 if any probe failed.
struct OnceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "once",
        abstract: "Run each probe once, print a table of phases and outcomes, exit non-zero if any failed."
    )

    @OptionGroup var probes: ProbeSourceOptions

    @Option(help: "Output format: table or json.")
    var output: String = "table"

    func validate() throws {
        guard output == "table" || output == "json" else { throw ValidationError("--output must be table or json") }
    }

    func run() async throws {
        let source = try probes.source()
        Self.exitOnSignals()
        let report: OnceReport
        do {
            report = try await OnceReport.run(source: source, shard: probes.parsedShard)
        } catch {
            fail("\(error)")
        }
        guard !report.results.isEmpty else {
            fail(
                "no probe selected: shard \(probes.parsedShard) owns none of the \(report.configuredProbes) "
                    + "configured probes (a probe belongs to shard fnv1a64(name) % COUNT)"
            )
        }
        print(output == "json" ? report.json() : report.table(), terminator: "")
        if !report.allSucceeded { throw ExitCode(1) }
    }

    /// Ctrl-C (SIGINT) and SIGTERM end the run at once with 128 + the signal number, as a shell reports a killed
    /// command, even while a probe waits for a target that never answers. The handlers replace an inherited
    /// "ignore" (a shell script starting `once` in the background ignores SIGINT for it). They do only what is
    /// safe in a signal handler: one write(2) and _exit(2), so nothing can keep them waiting.
    private static func exitOnSignals() {
        for number in [SIGINT, SIGTERM] {
            _ = signal(number) { number in
                let message: StaticString = "slaprobe: interrupted, probes not finished\n"
                _ = write(STDERR_FILENO, message.utf8Start, message.utf8CodeUnitCount)
                _exit(128 + number)
            }
        }
    }
}

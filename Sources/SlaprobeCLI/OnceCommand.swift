import ArgumentParser
import Foundation
import SlaprobeService

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
        let report: OnceReport
        do {
            report = try await OnceReport.run(source: try probes.source(), shard: probes.parsedShard)
        } catch {
            fail("\(error)")
        }
        print(output == "json" ? report.json() : report.table(), terminator: "")
        if !report.allSucceeded { throw ExitCode(1) }
    }
}

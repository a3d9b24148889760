import Alerting
import ArgumentParser
import Config
import FoundationEssentials
import SlaprobeService

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// `slaprobe gate`: a post-deploy check. Runs the probes for a while, judges the alert rules on those runs alone,
/// prints a table, writes JSON and JUnit reports, and exits 0 (every rule holds), 1 (a rule is broken) or 2 (too
/// few samples to judge).
struct GateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate",
        abstract: "Run the probes for a while and judge the alert rules on those runs alone (a deploy gate).",
        discussion: """
            Exit status: 0 when every rule holds, 1 when any rule is broken, 2 when too few samples were taken \
            to judge (the output says how many are needed), 3 when the gate could not run (invalid \
            configuration, unwritable report).
            """
    )

    @OptionGroup var probes: ProbeSourceOptions

    @Option(help: "Run the probes this long (e.g. 2m, 30s).")
    var duration: String?

    @Option(help: "Stop once every probe has run this many times (with --duration too: whichever comes first).")
    var runs: Int?

    @Option(name: .customLong("report.json"), help: "Write the JSON report to this file.")
    var reportJSON: String?

    @Option(name: .customLong("report.junit"), help: "Write a JUnit XML report to this file.")
    var reportJUnit: String?

    func validate() throws {
        guard duration != nil || runs != nil else { throw ValidationError("give --duration D or --runs N (or both)") }
        if let runs, runs < 1 { throw ValidationError("--runs must be at least 1 (got \(runs))") }
        _ = try parsedDuration()
    }

    func parsedDuration() throws -> Double? {
        guard let duration else { return nil }
        let parsed: Duration
        do {
            parsed = try parseDuration(duration)
        } catch {
            throw ValidationError("--duration: \(error)")
        }
        guard parsed > .zero else { throw ValidationError("--duration must be positive (got \(duration))") }
        return parsed.inSeconds
    }

    func run() async throws {
        let source = try probes.source()
        let config: SlaprobeConfig
        do {
            config = try source.load()
        } catch {
            Self.stop("\(error)")
        }
        let gate = GateRun(config: config, shard: probes.parsedShard, duration: try parsedDuration(), runs: runs)
        guard !gate.probes.isEmpty else {
            Self.stop("no probe selected: shard \(probes.parsedShard) owns none of the \(config.probes.count) probes")
        }
        let goal = [duration.map { "for \($0)" }, runs.map { "until each has run \($0) times" }].compactMap { $0 }
        Self.note("gate: running \(gate.probes.count) probes \(goal.joined(separator: " or "))")
        let report = await gate.run { progress in
            let runs = progress.runs.map { "\($0.probe)=\($0.runs)" }.joined(separator: " ")
            Self.note("gate: \(PrintfFormat.string("%.0f", progress.elapsed))s elapsed, runs so far: \(runs)")
        }
        if let runs, let short = report.runs.first(where: { $0.runs < runs }) {
            Self.note(
                "gate: stopped after \(PrintfFormat.string("%.0f", report.durationSeconds))s, before every probe had run "
                    + "\(runs) times (\(short.probe): \(short.runs))"
            )
        }
        print(report.table(), terminator: "")
        do {
            if let reportJSON { try report.json().write(toFile: reportJSON, atomically: true, encoding: .utf8) }
            if let reportJUnit { try report.junit().write(toFile: reportJUnit, atomically: true, encoding: .utf8) }
        } catch {
            Self.stop("cannot write the report: \(error)")
        }
        throw ExitCode(report.outcome.exitCode)
    }

    private static func note(_ line: String) {
        StandardError.write(line + "\n")
    }

    /// Reports why the gate could not run and exits 3, apart from the gate's own verdict codes.
    private static func stop(_ message: String) -> Never {
        note("slaprobe: \(message)")
        Glibc.exit(3)
    }
}

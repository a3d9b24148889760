import Alerting
import Config
import FoundationEssentials
import HTTPClient
import Locking
import Probing
import RollingWindows

/// One run of `slaprobe gate`: runs the configured probes and journeys on the real scheduler into a fresh store
/// whose one window covers the whole run, stops after a duration or a number of runs per probe, and judges the
/// configured alert rules on those samples alone (see ``GateJudge``).
package struct GateRun: Sendable {
    /// Where the gate is, for the progress line.
    package struct Progress: Sendable {
        /// Seconds since the probes started.
        package var elapsed: Double
        /// Completed runs per probe, in configuration order.
        package var runs: [(probe: String, runs: Int)]
    }

    /// The configuration (probes and alerting rules).
    package var config: SlaprobeConfig
    /// The share of the probes to run.
    package var shard: Shard
    /// Stop after this many seconds.
    package var duration: Double?
    /// Stop once every probe has completed this many runs; later results are not counted.
    package var runs: Int?
    /// How often ``run(progress:)`` reports progress, seconds.
    package var progressInterval: Double

    /// Creates a gate run; at least one of `duration` and `runs` must be set.
    package init(
        config: SlaprobeConfig,
        shard: Shard = .all,
        duration: Double?,
        runs: Int?,
        progressInterval: Double = 5
    ) {
        self.config = config
        self.shard = shard
        self.duration = duration
        self.runs = runs
        self.progressInterval = progressInterval
    }

    /// The probes this gate runs.
    package var probes: [ProbeConfig] { config.probes.filter { shard.owns($0.name) } }

    /// The length of the one window the gate's store keeps: three times the expected run time plus two probe
    /// timeouts, at least a minute. A `--runs` gate stops at nine tenths of it, so every sample stays inside.
    package var windowLength: Double {
        let interval = probes.map(\.interval.inSeconds).max() ?? 1
        let timeout = probes.map(\.timeout.inSeconds).max() ?? 0
        let expected = duration ?? Double(runs ?? 1) * interval
        return max(60, 3 * expected + 2 * timeout)
    }

    /// The longest a run may take: the duration, else nine tenths of ``windowLength``.
    package var timeLimit: Double { duration ?? 0.9 * windowLength }

    /// Runs the probes and judges them; `progress` is called every ``progressInterval`` seconds.
    package func run(progress: @escaping @Sendable (Progress) -> Void = { _ in }) async -> GateReport {
        let probes = self.probes
        let store = ProbeStore()
        store.configure(probes, windows: [windowLength])
        let counts = Locked([String: Int]())
        let limit = runs
        let loop = TransferLoop(name: "slaprobe-gate")
        loop.start()
        defer { loop.shutdown() }
        let scheduler = ProbeScheduler(
            loop: loop,
            userAgent: Version.userAgent,
            observer: ProbeScheduler.Observer(result: { result in
                // Recorded under the count's lock, so a count the loop below sees is already in the store.
                counts.withLock { counts in
                    let count = counts[result.probe, default: 0]
                    guard limit.map({ count < $0 }) ?? true else { return }
                    counts[result.probe] = count + 1
                    store.record(result)
                }
            })
        )
        let start = MonotonicTime.seconds()
        scheduler.update(probes)
        var nextProgress = start + progressInterval
        let ordered = { (counts: [String: Int]) in probes.map { (probe: $0.name, runs: counts[$0.name] ?? 0) } }
        while true {
            try? await Task.sleep(for: .milliseconds(20))
            let now = MonotonicTime.seconds()
            let current = counts.withLock { $0 }
            if let limit, probes.allSatisfy({ current[$0.name, default: 0] >= limit }) { break }
            if now - start >= timeLimit { break }
            if now >= nextProgress {
                progress(Progress(elapsed: now - start, runs: ordered(current)))
                nextProgress += progressInterval
            }
        }
        let end = MonotonicTime.seconds()
        // Results still arriving after this snapshot are not judged.
        let taken = store.snapshots(at: end)
        scheduler.stop()
        let rules = config.alerting.effectiveRules()
        let lengths = GateJudge.windowLengths(of: rules)
        let snapshots = taken.map { GateJudge.covering($0, lengths: lengths) }
        let completed = probes.map { probe in
            let snapshot = taken.first { $0.probe == probe.name }
            return (probe: probe.name, runs: snapshot.map { Int($0.successes + $0.failures) } ?? 0)
        }
        return GateReport(
            checks: GateJudge.checks(rules: rules, snapshots: snapshots),
            runs: completed,
            durationSeconds: end - start
        )
    }
}

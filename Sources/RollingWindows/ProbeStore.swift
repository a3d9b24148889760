import Config
import Exposition
import HTTPClient
import Locking
import Probing

/// Collects probe results into per-probe counters, histograms and rolling windows.
///
/// Each probe has its own lock, so recording a result on the transfer-loop thread never waits for a scrape
/// rendering a thousand other probes.
package final class ProbeStore: Sendable {
    /// The mutable state of one probe: its snapshot fields plus the rolling windows they are computed from.
    private struct Record {
        var snapshot: ProbeSnapshot
        var windows: WindowSet
        /// One window set per journey step, in ``ProbeSnapshot/steps`` order; empty for other probes.
        var stepWindows: [WindowSet]
    }

    private final class Entry: Sendable {
        let state: Locked<Record>
        init(_ record: Record) { state = Locked(record) }
    }

    /// Results kept per probe for `/api/v1/probes` and the status page.
    package static let recentLimit = 20

    private let entries = Locked<(order: [String], byName: [String: Entry])>(([], [:]))
    private let lag = Locked(LatencyHistogram(bounds: LatencyHistogram.lagBounds))

    /// Creates an empty store.
    package init() {}

    /// Sets the probes to track (at start and on reload). A probe that keeps its name keeps its counters and
    /// windows; one whose threshold or windows changed gets fresh windows and duration buckets; removed probes
    /// disappear. The lengths in `counting` (a subset of `windows`) get counting windows: counters, no samples.
    package func configure(_ probes: [ProbeConfig], windows: [Double], counting: Set<Double> = []) {
        let lengths = windows.sorted()
        let counting = counting.intersection(lengths)
        entries.withLock { current in
            var byName: [String: Entry] = [:]
            for probe in probes {
                let threshold = probe.latencyThreshold.inSeconds
                if let existing = current.byName[probe.name] {
                    existing.state.withLock { record in
                        if record.windows.lengths != lengths || record.windows.threshold != threshold
                            || record.windows.countingLengths != counting
                        {
                            record.windows = WindowSet(lengths: lengths, threshold: threshold, counting: counting)
                            record.snapshot.duration = LatencyHistogram(
                                bounds: LatencyHistogram.durationBounds,
                                extraBounds: [threshold]
                            )
                        }
                        record.snapshot.definition = ProbeDefinition(probe, windowLengths: lengths)
                        Self.configureSteps(&record, probe, lengths: lengths, counting: counting)
                    }
                    byName[probe.name] = existing
                } else {
                    let record = Record(
                        snapshot: ProbeSnapshot(definition: ProbeDefinition(probe, windowLengths: lengths)),
                        windows: WindowSet(lengths: lengths, threshold: threshold, counting: counting),
                        stepWindows: Self.stepWindows(probe, lengths: lengths, counting: counting)
                    )
                    byName[probe.name] = Entry(record)
                }
            }
            current = (probes.map(\.name), byName)
        }
    }

    /// Records one result.
    package func record(_ result: ProbeResult) {
        guard let entry = entries.withLock({ $0.byName[result.probe] }) else { return }
        entry.state.withLock { record in
            record.windows.record(Sample(result), at: result.monotonicStart)
            if let lookups = result.cacheLookups {
                record.windows.addCacheLookups(hits: lookups.hits, misses: lookups.misses, at: result.monotonicStart)
            }
            let trace = result.traceID.flatMap(TraceID.init)
            for step in result.steps {
                guard let index = record.snapshot.steps.firstIndex(where: { $0.name == step.name }) else { continue }
                let sample = Sample(
                    latency: step.latency,
                    success: step.success,
                    requestID: step.requestID,
                    failureReason: step.failure?.rawValue,
                    traceID: trace
                )
                record.stepWindows[index].record(sample, at: result.monotonicStart)
            }
            record.snapshot.add(result)
        }
    }

    /// Keeps a journey's step counters and windows when its steps and windows are unchanged (refreshing their
    /// labels), and starts them afresh otherwise.
    private static func configureSteps(
        _ record: inout Record,
        _ probe: ProbeConfig,
        lengths: [Double],
        counting: Set<Double>
    ) {
        let steps = probe.journey?.steps ?? []
        let labelSets = record.snapshot.definition.labelSets
        let unchanged =
            steps.map(\.name) == record.snapshot.steps.map(\.name)
            && steps.map(StepSnapshot.windowThreshold) == record.stepWindows.map { $0.threshold ?? .infinity }
            && record.stepWindows.allSatisfy { $0.lengths == lengths && $0.countingLengths == counting }
        if unchanged {
            for index in steps.indices {
                record.snapshot.steps[index].labelSets = StepLabelSets(step: steps[index].name, probe: labelSets)
            }
        } else {
            record.snapshot.steps = steps.map { StepSnapshot($0, probe: labelSets) }
            record.stepWindows = stepWindows(probe, lengths: lengths, counting: counting)
        }
    }

    private static func stepWindows(_ probe: ProbeConfig, lengths: [Double], counting: Set<Double>) -> [WindowSet] {
        (probe.journey?.steps ?? []).map {
            WindowSet(lengths: lengths, threshold: StepSnapshot.windowThreshold($0), counting: counting)
        }
    }

    /// Counts a tick skipped because the previous run of `probe` was still going.
    package func recordSkipped(_ probe: String) {
        entries.withLock { $0.byName[probe] }?.state.withLock { $0.snapshot.skipped += 1 }
    }

    /// Records one scheduler lag observation, seconds.
    package func recordLag(_ seconds: Double) {
        lag.withLock { $0.observe(seconds) }
    }

    /// `slaprobe_scheduler_lag_seconds`.
    package var schedulerLag: LatencyHistogram { lag.withLock { $0 } }

    /// Snapshots of every probe in configuration order, windows evaluated at monotonic time `now` (seconds).
    /// With `exemplars` false the windows carry no evidence (slowest requests, recent failures): `/metrics`
    /// does not show it, and building it is a third of a window's cost.
    package func snapshots(at now: Double, exemplars: Bool = true) -> [ProbeSnapshot] {
        let entries = entries.withLock { state in state.order.compactMap { state.byName[$0] } }
        return entries.map { entry in
            entry.state.withLock { record in
                var snapshot = record.snapshot
                snapshot.windows = record.windows.stats(at: now, exemplars: exemplars)
                snapshot.secondsSinceLastResult = snapshot.lastMonotonic.map { max(0, now - $0) }
                for index in record.stepWindows.indices {
                    snapshot.steps[index].windows = record.stepWindows[index].stats(at: now, exemplars: exemplars)
                }
                return snapshot
            }
        }
    }

    /// Number of probes tracked.
    package var probeCount: Int { entries.withLock { $0.order.count } }

    /// Names of probes that have not produced a result yet, in configuration order.
    package var probesWithoutResult: [String] {
        let (order, byName) = entries.withLock { ($0.order, $0.byName) }
        return order.filter { byName[$0]?.state.withLock { $0.snapshot.recent.isEmpty } ?? false }
    }
}

import Config
import HTTPClient
import Locking

/// Runs every configured probe on its own fixed-rate schedule, on one ``TransferLoop``.
///
/// Each probe is due every `interval`, offset by a random jitter of up to `jitter * interval` either way. A probe
/// never overlaps itself: a tick that finds the previous run still going is skipped (and counted). A schedule
/// that fell behind (the loop stalled) jumps to the next future tick instead of firing back-to-back to catch up.
/// Lag, the time from a tick's due time to its start, is reported for every start.
package final class ProbeScheduler: Sendable {
    /// Where results and scheduler events go; called on the loop thread.
    package struct Observer: Sendable {
        /// A probe run finished.
        package var result: @Sendable (ProbeResult) -> Void
        /// A run started `lag` seconds after it was due.
        package var lag: @Sendable (Double) -> Void
        /// A tick was skipped because the previous run of that probe was still going.
        package var skipped: @Sendable (String) -> Void

        /// Creates an observer.
        package init(
            result: @escaping @Sendable (ProbeResult) -> Void,
            lag: @escaping @Sendable (Double) -> Void = { _ in },
            skipped: @escaping @Sendable (String) -> Void = { _ in }
        ) {
            self.result = result
            self.lag = lag
            self.skipped = skipped
        }
    }

    private struct State {
        var generation = 0
        var probes: [String: ProbeConfig] = [:]
        var running: Set<String> = []
        var trackers: [String: CacheCounterTracker] = [:]
        /// Each scheduled probe's next tick (base, without jitter) and the interval it was computed with, so a
        /// reload keeps the schedule of a probe whose interval did not change.
        var nextBase: [String: (base: UInt64, interval: Duration)] = [:]
    }

    private let loop: TransferLoop
    private let userAgent: String
    private let observer: Observer
    private let state = Locked(State())

    /// Creates a scheduler that runs probes on `loop` (which must be started).
    package init(loop: TransferLoop, userAgent: String, observer: Observer) {
        self.loop = loop
        self.userAgent = userAgent
        self.observer = observer
    }

    /// Replaces the set of scheduled probes (at start and on every reload). Probes that keep their name keep
    /// their cache-counter baseline, and a run in flight is never overlapped by the new schedule.
    package func update(_ probes: [ProbeConfig]) {
        let now = MonotonicTime.now()
        let (generation, kept) = state.withLock { state -> (Int, [String: UInt64]) in
            state.generation += 1
            state.probes = Dictionary(probes.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            state.trackers = state.trackers.filter { state.probes[$0.key] != nil }
            for probe in probes where state.trackers[probe.name] == nil {
                state.trackers[probe.name] = CacheCounterTracker()
            }
            // A probe that keeps its name and interval keeps its next tick: a reload neither adds nor skips a run.
            var kept: [String: UInt64] = [:]
            for (name, next) in state.nextBase {
                if let probe = state.probes[name], probe.interval == next.interval { kept[name] = next.base }
            }
            state.nextBase = state.nextBase.filter { kept[$0.key] != nil }
            return (state.generation, kept)
        }
        for probe in probes {
            let base: UInt64
            if let next = kept[probe.name] {
                base = max(next, now)
            } else {
                // Spread first runs over the first second (or interval, if shorter) so probes do not fire in lockstep.
                let spread = min(probe.interval.inNanoseconds, 1_000_000_000)
                let offset = spread > 0 ? UInt64.random(in: 0..<spread) : 0
                base = now + offset
                state.withLock { $0.nextBase[probe.name] = (base, probe.interval) }
            }
            loop.schedule(at: base) { [self] in tick(probe.name, generation: generation, base: base, due: base) }
        }
    }

    /// Stops scheduling; runs in flight still complete.
    package func stop() {
        state.withLock { state in
            state.generation += 1
            state.probes = [:]
        }
    }

    /// Names of probes currently scheduled.
    package var probeNames: [String] {
        state.withLock { Array($0.probes.keys) }
    }

    private func tick(_ name: String, generation: Int, base: UInt64, due: UInt64) {
        let start = MonotonicTime.now()
        let decision = state.withLock { state -> (ProbeConfig, Bool, CacheCounterTracker?)? in
            guard state.generation == generation, let probe = state.probes[name] else { return nil }
            let overlapping = state.running.contains(name)
            if !overlapping { state.running.insert(name) }
            return (probe, overlapping, state.trackers[name])
        }
        guard let (probe, overlapping, tracker) = decision else { return }
        observer.lag(start >= due ? Double(start - due) / 1e9 : 0)
        if overlapping {
            observer.skipped(name)
        } else {
            ProbeExecution.run(probe, on: loop, userAgent: userAgent, cacheTracker: tracker) { [self] result in
                state.withLock { _ = $0.running.remove(name) }
                // A result of a probe removed by a reload is dropped; one renamed or changed still counts.
                let current = state.withLock { $0.probes[name] != nil }
                if current { observer.result(result) }
            }
        }
        scheduleNext(probe, generation: generation, base: base)
    }

    private func scheduleNext(_ probe: ProbeConfig, generation: Int, base: UInt64) {
        let interval = max(probe.interval.inNanoseconds, 1_000_000)
        let now = MonotonicTime.now()
        var next = base + interval
        if next <= now {
            // Fell behind: skip to the next tick in the future rather than firing back-to-back.
            next += ((now - next) / interval + 1) * interval
        }
        let jitterRange = Int64(Double(interval) * min(max(probe.jitter, 0), 0.5))
        let jitter = jitterRange > 0 ? Int64.random(in: -jitterRange...jitterRange) : 0
        let due = UInt64(max(Int64(now), Int64(next) + jitter))
        let nextBase = next
        state.withLock { state in
            if state.generation == generation { state.nextBase[probe.name] = (nextBase, probe.interval) }
        }
        loop.schedule(at: due) { [self] in tick(probe.name, generation: generation, base: nextBase, due: due) }
    }
}

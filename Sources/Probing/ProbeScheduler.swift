import Config
import HTTPClient
import Locking

/// Runs every configured probe on its own fixed-rate schedule.
///
/// The schedule itself (due times, jitter, first-run phases, skipped ticks, jumping ahead after a stall) is a
/// ``ProbeSchedule``; this class keeps one under a lock, reads the monotonic clock, and sets one timer on its
/// ``TransferLoop`` for the schedule's earliest tick. Lag, the time from a tick's due time to its start, is
/// reported for every start.
///
/// The runs themselves can go to other loops (`transfers`): then the thread that starts probes does nothing
/// else, and a TLS handshake or a burst of completions on a transfer loop never delays a start. A probe always
/// runs on the same transfer loop, chosen by a hash of its name.
package final class ProbeScheduler: Sendable {
    /// Where results and scheduler events go: `result` is called on the probe's transfer loop thread, `lag` and
    /// `skipped` on the scheduler's.
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
        var schedule = ProbeSchedule()
        var trackers: [String: CacheCounterTracker] = [:]
        /// The due time of the loop timer that will next look at the schedule, if one is pending.
        var armed: UInt64?
        var random = SystemRandomNumberGenerator()

        /// The time to set a loop timer for, if the schedule's next tick is earlier than the pending timer.
        mutating func arm() -> UInt64? {
            guard let next = schedule.nextDue, armed.map({ next < $0 }) ?? true else { return nil }
            armed = next
            return next
        }
    }

    private let loop: TransferLoop
    private let transfers: [TransferLoop]
    private let userAgent: String
    private let observer: Observer
    private let state = Locked(State())

    /// Creates a scheduler whose timers run on `loop`, and whose probes run on `transfers` (by default on `loop`
    /// too). The loops must be started.
    package init(loop: TransferLoop, transfers: [TransferLoop] = [], userAgent: String, observer: Observer) {
        self.loop = loop
        self.transfers = transfers.isEmpty ? [loop] : transfers
        self.userAgent = userAgent
        self.observer = observer
    }

    /// The loop that runs `probe`'s transfers. The high half of the name's hash picks it, so the choice does not
    /// follow the shard (the hash modulo the shard count).
    private func transferLoop(for probe: String) -> TransferLoop {
        transfers.count == 1 ? transfers[0] : transfers[Int((FNV1a.hash(probe) >> 32) % UInt64(transfers.count))]
    }

    /// Replaces the set of scheduled probes (at start and on every reload). Probes that keep their name keep
    /// their cache-counter baseline, and a run in flight is never overlapped by the new schedule.
    package func update(_ probes: [ProbeConfig]) {
        let now = MonotonicTime.now()
        let wake = state.withLock { state in
            state.schedule.update(probes, now: now)
            state.trackers = state.trackers.filter { state.schedule.probe(named: $0.key) != nil }
            for probe in probes where state.trackers[probe.name] == nil {
                state.trackers[probe.name] = CacheCounterTracker()
            }
            return state.arm()
        }
        if let wake { arm(at: wake) }
    }

    /// Stops scheduling; runs in flight still complete.
    package func stop() {
        state.withLock { $0.schedule.removeAll() }
    }

    /// Names of probes currently scheduled.
    package var probeNames: [String] {
        state.withLock { $0.schedule.probeNames }
    }

    private func arm(at due: UInt64) {
        loop.schedule(at: due) { [self] in fire(armedAt: due) }
    }

    /// Starts every tick that is due, then sets the loop timer for the next one. Runs on the scheduler's thread.
    private func fire(armedAt due: UInt64) {
        state.withLock { state in
            if state.armed == due { state.armed = nil }
        }
        while true {
            let next = state.withLock { state -> (ProbeSchedule.Tick, CacheCounterTracker?)? in
                guard let tick = state.schedule.popDue(now: MonotonicTime.now(), using: &state.random) else {
                    return nil
                }
                return (tick, state.trackers[tick.probe.name])
            }
            guard let (tick, tracker) = next else { break }
            start(tick, tracker: tracker)
        }
        if let wake = state.withLock({ $0.arm() }) { arm(at: wake) }
    }

    private func start(_ tick: ProbeSchedule.Tick, tracker: CacheCounterTracker?) {
        let start = MonotonicTime.now()
        observer.lag(start >= tick.due ? Double(start - tick.due) / 1e9 : 0)
        let name = tick.probe.name
        guard !tick.skipped else {
            observer.skipped(name)
            return
        }
        let loop = transferLoop(for: name)
        ProbeExecution.run(tick.probe, on: loop, userAgent: userAgent, cacheTracker: tracker) { [self] result in
            // A result of a probe removed by a reload is dropped; one renamed or changed still counts.
            if state.withLock({ $0.schedule.finished(name) }) { observer.result(result) }
        }
    }
}

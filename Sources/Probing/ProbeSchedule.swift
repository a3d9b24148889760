import Config
import HTTPClient

/// When each configured probe is due, as a value that is told the time: the pure part of ``ProbeScheduler``.
///
/// Each probe is due every `interval` from its first run, offset by a random jitter of up to `jitter * interval`
/// either way. The first run comes at a stable phase within the first interval, taken from a hash of the probe's
/// name (``phase(of:interval:)``), so a large configuration spreads its first runs over the whole interval, and a
/// restart or another replica spreads them the same way. A probe never overlaps itself: a tick that finds the
/// previous run still going is skipped. A schedule that fell behind (the loop stalled) jumps to the next future
/// tick instead of firing back-to-back to catch up.
///
/// Times are ``MonotonicTime`` nanoseconds given by the caller, and jitter is drawn from the generator passed
/// in, so the schedule can be driven on a simulated clock.
package struct ProbeSchedule: Sendable {
    /// One tick that came due: start the probe, or count it as skipped when its previous run is still going.
    package struct Tick: Sendable {
        /// The probe, as configured when the tick came due.
        package var probe: ProbeConfig
        /// When the tick was due.
        package var due: UInt64
        /// Whether the previous run was still going, so this tick starts nothing.
        package var skipped: Bool
    }

    private struct Entry: Sendable {
        var probe: ProbeConfig
        /// The next tick without jitter; the ticks after it are whole intervals later.
        var base: UInt64
        /// Tells this entry's queued tick from those of an earlier ``update(_:now:)``.
        var generation: Int
    }

    private struct Pending: Sendable {
        var name: String
        var base: UInt64
        var generation: Int
    }

    private var entries: [String: Entry] = [:]
    private var running: Set<String> = []
    private var queue = TimerQueue<Pending>()
    private var generation = 0

    /// An empty schedule.
    package init() {}

    /// The shortest interval a probe is scheduled at; a shorter one is run at this rate.
    package static let minimumInterval: UInt64 = 1_000_000

    /// The first run's offset from the start, in `0..<interval` nanoseconds: the FNV-1a hash of the name, mixed,
    /// modulo the interval. It depends on nothing but the name and the interval.
    package static func phase(of name: String, interval: Duration) -> UInt64 {
        var hash = FNV1a.hash(name)
        // FNV's low bits vary little between names that differ in their last character; a SplitMix64 finaliser
        // spreads every input bit over the bits the modulo keeps.
        hash = (hash ^ (hash >> 30)) &* 0xbf58_476d_1ce4_e5b9
        hash = (hash ^ (hash >> 27)) &* 0x94d0_49bb_1331_11eb
        hash ^= hash >> 31
        return hash % max(interval.inNanoseconds, minimumInterval)
    }

    /// Names of the probes scheduled.
    package var probeNames: [String] { Array(entries.keys) }

    /// The configuration of the probe named `name`, if it is scheduled.
    package func probe(named name: String) -> ProbeConfig? { entries[name]?.probe }

    /// When the earliest tick is due, or `nil` when nothing is scheduled.
    package var nextDue: UInt64? { queue.nextDue }

    /// Replaces the set of scheduled probes (at start and on every reload). A probe that keeps its name and
    /// interval keeps its next tick, so a reload neither adds nor skips a run; any other probe gets its first run
    /// at its phase from `now`. The first of several probes with one name wins. A run in flight is never
    /// overlapped by the new schedule.
    package mutating func update(_ probes: [ProbeConfig], now: UInt64) {
        generation += 1
        var updated: [String: Entry] = [:]
        updated.reserveCapacity(probes.count)
        var queue = TimerQueue<Pending>()
        for probe in probes where updated[probe.name] == nil {
            let base: UInt64
            if let kept = entries[probe.name], kept.probe.interval == probe.interval {
                base = max(kept.base, now)
            } else {
                base = now + Self.phase(of: probe.name, interval: probe.interval)
            }
            updated[probe.name] = Entry(probe: probe, base: base, generation: generation)
            queue.insert(due: base, Pending(name: probe.name, base: base, generation: generation))
        }
        entries = updated
        self.queue = queue
    }

    /// Removes every probe; runs in flight still end through ``finished(_:)``.
    package mutating func removeAll() {
        update([], now: 0)
    }

    /// The next tick due at `now`, if any, and schedules the probe's tick after it. Call it until it returns `nil`.
    ///
    /// A tick that is not ``Tick/skipped`` marks its probe running until ``finished(_:)``.
    package mutating func popDue(now: UInt64, using random: inout some RandomNumberGenerator) -> Tick? {
        while let pending = queue.popDue(now: now) {
            guard let entry = entries[pending.payload.name], entry.generation == pending.payload.generation else {
                continue
            }
            let name = pending.payload.name
            let skipped = running.contains(name)
            if !skipped { running.insert(name) }
            scheduleNext(entry, after: pending.payload.base, now: now, using: &random)
            return Tick(probe: entry.probe, due: pending.due, skipped: skipped)
        }
        return nil
    }

    /// Records that the run of `name` ended. Returns whether the probe is still scheduled, that is whether its
    /// result counts: a result of a probe removed by a reload is dropped; one changed still counts.
    @discardableResult
    package mutating func finished(_ name: String) -> Bool {
        running.remove(name)
        return entries[name] != nil
    }

    private mutating func scheduleNext(
        _ entry: Entry,
        after base: UInt64,
        now: UInt64,
        using random: inout some RandomNumberGenerator
    ) {
        let interval = max(entry.probe.interval.inNanoseconds, Self.minimumInterval)
        var next = base + interval
        if next <= now {
            // Fell behind: skip to the next tick in the future rather than firing back-to-back.
            next += ((now - next) / interval + 1) * interval
        }
        let jitterRange = Int64(Double(interval) * min(max(entry.probe.jitter, 0), 0.5))
        let jitter = jitterRange > 0 ? Int64.random(in: -jitterRange...jitterRange, using: &random) : 0
        let due = UInt64(max(Int64(now), Int64(next) + jitter))
        entries[entry.probe.name]?.base = next
        queue.insert(due: due, Pending(name: entry.probe.name, base: next, generation: entry.generation))
    }
}

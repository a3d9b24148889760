import Config
import HTTPClient
import SlaprobeTesting

@testable import Probing

/// Drives a ``ProbeSchedule`` on a simulated clock, as ``ProbeScheduler`` drives it on the real one: at each due
/// time it takes every due tick, and a started run ends `runTime` later.
struct SimulatedSchedule {
    struct Start: Equatable {
        var name: String
        var at: UInt64
        var due: UInt64
    }

    var schedule = ProbeSchedule()
    var random = SplitMix64(seed: 7)
    /// Simulated ``MonotonicTime`` nanoseconds; far from zero, as a real reading is.
    var now: UInt64 = 5_000_000_000_000
    var starts: [Start] = []
    var skipped: [Start] = []
    var ends: [(name: String, at: UInt64)] = []
    private var running = TimerQueue<String>()

    mutating func update(_ probes: [ProbeConfig]) {
        schedule.update(probes, now: now)
    }

    /// Advances the clock event by event up to `end`, with runs that take `runTime(name)` nanoseconds.
    mutating func run(until end: UInt64, runTime: (String) -> UInt64 = { _ in 1_000_000 }) {
        while true {
            let next = [schedule.nextDue, running.nextDue].compactMap { $0 }.min()
            guard let next, next <= end else { break }
            now = max(now, next)
            // A run that ends at the same instant as a tick comes due ends first.
            while let finished = running.popDue(now: now) {
                schedule.finished(finished.payload)
                ends.append((finished.payload, now))
            }
            while let tick = schedule.popDue(now: now, using: &random) {
                let start = Start(name: tick.probe.name, at: now, due: tick.due)
                if tick.skipped {
                    skipped.append(start)
                } else {
                    starts.append(start)
                    running.insert(due: now + runTime(tick.probe.name), tick.probe.name)
                }
            }
        }
        now = max(now, end)
    }
}

extension UInt64 {
    static func ms(_ value: UInt64) -> UInt64 { value * 1_000_000 }
    static func s(_ value: UInt64) -> UInt64 { value * 1_000_000_000 }
}

import Config
import SlaprobeTesting
import Testing

@testable import Probing

/// The schedule on a simulated clock: exact due times, jitter bounds, skipped ticks, stalls, reloads and the
/// spread of first runs.
struct ProbeScheduleTests {
    private func probe(_ name: String, every interval: Duration, jitter: Double = 0) -> ProbeConfig {
        var probe = ProbeConfig(name: name, kind: .http, url: "http://127.0.0.1:1/")
        probe.interval = interval
        probe.jitter = jitter
        return probe
    }

    @Test func runsAtAFixedRateWithJitterWithinBounds() {
        var simulation = SimulatedSchedule()
        let start = simulation.now
        let phase = ProbeSchedule.phase(of: "p", interval: .milliseconds(100))
        simulation.update([probe("p", every: .milliseconds(100), jitter: 0.1)])
        simulation.run(until: start + phase + .ms(2_050))

        // One run every 100 ms from the phase: ticks 0...20 fall before the end, tick 21 (at 2,100 ms +- 10 ms)
        // after it.
        #expect(simulation.starts.count == 21)
        #expect(simulation.skipped.isEmpty)
        #expect(simulation.starts.first?.due == start + phase)
        for (index, run) in simulation.starts.enumerated() {
            let base = start + phase + .ms(100) * UInt64(index)
            #expect(run.due + .ms(10) >= base && run.due <= base + .ms(10), "tick \(index) due \(run.due - start)")
            #expect(run.at == run.due)
        }
        // The jitter is drawn, not zero.
        let offsets = Set(simulation.starts.enumerated().map { Int64($1.due) - Int64(.ms(100) * UInt64($0)) })
        #expect(offsets.count > 10)
    }

    @Test func aSlowProbeIsNeverOverlappedAndSkippedTicksAreCounted() {
        var simulation = SimulatedSchedule()
        let start = simulation.now
        let phase = ProbeSchedule.phase(of: "slow", interval: .milliseconds(100))
        simulation.update([probe("slow", every: .milliseconds(100))])
        simulation.run(until: start + phase + .ms(1_250)) { _ in .ms(250) }

        // Each 250 ms run covers two and a half ticks: ticks 0, 3, 6, 9 and 12 start, the other eight are skipped.
        #expect(simulation.starts.map { ($0.due - start - phase) / .ms(100) } == [0, 3, 6, 9, 12])
        #expect(simulation.skipped.map { ($0.due - start - phase) / .ms(100) } == [1, 2, 4, 5, 7, 8, 10, 11])
        for (run, previousEnd) in zip(simulation.starts.dropFirst(), simulation.ends) {
            #expect(run.at >= previousEnd.at)
        }
    }

    @Test func aStalledLoopJumpsAheadInsteadOfCatchingUp() {
        var schedule = ProbeSchedule()
        var random = SplitMix64(seed: 1)
        let start: UInt64 = .s(1_000)
        let phase = ProbeSchedule.phase(of: "p", interval: .milliseconds(100))
        schedule.update([probe("p", every: .milliseconds(100))], now: start)
        let first = schedule.popDue(now: start + phase, using: &random)
        #expect(first?.due == start + phase && first?.skipped == false)
        schedule.finished("p")

        // The loop wakes 1,050 ms late: the one overdue tick starts, late, and the next is the next future tick.
        let late = start + phase + .ms(1_050)
        let overdue = schedule.popDue(now: late, using: &random)
        #expect(overdue?.due == start + phase + .ms(100))
        let again = schedule.popDue(now: late, using: &random)
        #expect(again == nil)
        #expect(schedule.nextDue == start + phase + .ms(1_100))
    }

    @Test func aReloadKeepsTheNextTickOfAProbeWhoseIntervalDidNotChange() {
        var schedule = ProbeSchedule()
        var random = SplitMix64(seed: 2)
        let start: UInt64 = .s(1_000)
        schedule.update([probe("kept", every: .seconds(1)), probe("changed", every: .seconds(1))], now: start)
        var ticks: [String: UInt64] = [:]
        while let tick = schedule.popDue(now: start + .s(1), using: &random) {
            ticks[tick.probe.name] = tick.due
            schedule.finished(tick.probe.name)
        }
        #expect(ticks["kept"] == start + ProbeSchedule.phase(of: "kept", interval: .seconds(1)))

        let reload = start + .s(1)
        schedule.update(
            [
                probe("kept", every: .seconds(1)), probe("changed", every: .seconds(2)),
                probe("added", every: .seconds(1)),
            ],
            now: reload
        )
        var next: [String: UInt64] = [:]
        while let due = schedule.nextDue, let tick = schedule.popDue(now: due, using: &random) {
            if next[tick.probe.name] == nil { next[tick.probe.name] = tick.due }
            schedule.finished(tick.probe.name)
            if next.count == 3 { break }
        }
        #expect(next["kept"] == ticks["kept"]! + .s(1))
        #expect(next["changed"] == reload + ProbeSchedule.phase(of: "changed", interval: .seconds(2)))
        #expect(next["added"] == reload + ProbeSchedule.phase(of: "added", interval: .seconds(1)))
    }

    @Test func aRunInFlightIsNotOverlappedByAReloadAndARemovedProbesResultIsDropped() {
        var schedule = ProbeSchedule()
        var random = SplitMix64(seed: 3)
        let start: UInt64 = .s(1_000)
        schedule.update([probe("a", every: .milliseconds(100)), probe("b", every: .milliseconds(100))], now: start)
        while schedule.popDue(now: start + .ms(100), using: &random) != nil {}

        // Both runs are still going; "b" is removed, "a" is changed and comes due while its run is in flight.
        schedule.update([probe("a", every: .milliseconds(50))], now: start + .ms(100))
        let tick = schedule.popDue(now: start + .ms(200), using: &random)
        #expect(tick?.probe.name == "a" && tick?.skipped == true)
        #expect(schedule.probeNames == ["a"])
        let aCounts = schedule.finished("a")
        let bCounts = schedule.finished("b")
        #expect(aCounts)
        #expect(!bCounts)

        schedule.removeAll()
        #expect(schedule.nextDue == nil && schedule.probeNames.isEmpty)
        let afterRemoval = schedule.popDue(now: start + .s(10), using: &random)
        #expect(afterRemoval == nil)
    }

    @Test func firstRunsSpreadOverTheWholeInterval() {
        var simulation = SimulatedSchedule()
        let start = simulation.now
        simulation.update((0..<1_000).map { probe("probe-\($0)", every: .seconds(60), jitter: 0.1) })
        simulation.run(until: start + .s(60) - 1)

        // Every probe runs in its first interval (one with an early phase may run again, jittered, before its end);
        // each sixth of the interval holds about a sixth of the first runs.
        var firstRuns: [String: UInt64] = [:]
        for run in simulation.starts where firstRuns[run.name] == nil { firstRuns[run.name] = run.at }
        #expect(firstRuns.count == 1_000)
        let sixths = (0..<6).map { sixth in
            firstRuns.values.filter { ($0 - start) / .s(10) == sixth }.count
        }
        #expect(sixths[0] <= 200, "\(sixths[0]) of 1,000 first runs in the first 10 s")
        #expect(sixths.allSatisfy { (130...200).contains($0) }, "first runs per 10 s: \(sixths)")
    }

    @Test func thePhaseDependsOnlyOnTheNameAndTheInterval() {
        var early = ProbeSchedule()
        var late = ProbeSchedule()
        early.update([probe("checkout", every: .seconds(60))], now: .s(10))
        late.update([probe("checkout", every: .seconds(60))], now: .s(12_345))
        #expect(early.nextDue.map { $0 - .s(10) } == late.nextDue.map { $0 - .s(12_345) })
        // Pinned, so that another build or replica spreads the same probe the same way.
        #expect(ProbeSchedule.phase(of: "checkout", interval: .seconds(60)) == 49_929_431_076)
        // A short interval keeps a short phase.
        for name in ["a", "b", "entitlement", "status-page"] {
            #expect(ProbeSchedule.phase(of: name, interval: .milliseconds(100)) < .ms(100))
        }
        #expect(ProbeSchedule.phase(of: "a", interval: .zero) < ProbeSchedule.minimumInterval)
    }
}

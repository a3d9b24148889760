import Alerting
import FoundationEssentials
import HTTPClient
import RollingWindows
import ServiceLifecycle

/// Evaluates the alert rules on the store's snapshots every evaluation interval, until graceful shutdown.
///
/// Fixed rate on ``clock``: each evaluation is due one interval after the previous one was due, not after it
/// ended. The interval is read at every tick, so a reload changes it from the next wait on. The evaluation writes
/// the outbox and the state file, so it runs on the engine's ``AlertEngine/disk`` thread.
struct EvaluationLoop: Service {
    let engine: AlertEngine
    let store: ProbeStore
    /// The evaluation interval in seconds, from the running configuration.
    let interval: @Sendable () -> Double
    let clock: any Clock<Duration>

    func run() async throws {
        try? await cancelWhenGracefulShutdown { try await self.evaluate(on: self.clock) }
    }

    private func evaluate<C: Clock<Duration>>(on clock: C) async throws {
        var due = clock.now.advanced(by: .seconds(interval()))
        while !Task.isCancelled {
            try await clock.sleep(until: due, tolerance: nil)
            let period = Duration.seconds(interval())
            // Never catch up with back-to-back evaluations after a stall: skip to the next future tick.
            due = max(due.advanced(by: period), clock.now.advanced(by: period / 2))
            let snapshots = store.snapshots(at: MonotonicTime.seconds())
            let now = Date().timeIntervalSince1970
            await engine.disk.run { [engine] in _ = engine.evaluate(snapshots, now: now) }
        }
    }
}

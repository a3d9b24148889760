import Foundation
import SlaprobeTesting
import Testing

/// A slaprobe process with nothing due sleeps, all of it: no thread wakes on a period. Before slaprobe ran its
/// tasks on its own pool, libdispatch's worker-pool monitor woke the process every second for its whole life.
@Suite struct IdleProcessTests {
    @Test func aProcessWithNothingDueDoesNotWakeIn10Seconds() async throws {
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = """
            probes:
              - name: hourly
                kind: http
                url: http://127.0.0.1:1/
                interval: 1h
            alerting:
              evaluation_interval: 1h
            """
        let (slaprobe, port, _) = try await Harness.startSlaprobe(config: config, in: directory)
        defer { slaprobe.stop() }
        let pid = slaprobe.process.processIdentifier
        // Start-up work (the first evaluation, the outbox, the server's threads) settles first.
        let health = await Harness.fetch("http://127.0.0.1:\(port)/healthz")
        #expect(health.status == 200)
        try await Task.sleep(for: .seconds(2))
        let before = ThreadSwitches.of(pid)
        try await Task.sleep(for: .seconds(10))
        let after = ThreadSwitches.of(pid)

        let woke = after.compactMap { id, thread -> (name: String, switches: Int)? in
            let switches = thread.switches - (before[id]?.switches ?? 0)
            return switches > 0 ? (thread.name, switches) : nil
        }
        let wakeUps = woke.reduce(0) { $0 + $1.switches }
        // The hourly probe's first run may fall in the window (its phase is random): a few switches for it.
        #expect(wakeUps <= 6, "threads that woke in 10 s: \(woke.map { "\($0.name) +\($0.switches)" })")
        // libdispatch's worker pool (com.apple.root.default-qos) is what arms the 1 Hz monitor.
        let dispatchWorkers = after.values.filter { $0.name.contains("root.default") }
        #expect(dispatchWorkers.isEmpty, "libdispatch worker threads: \(dispatchWorkers.map(\.name))")
        #expect(after.values.contains { $0.name == "slaprobe-tasks" }, "\(after.values.map(\.name))")
    }
}

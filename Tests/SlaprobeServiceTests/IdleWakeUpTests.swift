import Config
import Foundation
import HTTPClient
import Logging
import ServiceLifecycle
import Testing

@testable import SlaprobeService

/// A service with nothing due sleeps: no loop wakes on a period. Only the hourly probe's run and the evaluations
/// (every 15 s by default; here every 60 s) are due events.
@Suite struct IdleWakeUpTests {
    @Test func aServiceWhoseOnlyProbeRunsHourlyBarelyWakesIn5Seconds() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("slaprobe-idle-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let config = SlaprobeConfig(
            global: GlobalConfig(),
            probes: [ProbeConfig(name: "hourly", kind: .http, url: "http://127.0.0.1:1/", interval: .seconds(3600))],
            alerting: AlertingConfig(
                evaluationInterval: 60,
                receivers: [ReceiverConfig(name: "oncall", url: "http://127.0.0.1:9/hook")],
                outbox: OutboxConfig(directory: directory + "/outbox"),
                stateFile: directory + "/state.json"
            ),
            sourceFile: "test"
        )
        let service = ProbeService(
            source: .fixed(config),
            options: ProbeService.Options(listenAddress: "127.0.0.1:0"),
            logger: Logger(label: "test")
        )
        let group = ServiceGroup(services: try service.services(), logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            // The first run is spread over the interval by the probe's phase, so wait for the loops to settle
            // rather than for it.
            let listening = Date().addingTimeInterval(30)
            while service.port == nil && Date() < listening { try await Task.sleep(for: .milliseconds(20)) }
            try await Task.sleep(for: .milliseconds(300))
            let loops = [service.loop, service.alertLoop] + service.probeLoops
            let before = loops.map(\.wakeUps)
            try await Task.sleep(for: .seconds(5))
            let wakeUps = zip(loops, before).map { $0.wakeUps - $1 }
            // A 250 ms heartbeat would be 20 wake-ups per loop; a due event or a stray wake-up is allowed.
            #expect(wakeUps.allSatisfy { $0 <= 2 }, "wake-ups in 5 s (scheduler, alerts, transfers): \(wakeUps)")
            #expect(service.probeLoops.count >= 1)
            #expect(service.unhealthyReason == nil)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}

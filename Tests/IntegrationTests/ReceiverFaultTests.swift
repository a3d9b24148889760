import Foundation
import Locking
import SlaprobeTesting
import Testing

/// Receivers that fail, and slaprobe killed while notifications are in flight: nothing is lost.
@Suite(.serialized) struct ReceiverFaultTests {
    @Test func twentyKill9sWhileNotificationsAreInFlightLoseNothing() async throws {
        let receiver = try WebhookReceiver()
        let flaky = FlakyAnswers()
        let running = try await AlertDeliveryTests.start(receivers: { _ in
            AlertDeliveryTests.webhookReceiver(receiver.url)
        })
        defer { running.stop() }
        // Re-send firing alerts every 2 s so notifications are always in flight.
        var config = try String(contentsOf: running.configFile, encoding: .utf8)
        config = config.replacingOccurrences(
            of: "  resend_delay: 2s\n",
            with: "  resend_delay: 2s\n  repeat_interval: 2s\n"
        )
        try config.write(to: running.configFile, atomically: true, encoding: .utf8)
        running.slaprobe.stop()
        try await FaultTests.setFaults(running.targetPort, "endpoint=entitlement&latency=150ms")
        try await FaultTests.setFaults(running.targetPort, "cache_hit_ratio=0.5")

        var current = try await AlertDeliveryTests.startSlaprobe(configFile: running.configFile).0
        defer { current.stop() }
        // Rolling windows live in memory, so let the alerts fire once; after that, restored state keeps them
        // firing across restarts and repeats keep notifications in flight.
        _ = try await receiver.waitFor(timeout: 30) {
            $0.reports("SlaprobeLatencyHigh", probe: "entitlement", status: "firing")
        }
        for _ in 0..<20 {
            // Roughly one delivery in three fails, so retries are pending at many of the kills.
            receiver.answer(flaky.next())
            try await Task.sleep(for: .milliseconds(Int.random(in: 300...2500)))
            current.signal(SIGKILL)
            _ = await current.waitForExit(timeout: 5)
            receiver.answer(flaky.next())
            current = try await AlertDeliveryTests.startSlaprobe(configFile: running.configFile).0
        }
        // Let everything drain, then every notification ever attempted has been delivered and the outbox is empty.
        receiver.answer(200)
        let pending = running.directory.appendingPathComponent("data/outbox/pending")
        let deadline = Date().addingTimeInterval(30)
        func pendingFiles() -> [String] {
            (FileManager.default.enumerator(atPath: pending.path)?.allObjects as? [String] ?? []).filter {
                $0.hasSuffix(".json")
            }
        }
        var attemptedIDs = Set<String>()
        var deliveredIDs = Set<String>()
        while Date() < deadline {
            attemptedIDs = Set(receiver.attempts.compactMap { $0.headers["webhook-id"] })
            deliveredIDs = Set(receiver.deliveries.compactMap { $0.headers["webhook-id"] })
            if pendingFiles().isEmpty && attemptedIDs.isSubset(of: deliveredIDs) { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        #expect(attemptedIDs.count >= 10, "enough notifications to mean something: \(attemptedIDs.count)")
        #expect(attemptedIDs.subtracting(deliveredIDs).isEmpty, "attempted but never delivered")
        #expect(pendingFiles().isEmpty, "outbox drained")
        let dead = running.directory.appendingPathComponent("data/outbox/dead")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: dead.path))?.isEmpty ?? true, "no dead letters")
        #expect(
            receiver.deliveries.contains { $0.reports("SlaprobeLatencyHigh", probe: "entitlement", status: "firing") }
        )
    }

    @Test func anUnwritableOutboxIsAClearErrorNotACrash() async throws {
        let (target, targetPort) = try await FaultTests.startTarget()
        defer { target.stop() }
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // A regular file where the storage directory should be: unwritable even for root.
        let blocker = directory.appendingPathComponent("blocker")
        try "not a directory".write(to: blocker, atomically: true, encoding: .utf8)
        let file = directory.appendingPathComponent("slaprobe.yml")
        try AlertDeliveryTests.config(
            targetPort: targetPort,
            storage: blocker.appendingPathComponent("data").path,
            receivers: AlertDeliveryTests.webhookReceiver("http://127.0.0.1:1/hook")
        ).write(to: file, atomically: true, encoding: .utf8)
        let (status, output) = try Harness.run(
            Harness.slaprobe,
            ["--config.file", file.path, "--web.listen-address", "127.0.0.1:0"],
            environment: [
                "TEST_KEY": FaultTests.key, "TEST_SECRET": FaultTests.secret,
                "HOOK_SECRET": AlertDeliveryTests.hookSecret,
            ]
        )
        #expect(status == 1)
        #expect(output.contains("blocker/data"), "\(output)")
        #expect(!output.contains("Fatal error"))
    }
}

/// A repeatable sequence of receiver answers: mostly 200, sometimes 503.
final class FlakyAnswers: Sendable {
    private let index = Locked(0)
    private static let pattern = [200, 503, 200, 200, 503, 200, 503, 200, 200, 200]
    func next() -> Int {
        index.withLock { i in
            defer { i += 1 }
            return Self.pattern[i % Self.pattern.count]
        }
    }
}

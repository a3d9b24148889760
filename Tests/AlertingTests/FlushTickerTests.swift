import Alerting
import Config
import Foundation
import HTTPClient
import Synchronization
import Testing

@Suite("The flush ticker sleeps on the engine's injected clock until a group is due", .timeLimit(.minutes(1)))
struct FlushTickerTests {
    /// Unix time as the test sets it.
    final class WallTime: Sendable {
        private let value = Mutex(1000.0)
        var now: Double { value.withLock { $0 } }
        func set(_ seconds: Double) { value.withLock { $0 = seconds } }
    }

    @Test func aGroupIsFlushedWhenItsWaitIsUpAndNotBefore() async throws {
        let directory = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let wall = WallTime()
        let timer = ManualClock()
        let engine = try AlertEngine(
            config: AlertingConfig(
                defaultRules: false,
                rules: [Fixtures.latencyRule()],
                grouping: GroupingConfig(groupWait: 10, groupInterval: 60, repeatInterval: 14_400),
                receivers: [ReceiverConfig(name: "oncall", url: "http://127.0.0.1:9/hook")],
                outbox: OutboxConfig(directory: directory + "/outbox"),
                stateFile: directory + "/state.json"
            ),
            transfers: TransferLoop(),
            clock: { wall.now },
            timer: timer
        )
        engine.evaluate([Fixtures.probe(over: 10)], now: 1000)
        #expect(engine.outbox.pending(receiver: "oncall").isEmpty)
        // Only the ticker runs (no delivery), so whatever it flushes stays in the outbox.
        let running = RunningServices([engine])
        // The first tick finds nothing due, then the ticker sleeps on the injected clock until the group is due,
        // 10 s after the evaluation: one sleep, no periodic wake-ups before it.
        #expect(await waitUntil { timer.sleepers == 1 })
        wall.set(1009.9)
        timer.advance(by: .milliseconds(9900))
        #expect(timer.sleepers == 1)
        #expect(engine.outbox.pending(receiver: "oncall").isEmpty)
        wall.set(1010)
        timer.advance(by: .milliseconds(100))
        #expect(await waitUntil { engine.outbox.pending(receiver: "oncall").map(\.status) == ["firing"] })
        // Nothing else is due: the ticker sleeps again, for the longest wait, until an evaluation rings it.
        #expect(await waitUntil { timer.sleepers == 1 })
        #expect(engine.nextFlushAt == 1070)
        await running.stop()
    }
}

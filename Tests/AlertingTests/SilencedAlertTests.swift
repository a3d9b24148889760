import Alerting
import Config
import Foundation
import HTTPClient
import Synchronization
import Testing

@Suite("Silenced alerts are evaluated but notify only once released")
struct SilencedAlertTests {
    private func config(
        _ directory: String,
        windows: [MaintenanceWindow] = [],
        kind: ReceiverConfig.Kind = .webhook
    ) -> AlertingConfig {
        AlertingConfig(
            defaultRules: false,
            rules: [Fixtures.latencyRule()],
            grouping: GroupingConfig(groupWait: 10, groupInterval: 60, repeatInterval: 14_400),
            receivers: [ReceiverConfig(name: "oncall", kind: kind, url: "http://127.0.0.1:9/hook")],
            outbox: OutboxConfig(directory: directory + "/outbox"),
            stateFile: directory + "/state.json",
            silencesFile: directory + "/silences.json",
            maintenanceWindows: windows
        )
    }

    private func silence(_ engine: AlertEngine, from: Double, to: Double) throws -> String {
        try engine.silences.upsert(
            SilenceRequest(
                matchers: [
                    try LabelMatcher(parsing: #"alertname="SlaprobeLatencyHigh""#),
                    try LabelMatcher(parsing: "probe=entitlement"),
                ],
                startsAt: from,
                endsAt: to,
                createdBy: "ops",
                comment: "deploy"
            ),
            now: from
        )
    }

    private func run(_ engine: AlertEngine, over: Int, from: Double, through: Double) {
        for time in stride(from: from, through: through, by: 15) {
            engine.evaluate([Fixtures.probe(over: over)], now: time)
            engine.flush(now: time)
        }
    }

    @Test("a firing alert under a silence is listed as suppressed, counted once, and notifies when the silence ends")
    func notifiesWhenTheSilenceEnds() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let clock = Clock(1000)
        let engine = try AlertEngine(config: config(directory), transfers: TransferLoop(), clock: clock.read)
        let id = try silence(engine, from: 1000, to: 1100)
        run(engine, over: 10, from: 1000, through: 1095)
        #expect(engine.outbox.pending(receiver: "oncall").isEmpty)
        clock.set(1095)
        let listed = try #require(engine.alerts().first)
        #expect(listed.state == .suppressed)
        #expect(listed.heldState == .firing)
        #expect(listed.silencedBy == [id])
        #expect(engine.alertGaugeRows().map(\.alertstate) == ["firing"])
        #expect(engine.suppressedNotifications().map(\.count) == [1])
        // The first evaluation after the end hands the alert over; group_wait later it is sent.
        run(engine, over: 10, from: 1110, through: 1125)
        #expect(engine.outbox.pending(receiver: "oncall").map(\.status) == ["firing"])
        clock.set(1125)
        #expect(engine.alerts().first?.state == .firing)
    }

    @Test("expiring the silence early releases the alert at the next evaluation")
    func expiredEarly() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let engine = try AlertEngine(config: config(directory), transfers: TransferLoop())
        let id = try silence(engine, from: 1000, to: 90_000)
        run(engine, over: 10, from: 1000, through: 1300)
        #expect(engine.outbox.pending(receiver: "oncall").isEmpty)
        try engine.silences.expire(id: id, now: 1301)
        run(engine, over: 10, from: 1315, through: 1330)
        #expect(engine.outbox.pending(receiver: "oncall").map(\.status) == ["firing"])
    }

    @Test(
        "an alert that resolves while silenced sends no lone resolve, to webhooks or to Alertmanager",
        arguments: [
            ReceiverConfig.Kind.webhook, .alertmanager,
        ]
    )
    func noLoneResolve(_ kind: ReceiverConfig.Kind) throws {
        let directory = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let engine = try AlertEngine(config: config(directory, kind: kind), transfers: TransferLoop())
        _ = try silence(engine, from: 1000, to: 1100)
        run(engine, over: 10, from: 1000, through: 1060)
        run(engine, over: 0, from: 1075, through: 1500)
        #expect(engine.outbox.pending(receiver: "oncall").isEmpty)
        #expect(engine.suppressedNotifications().map(\.count) == [2])
    }

    @Test("an alert already notified and then silenced neither resolves nor re-pages while held")
    func silencedAfterNotifying() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let engine = try AlertEngine(config: config(directory), transfers: TransferLoop())
        run(engine, over: 10, from: 1000, through: 1015)
        #expect(engine.outbox.pending(receiver: "oncall").map(\.status) == ["firing"])
        _ = try silence(engine, from: 1020, to: 5000)
        run(engine, over: 10, from: 1030, through: 2000)
        #expect(engine.outbox.pending(receiver: "oncall").map(\.status) == ["firing"])
    }

    @Test("a weekly maintenance window holds the alert while open, on the engine's clock")
    func maintenanceWindow() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let window = MaintenanceWindow(
            name: "deploy",
            matchers: [try LabelMatcher(parsing: #"probe="entitlement""#)],
            schedule: .weekly(
                [MaintenanceWindow.WeeklyTimes(weekdays: [2], startMinute: 22 * 60, endMinute: 23 * 60 + 30)],
                timeZone: "Europe/Berlin"
            )
        )
        // Monday 2026-12-07 22:30 Berlin.
        let open = RFC3339Timestamp.parse("2026-12-07T21:30:00Z")!
        let clock = Clock(open)
        let engine = try AlertEngine(
            config: config(directory, windows: [window]),
            transfers: TransferLoop(),
            clock: clock.read
        )
        run(engine, over: 10, from: open, through: open + 900)
        #expect(engine.outbox.pending(receiver: "oncall").isEmpty)
        clock.set(open + 900)
        #expect(engine.alerts().first?.state == .suppressed)
        #expect(engine.alerts().first?.mutedBy == ["deploy"])
        // 23:45 Berlin: closed.
        run(engine, over: 10, from: open + 4500, through: open + 4515)
        #expect(engine.outbox.pending(receiver: "oncall").map(\.status) == ["firing"])
    }

    @Test("a maintenance window added by a reload holds the alert from the next evaluation on")
    func windowFromReload() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let engine = try AlertEngine(config: config(directory), transfers: TransferLoop(), clock: { 1000 })
        let window = MaintenanceWindow(
            name: "migration",
            matchers: [try LabelMatcher(parsing: #"alertname=~"Slaprobe.*""#)],
            schedule: .absolute(start: 900, end: 2000)
        )
        try engine.update(config: config(directory, windows: [window]), expectedProbes: [])
        run(engine, over: 10, from: 1000, through: 1990)
        #expect(engine.outbox.pending(receiver: "oncall").isEmpty)
        #expect(engine.alerts().first?.mutedBy == ["migration"])
        run(engine, over: 10, from: 2000, through: 2015)
        #expect(engine.outbox.pending(receiver: "oncall").map(\.status) == ["firing"])
    }

    /// A settable Unix-seconds clock.
    final class Clock: Sendable {
        private let value: Mutex<Double>
        init(_ start: Double) { value = Mutex(start) }
        func set(_ time: Double) { value.withLock { $0 = time } }
        var read: @Sendable () -> Double { { [self] in value.withLock { $0 } } }
    }
}

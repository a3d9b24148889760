import Alerting
import Config
import Foundation
import HTTPClient
import Testing

@Suite("Alert state survives a restart")
struct AlertEngineRestoreTests {
    private func config(_ directory: String) -> AlertingConfig {
        AlertingConfig(
            defaultRules: false,
            rules: [Fixtures.latencyRule()],
            grouping: GroupingConfig(groupWait: 10, groupInterval: 60, repeatInterval: 14_400),
            receivers: [ReceiverConfig(name: "oncall", url: "http://127.0.0.1:9/hook")],
            outbox: OutboxConfig(directory: directory + "/outbox"),
            stateFile: directory + "/state.json"
        )
    }

    @Test func restoredFiringAlertDoesNotPageAgainAndItsResolveIsSent() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let loop = TransferLoop()
        do {
            let engine = try AlertEngine(config: config(directory), transfers: loop)
            engine.evaluate([Fixtures.probe(over: 10)], now: 1000)
            engine.flush(now: 1010)
            #expect(engine.outbox.pending(receiver: "oncall").map(\.status) == ["firing"])
            #expect(engine.alertGaugeRows().map(\.alertstate) == ["firing"])
        }
        // "Restart": a new engine on the same files.
        let restarted = try AlertEngine(config: config(directory), transfers: loop)
        #expect(restarted.alertGaugeRows().map(\.alertstate) == ["firing"])
        for time in stride(from: 1015.0, through: 2000, by: 15) {
            restarted.evaluate([Fixtures.probe(over: 10)], now: time)
            restarted.flush(now: time)
        }
        #expect(restarted.outbox.pending(receiver: "oncall").count == 1)
        restarted.evaluate([Fixtures.probe(over: 0)], now: 2015)
        restarted.flush(now: 2100)
        let entries = restarted.outbox.pending(receiver: "oncall")
        #expect(entries.map(\.status) == ["firing", "resolved"])
        #expect(entries[0].id != entries[1].id)
    }

    @Test func aCrashBetweenOutboxAndStateWriteDoesNotPageTwice() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let loop = TransferLoop()
        let stateFile = directory + "/state.json"
        do {
            let engine = try AlertEngine(config: config(directory), transfers: loop)
            engine.evaluate([Fixtures.probe(over: 10)], now: 1000)
            let before = try Data(contentsOf: URL(fileURLWithPath: stateFile))
            engine.flush(now: 1010)
            #expect(engine.outbox.pending(receiver: "oncall").count == 1)
            // The process dies after the notification reached the outbox, before the state recording it was saved.
            try before.write(to: URL(fileURLWithPath: stateFile))
        }
        let restarted = try AlertEngine(config: config(directory), transfers: loop)
        for time in stride(from: 1015.0, through: 1200, by: 15) {
            restarted.evaluate([Fixtures.probe(over: 10)], now: time)
            restarted.flush(now: time)
        }
        #expect(restarted.outbox.pending(receiver: "oncall").map(\.status) == ["firing"])
    }

    @Test func resolveDueAtTheCrashIsSentAfterRestart() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let loop = TransferLoop()
        do {
            let engine = try AlertEngine(config: config(directory), transfers: loop)
            engine.evaluate([Fixtures.probe(over: 10)], now: 1000)
            engine.flush(now: 1010)
            // Resolved, but the process dies before the group interval lets the resolve out.
            engine.evaluate([Fixtures.probe(over: 0)], now: 1030)
            #expect(engine.outbox.pending(receiver: "oncall").count == 1)
        }
        let restarted = try AlertEngine(config: config(directory), transfers: loop)
        restarted.flush(now: 1070)
        #expect(restarted.outbox.pending(receiver: "oncall").map(\.status) == ["firing", "resolved"])
        let alertsJSON = Fixtures.json(restarted.alertsJSON()) as? [String: Any]
        let data = alertsJSON?["data"] as? [String: Any]
        let alerts = data?["alerts"] as? [[String: Any]]
        #expect(alerts?.first?["state"] as? String == "resolved")
        #expect(alerts?.first?["firedAt"] as? String == "1970-01-01T00:16:40Z")
    }

    @Test func invalidConfigurationIsRefusedWithEveryProblem() {
        var config = AlertingConfig(receivers: [ReceiverConfig(name: "x", url: "ftp://nowhere")])
        config.grouping.groupInterval = 0
        config.staticLabels = ["instance": ""]
        let problems = config.validate()
        #expect(problems.contains { $0.contains("group_interval") })
        #expect(problems.contains { $0.contains("receiver x") && $0.contains("http") })
        #expect(problems.contains { $0.contains("static label \"instance\"") })
        #expect(AlertingConfig().validate().isEmpty)
    }
}

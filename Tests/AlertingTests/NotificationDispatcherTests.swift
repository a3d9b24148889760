import Alerting
import Config
import Foundation
import Testing

@Suite("Notification grouping, timing and payloads")
struct NotificationDispatcherTests {
    private let webhook = NotificationDispatcher.Policy(
        receiver: ReceiverConfig(name: "oncall", url: "http://127.0.0.1:1/hook"),
        grouping: GroupingConfig(groupWait: 10, groupInterval: 60, repeatInterval: 600),
        externalURL: "http://slaprobe.example:9115"
    )

    private func firing(at time: Double = 1000) -> OutgoingAlert {
        OutgoingAlert(
            labels: ["alertname": "SlaprobeLatencyHigh", "probe": "entitlement", "severity": "page"],
            annotations: ["summary": "slow", "p95": "0.25", "request_ids": "a,b"],
            status: .firing,
            startsAt: time,
            endsAt: nil,
            generatorURL: "http://slaprobe.example:9115/api/v1/alerts?fingerprint=x"
        )
    }

    @Test func groupWaitThenRepeatIntervalResend() {
        var dispatcher = NotificationDispatcher()
        #expect(dispatcher.receive([firing()], now: 1000, policy: webhook).isEmpty)
        #expect(dispatcher.flush(now: 1009, policy: webhook).isEmpty)
        #expect(dispatcher.flush(now: 1010, policy: webhook).count == 1)
        // Nothing changed: no notification at the group interval ticks before repeat_interval.
        var time = 1010.0
        var resent: [Double] = []
        while time < 2300 {
            time += 60
            _ = dispatcher.receive([firing()], now: time, policy: webhook)
            if !dispatcher.flush(now: time, policy: webhook).isEmpty { resent.append(time) }
        }
        // Last notified at 1010; the first tick strictly after 1010 + 600 is 1670, then 1670 + 600 < 2330.
        #expect(resent == [1670, 2330])
    }

    @Test func resolveIsSentOnceAndThenForgotten() {
        var dispatcher = NotificationDispatcher()
        _ = dispatcher.receive([firing()], now: 1000, policy: webhook)
        #expect(dispatcher.flush(now: 1010, policy: webhook).count == 1)
        var resolved = firing()
        resolved.status = .resolved
        resolved.endsAt = 1030
        _ = dispatcher.receive([resolved], now: 1030, policy: webhook)
        #expect(dispatcher.flush(now: 1069, policy: webhook).isEmpty)
        let sent = dispatcher.flush(now: 1070, policy: webhook)
        #expect(sent.map(\.status) == ["resolved"])
        // The evaluator keeps handing over the resolved alert for 15 minutes; nothing more is sent.
        for time in stride(from: 1085.0, through: 2000, by: 15) {
            _ = dispatcher.receive([resolved], now: time, policy: webhook)
            #expect(dispatcher.flush(now: time, policy: webhook).isEmpty)
        }
    }

    @Test func sendResolvedFalseSendsNoResolve() {
        var policy = webhook
        policy.receiver.sendResolved = false
        var dispatcher = NotificationDispatcher()
        _ = dispatcher.receive([firing()], now: 1000, policy: policy)
        #expect(dispatcher.flush(now: 1010, policy: policy).count == 1)
        var resolved = firing()
        resolved.status = .resolved
        resolved.endsAt = 1030
        _ = dispatcher.receive([resolved], now: 1030, policy: policy)
        #expect(dispatcher.flush(now: 1070, policy: policy).isEmpty)
    }

    @Test func webhookPayloadMatchesAlertmanagerVersion4FieldForField() throws {
        var dispatcher = NotificationDispatcher()
        var other = firing(at: 1000.5)
        other.labels["probe"] = "entitlement"
        other.labels["severity"] = "ticket"
        other.annotations["summary"] = "also slow"
        _ = dispatcher.receive([firing(), other], now: 1000, policy: webhook)
        let notification = try #require(dispatcher.flush(now: 1010, policy: webhook).first)
        let object = try #require(Fixtures.json(notification.body) as? [String: Any])
        #expect(
            Set(object.keys) == [
                "version", "groupKey", "truncatedAlerts", "status", "receiver", "groupLabels", "commonLabels",
                "commonAnnotations", "externalURL", "alerts",
            ]
        )
        #expect(object["version"] as? String == "4")
        #expect(object["groupKey"] as? String == #"{}:{alertname="SlaprobeLatencyHigh", probe="entitlement"}"#)
        #expect((object["truncatedAlerts"] as? NSNumber)?.intValue == 0)
        #expect(object["truncatedAlerts"] is Int)
        #expect(object["status"] as? String == "firing")
        #expect(object["receiver"] as? String == "oncall")
        #expect(
            object["groupLabels"] as? [String: String] == ["alertname": "SlaprobeLatencyHigh", "probe": "entitlement"]
        )
        #expect(
            object["commonLabels"] as? [String: String] == ["alertname": "SlaprobeLatencyHigh", "probe": "entitlement"]
        )
        #expect(object["commonAnnotations"] as? [String: String] == ["p95": "0.25", "request_ids": "a,b"])
        #expect(object["externalURL"] as? String == "http://slaprobe.example:9115")
        let alerts = try #require(object["alerts"] as? [[String: Any]])
        #expect(alerts.count == 2)
        for alert in alerts {
            #expect(
                Set(alert.keys) == [
                    "status", "labels", "annotations", "startsAt", "endsAt", "generatorURL", "fingerprint",
                ]
            )
            #expect(alert["status"] as? String == "firing")
            #expect(alert["labels"] is [String: String])
            #expect(alert["annotations"] is [String: String])
            #expect(alert["endsAt"] as? String == "0001-01-01T00:00:00Z")
            #expect(alert["generatorURL"] as? String == "http://slaprobe.example:9115/api/v1/alerts?fingerprint=x")
            let labels = alert["labels"] as? [String: String] ?? [:]
            #expect(alert["fingerprint"] as? String == Fingerprint(labels: labels).description)
        }
        #expect(alerts[0]["startsAt"] as? String == "1970-01-01T00:16:40Z")
        #expect(alerts[1]["startsAt"] as? String == "1970-01-01T00:16:40.500Z")
        let fingerprint = alerts[0]["fingerprint"] as? String ?? ""
        #expect(fingerprint.count == 16 && fingerprint.allSatisfy { $0.isHexDigit && !$0.isUppercase })

        var resolved = firing()
        resolved.status = .resolved
        resolved.endsAt = 1234
        _ = dispatcher.receive([resolved, other], now: 1020, policy: webhook)
        let second = try #require(dispatcher.flush(now: 1070, policy: webhook).first)
        let secondObject = try #require(Fixtures.json(second.body) as? [String: Any])
        let secondAlerts = try #require(secondObject["alerts"] as? [[String: Any]])
        #expect(secondObject["status"] as? String == "firing")
        #expect(
            secondAlerts.compactMap { $0["endsAt"] as? String }.sorted() == [
                "0001-01-01T00:00:00Z", "1970-01-01T00:20:34Z",
            ]
        )
    }

    @Test func maxAlertsTruncatesAndCounts() throws {
        var policy = webhook
        policy.receiver.maxAlerts = 1
        var dispatcher = NotificationDispatcher()
        var other = firing()
        other.labels["severity"] = "ticket"
        _ = dispatcher.receive([firing(), other], now: 1000, policy: policy)
        let object = try #require(Fixtures.json(dispatcher.flush(now: 1010, policy: policy)[0].body) as? [String: Any])
        #expect((object["alerts"] as? [Any])?.count == 1)
        #expect(object["truncatedAlerts"] as? Int == 1)
    }

    @Test func alertmanagerPushUsesPrometheusEndsAtAndResendDelay() throws {
        let policy = NotificationDispatcher.Policy(
            receiver: ReceiverConfig(name: "am", kind: .alertmanager, url: "http://127.0.0.1:1"),
            evaluationInterval: 15,
            resendDelay: 60
        )
        var dispatcher = NotificationDispatcher()
        let first = dispatcher.receive([firing()], now: 1000, policy: policy)
        let firstBody = try #require(first.first).body
        let array = try #require(Fixtures.json(firstBody) as? [[String: Any]])
        #expect(array.count == 1)
        #expect(Set(array[0].keys) == ["labels", "annotations", "startsAt", "endsAt", "generatorURL"])
        #expect(array[0]["startsAt"] as? String == "1970-01-01T00:16:40Z")
        // now + 4 × max(15 s, 60 s) = 1240.
        #expect(array[0]["endsAt"] as? String == "1970-01-01T00:20:40Z")
        #expect(dispatcher.receive([firing()], now: 1015, policy: policy).isEmpty)
        #expect(dispatcher.receive([firing()], now: 1045, policy: policy).isEmpty)
        #expect(dispatcher.receive([firing()], now: 1060, policy: policy).count == 1)
        var resolved = firing()
        resolved.status = .resolved
        resolved.endsAt = 1075
        let resolve = dispatcher.receive([resolved], now: 1075, policy: policy)
        let resolveBody = try #require(resolve.first).body
        let resolvedArray = try #require(Fixtures.json(resolveBody) as? [[String: Any]])
        #expect(resolvedArray[0]["endsAt"] as? String == "1970-01-01T00:17:55Z")
    }
}

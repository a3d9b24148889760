import Alerting
import Config
import Exposition
import Foundation
import HTTPClient
import HTTPServer
import Testing

@testable import SlaprobeService

@Suite("The silences API and metrics over the alert engine")
struct SilenceRoutesTests {
    static func engine(now: Double = 1_800_000_000) throws -> AlertEngine {
        let directory = NSTemporaryDirectory() + "silence-routes-\(UUID().uuidString.prefix(8))"
        return try AlertEngine(
            config: AlertingConfig(
                receivers: [ReceiverConfig(name: "oncall", url: "http://127.0.0.1:9/hook")],
                outbox: OutboxConfig(directory: directory + "/outbox"),
                stateFile: nil,
                silencesFile: directory + "/silences.json"
            ),
            transfers: TransferLoop(),
            clock: { now }
        )
    }

    static func routes(_ engine: AlertEngine?) -> WebRoutes {
        WebRoutes(
            metrics: { _ in .bytes([]) },
            unhealthyReason: { nil },
            notReadyReason: { nil },
            reload: { nil },
            snapshots: { [] },
            alerts: { [] },
            alertsJSON: { [] },
            rules: { [] },
            silences: { engine?.silences.all(at: engine?.clock() ?? 0) ?? [] },
            silenceRoutes: { engine.map { SilenceRoutes(store: $0.silences, now: $0.clock, startedAt: 0) } }
        )
    }

    static func post(_ matchers: String, comment: String = "deploy") -> ServerRequest {
        let body = """
            {"matchers":\(matchers),"startsAt":"2027-01-15T08:00:00Z","endsAt":"2027-01-15T10:00:00Z",
             "createdBy":"ops","comment":"\(comment)"}
            """
        return ServerRequest(method: "POST", path: "/api/v2/silences", body: Array(body.utf8))
    }

    @Test("create, read, filter and expire, in Alertmanager's gettableSilence shape")
    func lifecycle() throws {
        let engine = try Self.engine()
        defer { try? FileManager.default.removeItem(atPath: engine.silences.path.map(Self.parent) ?? "") }
        let routes = Self.routes(engine)
        let created = routes.handle(Self.post(#"[{"name":"probe","value":"checkout","isRegex":false}]"#))
        #expect(created.status == 200)
        let id = try #require(routes.silences().first?.id)
        #expect(Self.text(created) == #"{"silenceID":"\#(id)"}"#)
        let one = routes.handle(ServerRequest(method: "GET", path: "/api/v2/silence/\(id)"))
        #expect(
            Self.text(one)
                == #"{"comment":"deploy","createdBy":"ops","endsAt":"2027-01-15T10:00:00Z","id":"\#(id)","#
                + #""matchers":[{"isEqual":true,"isRegex":false,"name":"probe","value":"checkout"}],"#
                + #""startsAt":"2027-01-15T08:00:00Z","status":{"state":"active"},"#
                + #""updatedAt":"2027-01-15T08:00:00Z"}"#
        )
        func list(_ filters: [String]) -> String {
            var request = ServerRequest(method: "GET", path: "/api/v2/silences")
            request.queryItems = filters.map { ("filter", $0) }
            return Self.text(routes.handle(request))
        }
        #expect(list([#"probe="checkout""#]).contains(id))
        #expect(list([#"probe="checkout""#, "alertname=X"]) == "[]")
        #expect(list(["probe=~check.*"]).contains(id))
        #expect(routes.handle(ServerRequest(method: "DELETE", path: "/api/v2/silence/\(id)")).status == 200)
        #expect(routes.silences().first.map { $0.state(at: engine.clock()) } == .expired)
        #expect(routes.handle(ServerRequest(method: "DELETE", path: "/api/v2/silence/nope")).status == 404)
        let wrong = routes.handle(ServerRequest(method: "PUT", path: "/api/v2/silences"))
        #expect(wrong.status == 405)
        #expect(wrong.header("Allow") == "GET, POST")
        let status = routes.handle(ServerRequest(method: "GET", path: "/api/v2/status"))
        #expect(Self.text(status).hasPrefix(#"{"cluster":{"status":"disabled","peers":[]},"config":{"original":""}"#))
    }

    @Test("without alerting the API answers 404")
    func disabled() {
        let response = Self.routes(nil).handle(ServerRequest(method: "GET", path: "/api/v2/silences"))
        #expect(response.status == 404)
        #expect(Self.text(response).contains("alerting is disabled"))
    }

    @Test("slaprobe_silences has every state and the suppressed counter every receiver, exactly")
    func exposition() throws {
        let engine = try Self.engine(now: RFC3339Timestamp.parse("2027-01-15T09:00:00Z")!)
        defer { try? FileManager.default.removeItem(atPath: engine.silences.path.map(Self.parent) ?? "") }
        _ = Self.routes(engine).handle(Self.post(#"[{"name":"probe","value":"checkout","isRegex":false}]"#))
        var writer = ExpositionWriter(format: .text)
        AlertMetrics.write(engine, into: &writer)
        let text = String(decoding: writer.finish(), as: UTF8.self)
        let expected = """
            # HELP slaprobe_notifications_suppressed_total Alert notifications withheld because a silence or \
            maintenance window held the alert.
            # TYPE slaprobe_notifications_suppressed_total counter
            slaprobe_notifications_suppressed_total{receiver="oncall"} 0
            # HELP slaprobe_silences Silences by state (expired ones are kept for 5 days).
            # TYPE slaprobe_silences gauge
            slaprobe_silences{state="pending"} 0
            slaprobe_silences{state="active"} 1
            slaprobe_silences{state="expired"} 0

            """
        #expect(text.hasSuffix(expected), "\(text)")
    }

    static func text(_ response: ServerResponse) -> String {
        guard case .bytes(let bytes) = response.body else { return "" }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func parent(_ path: String) -> String { URL(fileURLWithPath: path).deletingLastPathComponent().path }
}

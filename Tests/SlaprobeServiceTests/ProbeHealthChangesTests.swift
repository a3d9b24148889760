import Alerting
import HTTPServer
import Testing

@testable import SlaprobeService

@Suite struct ProbeHealthChangesTests {
    @Test func onlyChangesOfHealthAreReported() {
        var changes = ProbeHealthChanges()
        #expect(changes.observe(probe: "a", success: false) == .failing(first: true))
        #expect(changes.observe(probe: "a", success: false) == nil)
        #expect(changes.observe(probe: "a", success: false) == nil)
        #expect(changes.observe(probe: "a", success: true) == .recovered(failedRuns: 3))
        #expect(changes.observe(probe: "a", success: true) == nil)
        #expect(changes.observe(probe: "a", success: false) == .failing(first: false))
        #expect(changes.observe(probe: "a", success: true) == .recovered(failedRuns: 1))
    }

    @Test func aFirstResultThatSucceedsIsNotAChange() {
        var changes = ProbeHealthChanges()
        #expect(changes.observe(probe: "a", success: true) == nil)
        #expect(changes.observe(probe: "b", success: false) == .failing(first: true))
        #expect(changes.observe(probe: "a", success: false) == .failing(first: false))
    }

    @Test func aProbeRemovedAndAddedAgainStartsAfresh() {
        var changes = ProbeHealthChanges()
        _ = changes.observe(probe: "a", success: false)
        _ = changes.observe(probe: "b", success: false)
        changes.keep(only: ["b"])
        #expect(changes.observe(probe: "a", success: false) == .failing(first: true))
        #expect(changes.observe(probe: "b", success: false) == nil)
    }
}

@Suite struct ReloadRouteTests {
    static func routes(reload: @escaping @Sendable () -> Result<Void, Error>?) -> WebRoutes {
        WebRoutes(
            metrics: { _ in .bytes([]) },
            unhealthyReason: { nil },
            notReadyReason: { nil },
            reload: reload,
            snapshots: { [] },
            alerts: { [] },
            alertsJSON: { [] },
            rules: { [] },
            silences: { [] }
        )
    }

    @Test func aReloadWhileAnotherRunsIsAnswered429WithRetryAfter() {
        let response = Self.routes(reload: { nil }).handle(ServerRequest(method: "POST", path: "/-/reload"))
        #expect(response.status == 429)
        #expect(response.headers.contains { $0.0 == "Retry-After" && $0.1 == "1" })
    }

    @Test func aReloadThatRunsIsAnswered200() {
        let response = Self.routes(reload: { .success(()) }).handle(ServerRequest(method: "POST", path: "/-/reload"))
        #expect(response.status == 200)
    }
}

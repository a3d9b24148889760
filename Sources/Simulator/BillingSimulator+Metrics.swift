import Exposition
import HTTPServer

extension BillingSimulator {
    /// `GET /metrics`: the cache counters, requests by endpoint, and what the event processor did.
    func metrics(_ request: ServerRequest) -> ServerResponse {
        let format = ExpositionFormat.negotiate(accept: request.header("accept"))
        let snapshot = state.withLock { ($0.cacheHits, $0.cacheMisses, $0.requests, $0.warmUsers.count) }
        let now = clock()
        let (counts, sessions, customers, pending) = ledger.withLock { ledger in
            ledger.settle(now: now)
            return (ledger.counts, ledger.sessionCount, ledger.customerCount, ledger.pendingCount)
        }
        var writer = ExpositionWriter(format: format)
        writer.family("entitlement_cache_hits", type: .counter, help: "Entitlement lookups served from the cache.")
        writer.counter("entitlement_cache_hits", .empty, Double(snapshot.0))
        writer.family("entitlement_cache_misses", type: .counter, help: "Entitlement lookups that missed the cache.")
        writer.counter("entitlement_cache_misses", .empty, Double(snapshot.1))
        writer.family(
            "simulator_entitlement_cache_warm_users",
            type: .gauge,
            help: "Users whose entitlements are warm in the cache (at most cache_users)."
        )
        writer.gauge("simulator_entitlement_cache_warm_users", .empty, Double(snapshot.3))
        writer.family("simulator_requests", type: .counter, help: "Requests received, by endpoint.")
        for endpoint in SimulatedEndpoint.allCases {
            writer.counter(
                "simulator_requests",
                LabelSet([("endpoint", endpoint.rawValue)]),
                Double(snapshot.2[endpoint.rawValue] ?? 0)
            )
        }
        let counters: [(String, String, UInt64)] = [
            ("simulator_entitlement_grants", "New customers granted after a completed checkout.", counts.grants),
            ("simulator_entitlement_grant_failures", "Grants whose processing failed.", counts.failedGrants),
            (
                "simulator_entitlement_grants_dropped", "Grants dropped after the webhook was acknowledged.",
                counts.droppedGrants
            ),
            ("simulator_entitlement_revokes", "New customers revoked by a deleted subscription.", counts.revokes),
        ]
        for (name, help, value) in counters {
            writer.family(name, type: .counter, help: help)
            writer.counter(name, .empty, count: value)
        }
        writer.family(
            "simulator_webhooks_refused",
            type: .counter,
            help: "Completed-checkout webhooks refused, by reason."
        )
        writer.counter(
            "simulator_webhooks_refused",
            LabelSet([("reason", "unknown_session")]),
            count: counts.unknownSessions
        )
        writer.counter("simulator_webhooks_refused", LabelSet([("reason", "other_user")]), count: counts.otherUsers)
        let gauges: [(String, String, Int)] = [
            ("simulator_checkout_sessions", "Checkout sessions remembered.", sessions),
            ("simulator_entitled_customers", "Entitled new customers remembered.", customers),
            ("simulator_pending_grants", "Grants still being processed.", pending),
        ]
        for (name, help, value) in gauges {
            writer.family(name, type: .gauge, help: help)
            writer.gauge(name, .empty, Double(value))
        }
        return ServerResponse(
            status: 200,
            headers: [("Content-Type", format.contentType)],
            body: .bytes(writer.finish())
        )
    }
}

import Foundation
import HTTPServer
import Simulator
import Testing

@Suite struct EntitlementGrantTests {
    @Test func checkoutAnswersSessionIDAndCheckoutURL() throws {
        let target = JourneyTarget()
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(target.checkout("u").bodyText.utf8)) as? [String: Any]
        )
        let session = try #require(object["session_id"] as? String)
        #expect(object["id"] as? String == session)
        #expect((object["checkout_url"] as? String)?.hasSuffix(session) == true)
        #expect(object["url"] as? String == object["checkout_url"] as? String)
    }

    @Test func grantArrivesAfterTheProcessingDelay() throws {
        let target = JourneyTarget(grants: GrantFaults(delay: 0.3, jitter: 0))
        let user = JourneyTarget.newCustomer()
        let session = try target.session(for: user)
        #expect(try target.entitled(user) == false)
        #expect(target.completed(session, user: user).status == 200)
        #expect(try target.entitled(user) == false)
        target.clock.advance(0.299)
        #expect(try target.entitled(user) == false)
        #expect(target.metric("simulator_entitlement_grants_total") == 0)
        target.clock.advance(0.002)
        #expect(try target.entitled(user) == true)
        #expect(target.metric("simulator_entitlement_grants_total") == 1)
    }

    @Test func jitterSpreadsGrantsBetweenDelayAndDelayPlusJitter() throws {
        let target = JourneyTarget(grants: GrantFaults(delay: 0.2, jitter: 0.1))
        let users = (0..<40).map { _ in JourneyTarget.newCustomer() }
        for user in users { #expect(target.completed(try target.session(for: user), user: user).status == 200) }
        target.clock.advance(0.199)
        #expect(try users.allSatisfy { try !target.entitled($0) })
        target.clock.advance(0.052)
        let early = try users.filter { try target.entitled($0) }.count
        #expect(early > 0 && early < users.count)
        target.clock.advance(0.05)
        #expect(try users.allSatisfy { try target.entitled($0) })
    }

    @Test func exactlyOneGrantPerCompletedCheckout() throws {
        let target = JourneyTarget(grants: GrantFaults(delay: 0.1, jitter: 0))
        let user = JourneyTarget.newCustomer()
        let session = try target.session(for: user)
        #expect(target.completed(session, user: user).status == 200)
        #expect(target.completed(session, user: user).status == 200)
        target.clock.advance(1)
        #expect(target.completed(session, user: user).status == 200)
        #expect(try target.entitled(user))
        #expect(target.metric("simulator_entitlement_grants_total") == 1)
        let other = JourneyTarget.newCustomer()
        #expect(target.completed(try target.session(for: other), user: other).status == 200)
        target.clock.advance(1)
        #expect(target.metric("simulator_entitlement_grants_total") == 2)
        #expect(target.simulator.ledgerCounts.grants == 2)
    }

    @Test func deletedSubscriptionRevokes() throws {
        let target = JourneyTarget(grants: GrantFaults(delay: 0.1, jitter: 0))
        let user = JourneyTarget.newCustomer()
        let session = try target.session(for: user)
        #expect(target.completed(session, user: user).status == 200)
        target.clock.advance(0.2)
        #expect(try target.entitled(user))
        #expect(target.deleted(user).status == 200)
        #expect(try target.entitled(user) == false)
        #expect(target.metric("simulator_entitlement_revokes_total") == 1)
        #expect(target.metric("simulator_entitled_customers") == 0)
        // Revoking again, or revoking an existing customer, changes nothing.
        #expect(target.deleted(user).status == 200)
        #expect(target.deleted("slaprobe-synthetic-user").status == 200)
        #expect(try target.entitled("slaprobe-synthetic-user"))
        #expect(target.metric("simulator_entitlement_revokes_total") == 1)
    }

    @Test func revokeCancelsAGrantInProgress() throws {
        let target = JourneyTarget(grants: GrantFaults(delay: 1, jitter: 0))
        let user = JourneyTarget.newCustomer()
        let session = try target.session(for: user)
        #expect(target.completed(session, user: user).status == 200)
        #expect(target.deleted(user, session: session).status == 200)
        target.clock.advance(2)
        #expect(try target.entitled(user) == false)
        #expect(target.metric("simulator_entitlement_grants_total") == 0)
        #expect(target.metric("simulator_entitlement_revokes_total") == 1)
    }

    @Test func webhookForASessionCheckoutNeverCreatedIsRefused() throws {
        let target = JourneyTarget(grants: GrantFaults(delay: 0, jitter: 0))
        let user = JourneyTarget.newCustomer()
        let response = target.completed("cs_sim_forged", user: user)
        #expect(response.status == 400)
        #expect(response.bodyText.contains("cs_sim_forged"))
        #expect(target.completed("cs_elsewhere", user: user).status == 400)
        #expect(target.completed("cs_sim_forged", user: "slaprobe-synthetic-user").status == 400)
        #expect(try target.entitled(user) == false)
        #expect(target.metric(#"simulator_webhooks_refused_total{reason="unknown_session"}"#) == 3)
        #expect(target.metric("simulator_entitlement_grants_total") == 0)
    }

    @Test func webhookNamingAnotherUserThanTheSessionsIsRefused() throws {
        let target = JourneyTarget(grants: GrantFaults(delay: 0, jitter: 0))
        let user = JourneyTarget.newCustomer()
        let intruder = JourneyTarget.newCustomer()
        let session = try target.session(for: user)
        #expect(target.completed(session, user: intruder).status == 400)
        #expect(try target.entitled(intruder) == false)
        #expect(target.metric(#"simulator_webhooks_refused_total{reason="other_user"}"#) == 1)
        // The session can still be completed by its own user; without metadata its user is granted.
        #expect(target.completed(session, user: nil).status == 200)
        #expect(try target.entitled(user))
    }

    @Test func theWebhookProbesEventsAreStillAccepted() {
        let target = JourneyTarget()
        // The webhook probe's event: a completed checkout for a session of its own, for an existing customer.
        let session = "cs_slaprobe_" + UUID().uuidString.lowercased()
        let body =
            #"{"id":"evt_slaprobe_1","object":"event","type":"checkout.session.completed","created":1,"#
            + #""livemode":false,"data":{"object":{"id":"\#(session)","object":"checkout.session","#
            + #""mode":"subscription","status":"complete","metadata":{"user_id":"slaprobe-synthetic-user","#
            + #""project_id":"p","synthetic":"slaprobe"}}}}"#
        #expect(target.signed(body).status == 200)
        #expect(target.signed(#"{"id":"evt_1"}"#).status == 200)
        #expect(target.signed(#"{"id":"evt_2","type":"invoice.paid","data":{"object":{"id":"in_1"}}}"#).status == 200)
        #expect(target.signed("not json").status == 200)
        #expect(target.metric(#"simulator_webhooks_refused_total{reason="unknown_session"}"#) == 0)
    }

    @Test func everyOtherUserIsEntitledAsBefore() throws {
        let target = JourneyTarget()
        #expect(try target.entitled("u"))
        #expect(try target.entitled("slaprobe-synthetic-user"))
        #expect(target.lookup("u").bodyText.contains(#""plan":"pro""#))
    }

    @Test func droppedGrantsNeverEntitle() throws {
        let target = JourneyTarget(grants: GrantFaults(delay: 0.1, jitter: 0, dropGrants: true))
        let user = JourneyTarget.newCustomer()
        #expect(target.completed(try target.session(for: user), user: user).status == 200)
        target.clock.advance(60)
        #expect(try target.entitled(user) == false)
        #expect(target.metric("simulator_entitlement_grants_dropped_total") == 1)
        #expect(target.metric("simulator_entitlement_grants_total") == 0)
    }

    @Test func grantErrorRateFailsThatShareOfGrants() throws {
        let target = JourneyTarget(grants: GrantFaults(delay: 0, jitter: 0, errorRate: 0.5))
        let users = (0..<400).map { _ in JourneyTarget.newCustomer() }
        for user in users { #expect(target.completed(try target.session(for: user), user: user).status == 200) }
        target.clock.advance(0.001)
        let granted = try users.filter { try target.entitled($0) }.count
        #expect((140...260).contains(granted))
        #expect(target.metric("simulator_entitlement_grants_total") == Double(granted))
        #expect(target.metric("simulator_entitlement_grant_failures_total") == Double(400 - granted))
    }

    @Test func grantKnobsChangeAtRunTime() throws {
        let target = JourneyTarget(grants: GrantFaults(delay: 0, jitter: 0))
        try FaultSettings.apply(["grant_delay": "300ms", "grant_jitter": "0"], to: target.simulator)
        #expect(target.simulator.grantFaults == GrantFaults(delay: 0.3, jitter: 0))
        let user = JourneyTarget.newCustomer()
        #expect(target.completed(try target.session(for: user), user: user).status == 200)
        target.clock.advance(0.25)
        #expect(try target.entitled(user) == false)
        target.clock.advance(0.1)
        #expect(try target.entitled(user))

        try FaultSettings.apply(["drop_grants": "true", "grant_error_rate": "0.25"], to: target.simulator)
        #expect(target.simulator.grantFaults.dropGrants && target.simulator.grantFaults.errorRate == 0.25)
        let shown = target.simulator.handle(ServerRequest(method: "GET", path: "/admin/faults")).bodyText
        #expect(shown.contains(#""grants":{"delay_seconds":0.3,"jitter_seconds":0.0,"drop":true,"error_rate":0.25}"#))
        #expect(throws: FaultSettings.InvalidSetting.self) {
            try FaultSettings.apply(["grant_error_rate": "1.5"], to: target.simulator)
        }
        #expect(throws: FaultSettings.InvalidSetting.self) {
            try FaultSettings.apply(["drop_grants": "maybe"], to: target.simulator)
        }
        #expect(throws: FaultSettings.InvalidSetting.self) {
            try FaultSettings.apply(["grant_jitter": "inf"], to: target.simulator)
        }
        // Only the webhook's (or every endpoint's) reset restores the grant defaults.
        try FaultSettings.apply(["endpoint": "entitlement", "reset": "true"], to: target.simulator)
        #expect(target.simulator.grantFaults.dropGrants)
        try FaultSettings.apply(["reset": "true"], to: target.simulator)
        #expect(target.simulator.grantFaults == GrantFaults())
    }

    @Test func injectedWebhookErrorsDoNotGrant() throws {
        let target = JourneyTarget(grants: GrantFaults(delay: 0, jitter: 0))
        try FaultSettings.apply(["endpoint": "webhook", "error_rate": "1"], to: target.simulator)
        let user = JourneyTarget.newCustomer()
        let session = try target.session(for: user)
        #expect(target.completed(session, user: user).status == 500)
        target.clock.advance(1)
        #expect(try target.entitled(user) == false)
        try FaultSettings.apply(["endpoint": "webhook", "error_rate": "0"], to: target.simulator)
        #expect(target.completed(session, user: user).status == 200)
        target.clock.advance(0.001)
        #expect(try target.entitled(user))
    }

    @Test func sessionsAndCustomersStayWithinTheirCapacities() throws {
        let target = JourneyTarget(grants: GrantFaults(delay: 0, jitter: 0), sessionCapacity: 5, customerCapacity: 3)
        let users = (0..<8).map { _ in JourneyTarget.newCustomer() }
        var sessions: [String] = []
        for user in users {
            let session = try target.session(for: user)
            sessions.append(session)
            #expect(target.completed(session, user: user).status == 200)
            target.clock.advance(0.001)
        }
        #expect(target.metric("simulator_checkout_sessions") == 5)
        #expect(target.metric("simulator_entitled_customers") == 3)
        #expect(target.metric("simulator_entitlement_grants_total") == 8)
        // The oldest customers were forgotten, so they are no longer entitled; the newest still are.
        #expect(try users.map { try target.entitled($0) } == [false, false, false, false, false, true, true, true])
        // A forgotten session is refused like one never created.
        #expect(target.completed(sessions[0], user: users[0]).status == 400)
    }

    @Test func wrongSignatureNeverGrants() throws {
        let target = JourneyTarget(grants: GrantFaults(delay: 0, jitter: 0))
        let user = JourneyTarget.newCustomer()
        let session = try target.session(for: user)
        let forged = target.event("checkout.session.completed", object: session, user: user, secret: "wrong")
        #expect(forged.status == 400)
        target.clock.advance(1)
        #expect(try target.entitled(user) == false)
    }
}

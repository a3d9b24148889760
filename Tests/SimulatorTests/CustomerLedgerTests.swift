import Simulator
import Testing

@Suite struct CustomerLedgerTests {
    @Test func sessionsAreBoundedOldestFirst() {
        var ledger = CustomerLedger(sessionCapacity: 3, customerCapacity: 3)
        let ids = (0..<5).map { ledger.createSession(user: "u\($0)", project: "p", idempotencyKey: "k\($0)") }
        #expect(ledger.sessionCount == 3)
        #expect(ledger.session(ids[0]) == nil && ledger.session(ids[1]) == nil)
        #expect(ledger.session(ids[4])?.user == "u4")
        // The idempotency keys are bounded with them: a forgotten key makes a new session.
        let replayed = ledger.createSession(user: "u4", project: "p", idempotencyKey: "k4")
        let renewed = ledger.createSession(user: "u0", project: "p", idempotencyKey: "k0")
        #expect(replayed == ids[4])
        #expect(renewed != ids[0])
    }

    @Test func aForgottenSessionIsRefused() {
        var ledger = CustomerLedger(sessionCapacity: 2, customerCapacity: 2)
        let first = ledger.createSession(user: "slaprobe-journey-a", project: "p", idempotencyKey: nil)
        _ = ledger.createSession(user: "slaprobe-journey-b", project: "p", idempotencyKey: nil)
        _ = ledger.createSession(user: "slaprobe-journey-c", project: "p", idempotencyKey: nil)
        let outcome = ledger.complete(session: first, user: "slaprobe-journey-a", now: 0)
        #expect(outcome == .unknownSession)
        #expect(ledger.counts.unknownSessions == 1)
    }

    @Test func entitledCustomersAreBoundedOldestFirst() {
        var ledger = CustomerLedger(
            sessionCapacity: 100,
            customerCapacity: 3,
            grantFaults: GrantFaults(delay: 0, jitter: 0)
        )
        let users = (0..<5).map { "slaprobe-journey-\($0)" }
        for (index, user) in users.enumerated() {
            let session = ledger.createSession(user: user, project: "p", idempotencyKey: nil)
            let outcome = ledger.complete(session: session, user: user, now: Double(index))
            #expect(outcome == .granting)
            ledger.settle(now: Double(index))
        }
        #expect(ledger.customerCount == 3)
        #expect(ledger.counts.grants == 5)
        let entitled = users.map { ledger.isEntitled($0, now: 10) }
        #expect(entitled == [false, false, true, true, true])
    }

    @Test func grantsInProgressAreBounded() {
        var ledger = CustomerLedger(
            sessionCapacity: 100,
            customerCapacity: 4,
            grantFaults: GrantFaults(delay: 10, jitter: 0)
        )
        for index in 0..<10 {
            let user = "slaprobe-journey-\(index)"
            let session = ledger.createSession(user: user, project: "p", idempotencyKey: nil)
            _ = ledger.complete(session: session, user: user, now: 0)
        }
        #expect(ledger.pendingCount == 4)
        #expect(ledger.counts.droppedGrants == 6)
        ledger.settle(now: 11)
        #expect(ledger.pendingCount == 0 && ledger.counts.grants == 4 && ledger.customerCount == 4)
    }

    @Test func revokedCustomersAreDropped() {
        var ledger = CustomerLedger(
            sessionCapacity: 10,
            customerCapacity: 10,
            grantFaults: GrantFaults(delay: 0, jitter: 0)
        )
        let user = "slaprobe-journey-x"
        let session = ledger.createSession(user: user, project: "p", idempotencyKey: nil)
        _ = ledger.complete(session: session, user: user, now: 0)
        let granted = ledger.isEntitled(user, now: 0)
        #expect(granted)
        #expect(ledger.customerCount == 1)
        let revoked = ledger.revoke(user: user, now: 1)
        #expect(revoked)
        #expect(ledger.customerCount == 0 && ledger.pendingCount == 0)
        let revokedAgain = ledger.revoke(user: user, now: 2)
        #expect(!revokedAgain)
        #expect(ledger.counts.revokes == 1)
    }

    @Test func onlyNewCustomersWaitForAGrant() {
        var ledger = CustomerLedger(sessionCapacity: 1, customerCapacity: 1)
        let existing = ledger.isEntitled("anyone", now: 0)
        let new = ledger.isEntitled("slaprobe-journey-1", now: 0)
        #expect(existing && !new)
        #expect(CustomerLedger.isNewCustomer("slaprobe-journey-1") && !CustomerLedger.isNewCustomer("slaprobe-user"))
    }
}

import FoundationEssentials

/// The simulated API's memory of checkout sessions and new customers: which sessions checkout created, which
/// grants the event processor is still working on, and which new customers are entitled.
///
/// Users whose id starts with ``newCustomerPrefix`` are new customers: not entitled until a completed checkout
/// is granted, and no longer after a revocation. Every other user is always entitled. Grants are applied
/// lazily: a grant is due at its processing time and takes effect the first time the ledger is asked after
/// that (every lookup, webhook and `/metrics` scrape asks), so no timer is needed and a test can move time.
/// Memory is bounded: past their capacities the oldest sessions, idempotency keys and customers are forgotten.
package struct CustomerLedger: Sendable {
    /// The user id prefix of new customers.
    package static let newCustomerPrefix = "slaprobe-journey-"

    /// A checkout session created by the simulated checkout.
    package struct Session: Sendable, Equatable {
        /// The user the session was created for.
        package var user: String
        /// The project the session was created for.
        package var project: String
        /// Whether a `checkout.session.completed` event has been accepted for it.
        package var completed = false
    }

    /// What a `checkout.session.completed` event did.
    package enum Completion: Sendable, Equatable {
        /// A grant was scheduled (it may still fail, per ``GrantFaults/errorRate``).
        case granting
        /// The session was already completed: acknowledged, no second grant.
        case duplicate
        /// Acknowledged and the grant dropped (``GrantFaults/dropGrants``).
        case dropped
        /// An existing customer's event for a session the simulator does not know: acknowledged without effect.
        case ignored
        /// The session was never created by checkout (or has been forgotten): refused.
        case unknownSession
        /// The event names a different user than the one the session was created for: refused.
        case otherUser
    }

    /// Running totals, shown on the simulator's `/metrics`.
    package struct Counts: Sendable, Equatable {
        /// Grants applied.
        package var grants: UInt64 = 0
        /// Grants whose processing failed.
        package var failedGrants: UInt64 = 0
        /// Grants dropped.
        package var droppedGrants: UInt64 = 0
        /// New customers revoked.
        package var revokes: UInt64 = 0
        /// Completed-checkout events refused because checkout never created their session.
        package var unknownSessions: UInt64 = 0
        /// Completed-checkout events refused because they named another user than their session's.
        package var otherUsers: UInt64 = 0
    }

    private struct PendingGrant: Sendable {
        var user: String
        var due: Double
        var fails: Bool
    }

    private var sessions: RecencyMap<String, Session>
    private var idempotencyKeys: RecencyMap<String, String>
    /// Entitled new customers, oldest grant first out.
    private var customers: RecencyMap<String, Bool>
    private var pending: [PendingGrant] = []
    private var nextDue: Double?
    /// Totals so far.
    package private(set) var counts = Counts()
    /// The event processor's behaviour.
    package var grantFaults: GrantFaults

    /// Creates an empty ledger remembering at most `sessionCapacity` sessions (and as many idempotency keys)
    /// and at most `customerCapacity` entitled new customers (and as many grants in progress).
    package init(sessionCapacity: Int, customerCapacity: Int, grantFaults: GrantFaults = GrantFaults()) {
        sessions = RecencyMap(capacity: max(sessionCapacity, 1))
        idempotencyKeys = RecencyMap(capacity: max(sessionCapacity, 1))
        customers = RecencyMap(capacity: max(customerCapacity, 1))
        self.grantFaults = grantFaults
    }

    /// Whether `user` is a new customer, entitled only through a completed checkout.
    package static func isNewCustomer(_ user: String) -> Bool {
        user.hasPrefix(newCustomerPrefix)
    }

    /// Sessions remembered.
    package var sessionCount: Int { sessions.count }
    /// Entitled new customers remembered.
    package var customerCount: Int { customers.count }
    /// Grants still being processed.
    package var pendingCount: Int { pending.count }

    /// The session checkout created under `id`, if it is remembered.
    package func session(_ id: String) -> Session? {
        sessions[id]
    }

    /// Creates a checkout session for `user`, or returns the one an earlier request with the same
    /// `idempotencyKey` created.
    package mutating func createSession(user: String, project: String, idempotencyKey: String?) -> String {
        if let idempotencyKey, let existing = idempotencyKeys[idempotencyKey] { return existing }
        let id = "cs_sim_" + UUID().uuidString.lowercased().replacing("-", with: "")
        sessions.set(Session(user: user, project: project), for: id)
        if let idempotencyKey { idempotencyKeys.set(id, for: idempotencyKey) }
        return id
    }

    /// Handles a `checkout.session.completed` event for session `id` naming `user` in its metadata, at `now`
    /// (seconds on the ledger's clock). A session the simulator never created is refused when the event names a
    /// new customer, no user, or an id of the simulator's own `cs_sim_` form; an existing customer's event for
    /// another session is acknowledged without effect, as an event for a checkout made elsewhere would be.
    package mutating func complete(session id: String?, user: String?, now: Double) -> Completion {
        settle(now: now)
        guard let id, var session = sessions[id] else {
            if let user, !Self.isNewCustomer(user), !(id ?? "").hasPrefix("cs_sim_") { return .ignored }
            counts.unknownSessions += 1
            return .unknownSession
        }
        if let user, user != session.user {
            counts.otherUsers += 1
            return .otherUser
        }
        if session.completed { return .duplicate }
        session.completed = true
        sessions.replace(session, for: id)
        let faults = grantFaults
        if faults.dropGrants {
            counts.droppedGrants += 1
            return .dropped
        }
        let jitter = faults.jitter.isFinite && faults.jitter > 0 ? Double.random(in: 0...faults.jitter) : 0
        let due = now + faults.delay + jitter
        let fails = faults.errorRate > 0 && Double.random(in: 0..<1) < faults.errorRate
        if pending.count >= customers.capacity {
            pending.removeFirst()
            counts.droppedGrants += 1
        }
        pending.append(PendingGrant(user: session.user, due: due, fails: fails))
        nextDue = min(nextDue ?? due, due)
        return .granting
    }

    /// Revokes `user` (a `customer.subscription.deleted` event): forgets its entitlement and cancels its grants
    /// in progress. Returns whether there was anything to revoke; existing customers are never revoked.
    @discardableResult
    package mutating func revoke(user: String, now: Double) -> Bool {
        settle(now: now)
        guard Self.isNewCustomer(user) else { return false }
        let before = pending.count
        pending.removeAll { $0.user == user }
        let revoked = customers.removeValue(forKey: user) != nil || pending.count < before
        if revoked { counts.revokes += 1 }
        return revoked
    }

    /// Whether `user` is entitled at `now`.
    package mutating func isEntitled(_ user: String, now: Double) -> Bool {
        guard Self.isNewCustomer(user) else { return true }
        settle(now: now)
        return customers[user] != nil
    }

    /// Applies every grant due by `now`.
    package mutating func settle(now: Double) {
        guard let due = nextDue, now >= due else { return }
        var remaining: [PendingGrant] = []
        nextDue = nil
        for grant in pending.sorted(by: { $0.due < $1.due }) {
            if grant.due > now {
                remaining.append(grant)
                nextDue = min(nextDue ?? grant.due, grant.due)
            } else if grant.fails {
                counts.failedGrants += 1
            } else {
                counts.grants += 1
                customers.set(true, for: grant.user)
            }
        }
        pending = remaining
    }
}

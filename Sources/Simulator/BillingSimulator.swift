import Config
import Digest
import Dispatch
import Exposition
import FoundationEssentials
import HTTPServer
import JSON
import Locking
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A simulated billing & entitlements API: the three endpoints slaprobe probes, with bearer auth, Stripe-style
/// signature verification, idempotent checkout sessions, a per-user cache, an asynchronous event processor that
/// grants and revokes new customers (see ``CustomerLedger``), and latency, errors and misbehaviour that can be
/// changed while it runs through `/admin/faults`.
package final class BillingSimulator: Sendable {
    /// Everything the simulator needs at start.
    package struct Options: Sendable {
        /// The bearer key entitlement and checkout requests must carry.
        package var apiKey: String
        /// The secret webhook signatures are made with.
        package var webhookSecret: String
        /// Share of entitlement lookups served from the cache, 0...1.
        package var cacheHitRatio: Double
        /// Behaviour of each endpoint.
        package var faults: [SimulatedEndpoint: EndpointFaults]
        /// Webhooks signed longer ago than this are refused as replays (Stripe's default is 5 minutes).
        package var signatureTolerance: Double
        /// How completed checkouts are granted.
        package var grants: GrantFaults
        /// Users kept warm in the entitlement cache; the first lookup of a user not among them is a miss.
        package var cacheUsers: Int
        /// Checkout sessions (and idempotency keys) remembered.
        package var sessionCapacity: Int
        /// Entitled new customers (and grants in progress) remembered.
        package var customerCapacity: Int
        /// Monotonic seconds; grants fall due on this clock.
        package var clock: @Sendable () -> Double

        /// Creates options; every endpoint starts healthy unless `faults` says otherwise.
        package init(
            apiKey: String,
            webhookSecret: String,
            cacheHitRatio: Double = 0.9,
            faults: [SimulatedEndpoint: EndpointFaults] = [:],
            signatureTolerance: Double = 300,
            grants: GrantFaults = GrantFaults(),
            cacheUsers: Int = 1000,
            sessionCapacity: Int = 10_000,
            customerCapacity: Int = 10_000,
            clock: @escaping @Sendable () -> Double = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
        ) {
            self.apiKey = apiKey
            self.webhookSecret = webhookSecret
            self.cacheHitRatio = cacheHitRatio
            self.faults = faults
            self.signatureTolerance = signatureTolerance
            self.grants = grants
            self.cacheUsers = cacheUsers
            self.sessionCapacity = sessionCapacity
            self.customerCapacity = customerCapacity
            self.clock = clock
        }
    }

    struct State {
        var cacheHitRatio: Double
        var faults: [SimulatedEndpoint: EndpointFaults]
        /// Users whose entitlements are in the cache, least recently looked up first out.
        var warmUsers: RecencyMap<String, Bool>
        var cacheHits = 0
        var cacheMisses = 0
        var requests: [String: Int] = [:]
        /// The latest requests' identity headers, for `GET /admin/requests`.
        var received = ReceivedRequests()
    }

    private let apiKey: String
    private let webhookSecret: String
    private let tolerance: Double
    let state: Locked<State>
    let ledger: Locked<CustomerLedger>
    let clock: @Sendable () -> Double
    private let stopping = Atomic<Bool>(false)

    /// Creates a simulator; serve it with ``handle(_:)`` or ``start(host:port:)``.
    package init(options: Options) {
        apiKey = options.apiKey
        webhookSecret = options.webhookSecret
        tolerance = options.signatureTolerance
        var faults = options.faults
        for endpoint in SimulatedEndpoint.allCases where faults[endpoint] == nil { faults[endpoint] = EndpointFaults() }
        state = Locked(
            State(
                cacheHitRatio: options.cacheHitRatio,
                faults: faults,
                warmUsers: RecencyMap(capacity: options.cacheUsers)
            )
        )
        ledger = Locked(
            CustomerLedger(
                sessionCapacity: options.sessionCapacity,
                customerCapacity: options.customerCapacity,
                grantFaults: options.grants
            )
        )
        clock = options.clock
    }

    /// Serves the simulator over HTTP, one thread per connection so injected delays do not hold up other requests.
    package func start(host: String = "127.0.0.1", port: Int = 0) throws -> HTTPServer {
        stopping.store(false, ordering: .relaxed)
        let options = ServerOptions(host: host, port: port, threading: .threadPerConnection, connectionLimit: 1024)
        return try HTTPServer(options: options) { [self] request in handle(request) }
    }

    /// Releases requests held by a hanging endpoint; call before stopping the server.
    package func releaseHangingRequests() {
        stopping.store(true, ordering: .relaxed)
    }

    /// The current behaviour of an endpoint.
    package func faults(for endpoint: SimulatedEndpoint) -> EndpointFaults {
        state.withLock { $0.faults[endpoint]! }
    }

    /// Changes the behaviour of an endpoint.
    package func setFaults(_ faults: EndpointFaults, for endpoint: SimulatedEndpoint) {
        state.withLock { $0.faults[endpoint] = faults }
    }

    /// The current cache hit ratio.
    package var cacheHitRatio: Double {
        get { state.withLock { $0.cacheHitRatio } }
        set { state.withLock { $0.cacheHitRatio = min(max(newValue, 0), 1) } }
    }

    /// How completed checkouts are granted.
    package var grantFaults: GrantFaults {
        get { ledger.withLock { $0.grantFaults } }
        set { ledger.withLock { $0.grantFaults = newValue } }
    }

    /// The most users kept warm in the entitlement cache.
    package var cacheUsers: Int {
        get { state.withLock { $0.warmUsers.capacity } }
        set { state.withLock { _ = $0.warmUsers.resize(to: newValue) } }
    }

    /// The ledger's totals, after applying the grants due now.
    package var ledgerCounts: CustomerLedger.Counts {
        let now = clock()
        return ledger.withLock { ledger in
            ledger.settle(now: now)
            return ledger.counts
        }
    }

    /// Answers one request; blocks for the injected latency.
    package func handle(_ request: ServerRequest) -> ServerResponse {
        switch (request.method, request.path) {
        case ("GET", "/api/v1/entitlements"): return entitlement(request)
        case ("POST", "/api/v1/checkout/create"): return checkout(request)
        case ("POST", "/api/v1/webhooks/stripe"): return webhook(request)
        case ("GET", "/metrics"): return metrics(request)
        case ("GET", "/admin/faults"), ("POST", "/admin/faults"): return adminFaults(request)
        case ("GET", "/admin/requests"): return adminRequests()
        case ("GET", "/healthz"): return .text("ok\n")
        case (_, "/api/v1/entitlements"), (_, "/api/v1/checkout/create"), (_, "/api/v1/webhooks/stripe"),
            (_, "/metrics"), (_, "/healthz"):
            return Self.error(405, "method \(request.method) not allowed")
        default: return Self.error(404, "no such endpoint \(request.path)")
        }
    }

    private func entitlement(_ request: ServerRequest) -> ServerResponse {
        count("entitlement")
        remember(request, endpoint: "entitlement")
        guard authorized(request) else { return Self.error(401, "missing or invalid bearer token") }
        guard let user = request.query["user_id"], !user.isEmpty, let project = request.query["project_id"],
            !project.isEmpty
        else { return Self.error(400, "user_id and project_id are required") }
        let (faults, hit) = state.withLock { state -> (EndpointFaults, Bool) in
            // A user not in the warm set is a cold miss and becomes warm; a warm user hits at the hit ratio.
            let warm = state.warmUsers.touch(user) != nil
            if !warm { state.warmUsers.set(true, for: user) }
            let hit = warm && Double.random(in: 0..<1) < state.cacheHitRatio
            if hit { state.cacheHits += 1 } else { state.cacheMisses += 1 }
            return (state.faults[.entitlement]!, hit)
        }
        if let failure = misbehave(faults, extra: hit ? 0 : faults.missLatency) { return failure }
        let now = clock()
        let entitled = ledger.withLock { $0.isEntitled(user, now: now) }
        let body = JSONText.object([
            ("user_id", .string(user)), ("project_id", .string(project)), ("entitled", .raw(String(entitled))),
            ("plan", entitled ? .string("pro") : .raw("null")),
            ("features", .raw(entitled ? "[\"api\",\"exports\",\"sso\"]" : "[]")),
        ])
        return respond(faults, body: body, headers: [("X-Cache", hit ? "HIT" : "MISS")])
    }

    private func checkout(_ request: ServerRequest) -> ServerResponse {
        count("checkout")
        remember(request, endpoint: "checkout")
        guard authorized(request) else { return Self.error(401, "missing or invalid bearer token") }
        guard let object = JSONNode(parsing: request.body), case .object = object else {
            return Self.error(400, "body must be a JSON object")
        }
        let required = ["user_id", "project_id", "price_id", "mode", "success_url", "cancel_url"]
        if let missing = required.first(where: { object[$0]?.string?.isEmpty ?? true }) {
            return Self.error(400, "\(missing) is required")
        }
        let faults = state.withLock { $0.faults[.checkout]! }
        if let failure = misbehave(faults, extra: 0) { return failure }
        let key = request.header("idempotency-key")
        let user = object["user_id"]?.string ?? ""
        let project = object["project_id"]?.string ?? ""
        let session = ledger.withLock { $0.createSession(user: user, project: project, idempotencyKey: key) }
        let url = "https://checkout.simulated.invalid/pay/\(session)"
        let body = JSONText.object([
            ("id", .string(session)), ("session_id", .string(session)), ("object", .string("checkout.session")),
            ("url", .string(url)), ("checkout_url", .string(url)),
            ("mode", .string(object["mode"]?.string ?? "")),
        ])
        return respond(faults, body: body, headers: [])
    }

    private func webhook(_ request: ServerRequest) -> ServerResponse {
        count("webhook")
        remember(request, endpoint: "webhook")
        guard let header = request.header("stripe-signature") else {
            return Self.error(400, "missing Stripe-Signature header")
        }
        var timestamp: Int?
        var signatures: [String] = []
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmed() }
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { timestamp = Int(pair[1]) } else if pair[0] == "v1" { signatures.append(pair[1]) }
        }
        guard let timestamp else { return Self.error(400, "Stripe-Signature has no timestamp") }
        var signed = Array("\(timestamp).".utf8)
        signed.append(contentsOf: request.body)
        let expected = SHA256.hex(SHA256.hmac(key: Array(webhookSecret.utf8), message: signed))
        guard signatures.contains(expected) else { return Self.error(400, "signature does not match") }
        guard abs(Date().timeIntervalSince1970 - Double(timestamp)) <= tolerance else {
            return Self.error(400, "timestamp outside the tolerance window")
        }
        let faults = state.withLock { $0.faults[.webhook]! }
        if let failure = misbehave(faults, extra: 0) { return failure }
        if let refusal = process(StripeEvent(body: request.body)) { return refusal }
        return respond(faults, body: "{\"received\":true}", headers: [])
    }

    /// The event processor: a completed checkout schedules a grant, a deleted subscription revokes. Returns the
    /// refusal of an event that cannot be processed.
    private func process(_ event: StripeEvent) -> ServerResponse? {
        let now = clock()
        switch event.type {
        case "checkout.session.completed":
            let outcome = ledger.withLock { $0.complete(session: event.objectID, user: event.userID, now: now) }
            switch outcome {
            case .unknownSession:
                return Self.error(400, "no checkout session \(event.objectID ?? "(none)") was created")
            case .otherUser: return Self.error(400, "checkout session was created for another user")
            case .granting, .duplicate, .dropped, .ignored: return nil
            }
        case "customer.subscription.deleted":
            ledger.withLock { ledger in
                let user = event.userID ?? event.objectID.flatMap { ledger.session($0)?.user }
                if let user { ledger.revoke(user: user, now: now) }
            }
            return nil
        default:
            return nil
        }
    }

    /// `GET /admin/faults` shows the behaviour; `POST /admin/faults?endpoint=entitlement&latency=150ms&...`
    /// changes it. Parameters: `endpoint` (entitlement, checkout, webhook or all, default all), `latency`,
    /// `jitter`, `miss_latency` (durations such as `150ms` or seconds), `error_rate` (0..1), `status`, `hang`
    /// (true/false), `body_bytes` (0 to turn off), `cache_hit_ratio` (0..1), `reset` (true restores the defaults).
    private func adminFaults(_ request: ServerRequest) -> ServerResponse {
        if request.method == "POST" {
            var query = request.query
            // Parameters may also come as a form body.
            for pair in request.bodyString.split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2 { query[parts[0]] = PercentEncoding.decode(parts[1]) ?? parts[1] }
            }
            do {
                try FaultSettings.apply(query, to: self)
            } catch {
                return Self.error(400, "\(error)")
            }
        }
        return .json(FaultSettings.describe(self))
    }

    private func authorized(_ request: ServerRequest) -> Bool {
        guard let header = request.header("authorization"), header.hasPrefix("Bearer ") else { return false }
        let presented = Array(header.dropFirst("Bearer ".count).utf8)
        let expected = Array(apiKey.utf8)
        // Constant-time comparison, as a real API would do.
        guard presented.count == expected.count else { return false }
        return zip(presented, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private func count(_ endpoint: String) {
        state.withLock { $0.requests[endpoint, default: 0] += 1 }
    }

    /// Sleeps for the injected latency, then returns an injected failure if one is due.
    private func misbehave(_ faults: EndpointFaults, extra: Double) -> ServerResponse? {
        if faults.hang {
            let deadline = Date().addingTimeInterval(3600)
            while Date() < deadline && !stopping.load(ordering: .relaxed) { usleep(20_000) }
            return Self.error(503, "hung request released")
        }
        let delay = faults.latency + (faults.jitter > 0 ? Double.random(in: 0...faults.jitter) : 0) + extra
        if delay > 0 { Self.sleep(delay) }
        if faults.errorRate > 0 && Double.random(in: 0..<1) < faults.errorRate {
            return Self.error(faults.errorStatus, "injected failure")
        }
        return nil
    }

    private func respond(_ faults: EndpointFaults, body: String, headers: [(String, String)]) -> ServerResponse {
        var headers = headers
        if let size = faults.bodyBytes, size > 0 {
            headers.append(("Content-Type", "application/octet-stream"))
            return ServerResponse(status: 200, headers: headers, body: .repeated(byte: UInt8(ascii: "x"), count: size))
        }
        headers.append(("Content-Type", "application/json"))
        return ServerResponse(status: 200, headers: headers, body: .bytes(Array(body.utf8)))
    }

    private static func sleep(_ seconds: Double) {
        var remaining = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
        var left = timespec()
        while nanosleep(&remaining, &left) != 0 { remaining = left }
    }

    static func error(_ status: Int, _ message: String) -> ServerResponse {
        .json(JSONText.object([("error", .string(message))]), status: status)
    }
}

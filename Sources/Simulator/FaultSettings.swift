import Config
import JSON

/// Reads and shows the simulator's fault knobs in the form `/admin/faults` and the command line use.
package enum FaultSettings {
    /// A knob that could not be applied.
    package struct InvalidSetting: Error, CustomStringConvertible {
        /// The parameter name.
        package var name: String
        /// What was wrong with its value.
        package var problem: String
        package var description: String { "\(name): \(problem)" }
    }

    /// Applies query-style settings (`endpoint`, `latency`, `jitter`, `miss_latency`, `error_rate`, `status`,
    /// `hang`, `body_bytes`, `cache_hit_ratio`, `cache_users`, `grant_delay`, `grant_jitter`, `drop_grants`,
    /// `grant_error_rate`, `reset`) to `simulator`. Nothing changes if any value is invalid. `reset=true` restores
    /// the chosen endpoints' defaults, and the grant defaults when the endpoint is `all` or `webhook`.
    package static func apply(_ settings: [String: String], to simulator: BillingSimulator) throws {
        let known: Set = [
            "endpoint", "latency", "jitter", "miss_latency", "error_rate", "status", "hang", "body_bytes",
            "cache_hit_ratio", "cache_users", "grant_delay", "grant_jitter", "drop_grants", "grant_error_rate",
            "reset",
        ]
        if let unknown = settings.keys.sorted().first(where: { !known.contains($0) }) {
            throw InvalidSetting(
                name: unknown,
                problem: "unknown setting; known: \(known.sorted().joined(separator: ", "))"
            )
        }
        let endpoints: [SimulatedEndpoint]
        switch settings["endpoint"] ?? "all" {
        case "all": endpoints = SimulatedEndpoint.allCases
        case let name:
            guard let endpoint = SimulatedEndpoint(rawValue: name) else {
                throw InvalidSetting(name: "endpoint", problem: "\(name) is not entitlement, checkout, webhook or all")
            }
            endpoints = [endpoint]
        }
        var updated: [(SimulatedEndpoint, EndpointFaults)] = []
        for endpoint in endpoints {
            var faults = settings["reset"] == "true" ? EndpointFaults() : simulator.faults(for: endpoint)
            if let v = settings["latency"] { faults.latency = try seconds(v, "latency") }
            if let v = settings["jitter"] { faults.jitter = try seconds(v, "jitter") }
            if let v = settings["miss_latency"] { faults.missLatency = try seconds(v, "miss_latency") }
            if let v = settings["error_rate"] { faults.errorRate = try ratio(v, "error_rate") }
            if let v = settings["status"] {
                guard let status = Int(v), (100...599).contains(status) else {
                    throw InvalidSetting(name: "status", problem: "\(v) is not an HTTP status code")
                }
                faults.errorStatus = status
            }
            if let v = settings["hang"] {
                guard let hang = Bool(v) else {
                    throw InvalidSetting(name: "hang", problem: "\(v) is not true or false")
                }
                faults.hang = hang
            }
            if let v = settings["body_bytes"] {
                guard let bytes = Int(v), bytes >= 0 else {
                    throw InvalidSetting(name: "body_bytes", problem: "\(v) is not a byte count")
                }
                faults.bodyBytes = bytes == 0 ? nil : bytes
            }
            updated.append((endpoint, faults))
        }
        var hitRatio: Double?
        if let v = settings["cache_hit_ratio"] { hitRatio = try ratio(v, "cache_hit_ratio") }
        var cacheUsers: Int?
        if let v = settings["cache_users"] {
            guard let users = Int(v), users >= 0 else {
                throw InvalidSetting(name: "cache_users", problem: "\(v) is not a number of users")
            }
            cacheUsers = users
        }
        let grants = try grantFaults(settings, simulator: simulator, resetting: endpoints.contains(.webhook))
        for (endpoint, faults) in updated { simulator.setFaults(faults, for: endpoint) }
        if let hitRatio { simulator.cacheHitRatio = hitRatio }
        if let cacheUsers { simulator.cacheUsers = cacheUsers }
        if let grants { simulator.grantFaults = grants }
    }

    /// The grant knobs after `settings`, or nil when they do not change.
    private static func grantFaults(_ settings: [String: String], simulator: BillingSimulator, resetting: Bool)
        throws -> GrantFaults?
    {
        let names = ["grant_delay", "grant_jitter", "drop_grants", "grant_error_rate"]
        let reset = resetting && settings["reset"] == "true"
        guard reset || names.contains(where: { settings[$0] != nil }) else { return nil }
        var grants = reset ? GrantFaults() : simulator.grantFaults
        if let v = settings["grant_delay"] { grants.delay = try finiteSeconds(v, "grant_delay") }
        if let v = settings["grant_jitter"] { grants.jitter = try finiteSeconds(v, "grant_jitter") }
        if let v = settings["grant_error_rate"] { grants.errorRate = try ratio(v, "grant_error_rate") }
        if let v = settings["drop_grants"] {
            guard let drop = Bool(v) else {
                throw InvalidSetting(name: "drop_grants", problem: "\(v) is not true or false")
            }
            grants.dropGrants = drop
        }
        return grants
    }

    /// The current settings as JSON.
    package static func describe(_ simulator: BillingSimulator) -> String {
        let grants = simulator.grantFaults
        var members: [(String, JSONText.Value)] = [
            ("cache_hit_ratio", .raw(String(simulator.cacheHitRatio))),
            ("cache_users", .raw(String(simulator.cacheUsers))),
            (
                "grants",
                .raw(
                    JSONText.object([
                        ("delay_seconds", .raw(String(grants.delay))),
                        ("jitter_seconds", .raw(String(grants.jitter))),
                        ("drop", .raw(String(grants.dropGrants))),
                        ("error_rate", .raw(String(grants.errorRate))),
                    ])
                )
            ),
        ]
        for endpoint in SimulatedEndpoint.allCases {
            let f = simulator.faults(for: endpoint)
            members.append(
                (
                    endpoint.rawValue,
                    .raw(
                        JSONText.object([
                            ("latency_seconds", .raw(String(f.latency))),
                            ("jitter_seconds", .raw(String(f.jitter))),
                            ("miss_latency_seconds", .raw(String(f.missLatency))),
                            ("error_rate", .raw(String(f.errorRate))),
                            ("status", .raw(String(f.errorStatus))),
                            ("hang", .raw(String(f.hang))),
                            ("body_bytes", .raw(String(f.bodyBytes ?? 0))),
                        ])
                    )
                )
            )
        }
        return JSONText.object(members) + "\n"
    }

    private static func seconds(_ text: String, _ name: String) throws -> Double {
        if let value = Double(text), value >= 0 { return value }
        guard let duration = try? parseDuration(text) else {
            throw InvalidSetting(name: name, problem: "\(text) is not a duration such as 150ms or 0.15")
        }
        return duration.inSeconds
    }

    private static func finiteSeconds(_ text: String, _ name: String) throws -> Double {
        let value = try seconds(text, name)
        guard value.isFinite else { throw InvalidSetting(name: name, problem: "\(text) is not a finite duration") }
        return value
    }

    private static func ratio(_ text: String, _ name: String) throws -> Double {
        guard let value = Double(text), (0...1).contains(value) else {
            throw InvalidSetting(name: name, problem: "\(text) is not a ratio between 0 and 1")
        }
        return value
    }
}

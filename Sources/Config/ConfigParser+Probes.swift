import FoundationEssentials

/// Parsing of one entry of `probes`.
extension ConfigParser {
    static let probeKeys =
        [
            "name", "kind", "url", "method", "headers", "body", "expect_status", "interval", "timeout", "jitter",
            "max_body_bytes", "reuse_connections", "latency_threshold", "assertions", "cache", "api_key",
            "api_key_file", "api_key_env", "webhook_secret", "webhook_secret_file", "webhook_secret_env", "user_id",
            "project_id", "price_id", "negative_cases", "idempotency_replay", "insecure_skip_verify", "ca_file",
            "labels", "user_pool",
        ] + journeyKeys
    static let namePattern = "^[a-zA-Z_][a-zA-Z0-9_.-]{0,63}$"

    /// Parses one probe, applying global, target and per-kind defaults; nil when it has no usable name.
    func parseProbe(_ node: YAMLNode, path: String, global: GlobalConfig, target: TargetDefaults) -> ProbeConfig? {
        guard let fields = mapping(node, path: path, allowed: Self.probeKeys, expected: "a probe mapping with a name")
        else {
            return nil
        }
        let name = probeName(fields)
        let kind = probeKind(fields, name: name)
        let displayName = name ?? path
        var probe = ProbeConfig(name: displayName, kind: kind ?? .http, url: "", line: node.mark?.line)
        checkJourneyKeys(fields, kind: kind)

        if let value = fields["method"], let method = string(value, fields.path("method")) {
            if !method.wholeMatches("^[A-Za-z]+$") {
                error(value, fields.path("method"), "invalid HTTP method \"\(method)\"")
            }
            probe.method = method.uppercased()
        }
        if let value = fields["headers"] {
            probe.headers = headers(value, fields.path("headers"))
        }
        if let value = fields["body"], let body = string(value, fields.path("body"), allowEmpty: true) {
            checkPlaceholders(body, value, fields.path("body"))
            probe.body = body
        }
        if let value = fields["expect_status"] {
            probe.expectStatus = statusMatchers(value, fields.path("expect_status")) ?? probe.expectStatus
        }
        applyTiming(&probe, fields, global: global)
        if let value = fields["reuse_connections"], let flag = bool(value, fields.path("reuse_connections")) {
            probe.reuseConnections = flag
        }
        if let value = fields["latency_threshold"],
            let threshold = duration(value, fields.path("latency_threshold"))
        {
            probe.latencyThreshold = threshold
        }
        if let value = fields["assertions"] {
            probe.assertions = assertions(value, fields.path("assertions"))
        }
        if let value = fields["cache"] {
            probe.cache = cache(value, fields.path("cache"), kind: kind) ?? probe.cache
        }
        if kind == .journey {
            parseJourney(&probe, fields, global: global, target: target)
        }
        applyTarget(&probe, fields, kind: kind, target: target)
        applyKindOptions(&probe, fields, kind: kind)
        if let value = fields["labels"] {
            probe.labels = labels(value, fields.path("labels"))
        }
        if let value = fields["user_pool"] {
            probe.userPool = userPool(value, fields.path("user_pool"))
        }
        if kind != .journey {
            applyURL(&probe, fields, kind: kind, target: target)
        }
        if let value = fields["user_pool"], probe.userPool != nil, let kind {
            checkUserPoolUse(probe, kind: kind, node: value, path: fields.path("user_pool"))
        }

        guard name != nil, kind != nil else {
            return nil
        }
        return probe
    }

    /// The required, well-formed probe name.
    func probeName(_ fields: Fields) -> String? {
        guard let value = fields["name"] else {
            error(fields.node, fields.path("name"), "name is required")
            return nil
        }
        guard let name = string(value, fields.path("name")) else {
            return nil
        }
        if !name.wholeMatches(Self.namePattern) {
            error(
                value,
                fields.path("name"),
                "invalid probe name \"\(name)\": it must match [a-zA-Z_][a-zA-Z0-9_.-]{0,63}"
            )
            return nil
        }
        return name
    }

    /// The probe kind; when `kind` is left out and the name is a kind's name, that kind.
    func probeKind(_ fields: Fields, name: String?) -> ProbeKind? {
        let kinds = ProbeKind.allCases.map(\.rawValue)
        guard let value = fields["kind"] else {
            if let name, let kind = ProbeKind(rawValue: name) {
                return kind
            }
            error(fields.node, fields.path("kind"), "kind is required (one of \(kinds.joined(separator: ", ")))")
            return nil
        }
        guard let text = string(value, fields.path("kind")) else {
            return nil
        }
        guard let kind = ProbeKind(rawValue: text) else {
            var message = "unknown kind \"\(text)\"; expected one of \(kinds.joined(separator: ", "))"
            if let suggestion = KeySuggester.suggestion(for: text, among: kinds) {
                message += " (did you mean \"\(suggestion)\"?)"
            }
            error(value, fields.path("kind"), message)
            return nil
        }
        return kind
    }

    /// Interval, timeout, jitter and body cap, inherited from `global` unless overridden.
    func applyTiming(_ probe: inout ProbeConfig, _ fields: Fields, global: GlobalConfig) {
        probe.interval = global.interval
        probe.jitter = global.jitter
        probe.maxBodyBytes = global.maxBodyBytes
        let intervalNode = fields["interval"]
        if let intervalNode, let interval = interval(intervalNode, fields.path("interval")) {
            probe.interval = interval
        }
        if let value = fields["jitter"], let jitter = jitter(value, fields.path("jitter")) {
            probe.jitter = jitter
        }
        if let value = fields["max_body_bytes"], let bytes = byteSize(value, fields.path("max_body_bytes")) {
            probe.maxBodyBytes = bytes
        }
        let interval = formatDuration(probe.interval)
        if let value = fields["timeout"] {
            guard let timeout = duration(value, fields.path("timeout")) else {
                return
            }
            probe.timeout = timeout
            // A journey's timeout bounds its whole run and may exceed its interval: a tick that finds the run
            // still going is skipped.
            if probe.kind == .journey {
                return
            }
            if timeout > probe.interval {
                error(
                    value,
                    fields.path("timeout"),
                    "timeout \(formatDuration(timeout)) must not exceed the probe interval \(interval)"
                )
            }
        } else if probe.kind == .journey {
            probe.timeout = ConfigDefaults.journeyTimeout
        } else if globalTimeoutExplicit {
            probe.timeout = global.timeout
            if global.timeout > probe.interval, let intervalNode {
                error(
                    intervalNode,
                    fields.path("interval"),
                    "the probe interval \(interval) is shorter than global.timeout \(formatDuration(global.timeout)); "
                        + "set a timeout on the probe"
                )
            }
        } else {
            probe.timeout = min(GlobalConfig().timeout, probe.interval)
            if let intervalNode {
                noteShortenedTimeout(interval: probe.interval, node: intervalNode, path: fields.path("interval"))
            }
        }
    }

    /// Secrets, ids and TLS settings: the probe's own, else the target's (billing kinds), else defaults.
    func applyTarget(_ probe: inout ProbeConfig, _ fields: Fields, kind: ProbeKind?, target: TargetDefaults) {
        let billing = kind?.isBilling ?? false
        let apiKey = secret(fields, "api_key")
        let webhookSecret = secret(fields, "webhook_secret")
        probe.apiKey = apiKey.secret ?? (billing && !apiKey.isFailed ? target.apiKey.secret : nil)
        probe.webhookSecret =
            webhookSecret.secret ?? (billing && !webhookSecret.isFailed ? target.webhookSecret.secret : nil)
        probe.userID = target.userID
        probe.projectID = target.projectID
        probe.priceID = target.priceID
        for (key, keyPath) in [("user_id", \ProbeConfig.userID), ("project_id", \.projectID), ("price_id", \.priceID)] {
            if let value = fields[key], let text = string(value, fields.path(key)) {
                probe[keyPath: keyPath] = text
            }
        }
        probe.tls = billing ? target.tls : TLSSettings()
        if let value = fields["insecure_skip_verify"], let flag = bool(value, fields.path("insecure_skip_verify")) {
            probe.tls.insecureSkipVerify = flag
        }
        if let value = fields["ca_file"] {
            probe.tls.caFile = existingFile(value, fields.path("ca_file"))
        }
        if let kind, kind.isBilling {
            requireSecrets(
                &probe,
                apiKeyFailed: apiKey.isFailed,
                webhookFailed: webhookSecret.isFailed,
                target: target,
                node: fields.node,
                path: fields.path
            )
        }
    }

    /// `negative_cases` (webhook only) and `idempotency_replay` (checkout only).
    func applyKindOptions(_ probe: inout ProbeConfig, _ fields: Fields, kind: ProbeKind?) {
        if let value = fields["negative_cases"], let flag = bool(value, fields.path("negative_cases")) {
            if let kind, kind != .webhook {
                error(value, fields.path("negative_cases"), "negative_cases applies only to webhook probes")
            }
            probe.negativeCases = flag
        }
        if let value = fields["idempotency_replay"], let flag = bool(value, fields.path("idempotency_replay")) {
            if let kind, kind != .checkout {
                error(value, fields.path("idempotency_replay"), "idempotency_replay applies only to checkout probes")
            }
            probe.idempotencyReplay = flag
        }
    }

    /// The probe URL: its own, else (billing kinds) target.url joined with the kind's path.
    func applyURL(_ probe: inout ProbeConfig, _ fields: Fields, kind: ProbeKind?, target: TargetDefaults) {
        if let value = fields["url"] {
            probe.url = url(value, fields.path("url")) ?? ""
            return
        }
        guard let kind else {
            return
        }
        if kind == .http {
            error(fields.node, fields.path("url"), "url is required for http probes")
        } else if let base = target.url {
            probe.url = Self.billingURL(kind: kind, base: base, userID: probe.userID, projectID: probe.projectID)
            if kind == .entitlement, probe.userPool != nil {
                // Each run fills in one user of the pool.
                probe.url = probe.url.replacing(
                    "?user_id=\(Self.queryEncode(probe.userID))&",
                    with: "?user_id={{user_id}}&"
                )
            }
        } else if !target.urlInvalid {
            error(
                fields.node,
                fields.path("url"),
                "probe \"\(probe.name)\" has no url and target.url is not set; set one of them"
            )
        }
    }
}

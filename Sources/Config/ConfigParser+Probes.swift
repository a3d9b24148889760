import Foundation
import Yams

/// Parsing of one entry of `probes`.
extension ConfigParser {
    static let probeKeys = [
        "name", "kind", "url", "method", "headers", "body", "expect_status", "interval", "timeout", "jitter",
        "max_body_bytes", "reuse_connections", "latency_threshold", "assertions", "cache", "api_key",
        "api_key_file", "api_key_env", "webhook_secret", "webhook_secret_file", "webhook_secret_env", "user_id",
        "project_id", "price_id", "negative_cases", "idempotency_replay", "insecure_skip_verify", "ca_file",
        "labels",
    ]
    static let assertionKeys = ["json_path", "equals", "regex", "not_regex"]
    static let cacheKeys = ["source", "header", "metrics_url"]
    static let namePattern = "^[a-zA-Z_][a-zA-Z0-9_.-]{0,63}$"
    static let labelPattern = "^[a-zA-Z_][a-zA-Z0-9_]*$"

    /// Parses one probe, applying global, target and per-kind defaults; nil when it has no usable name.
    func parseProbe(_ node: Node, path: String, global: GlobalConfig, target: TargetDefaults) -> ProbeConfig? {
        guard let fields = mapping(node, path: path, allowed: Self.probeKeys, expected: "a probe mapping with a name")
        else {
            return nil
        }
        let name = probeName(fields)
        let kind = probeKind(fields, name: name)
        let displayName = name ?? path
        var probe = ProbeConfig(name: displayName, kind: kind ?? .http, url: "", line: node.mark?.line)

        if let value = fields["method"], let method = string(value, fields.path("method")) {
            if method.range(of: "^[A-Za-z]+$", options: .regularExpression) == nil {
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
        applyTarget(&probe, fields, kind: kind, target: target)
        applyKindOptions(&probe, fields, kind: kind)
        if let value = fields["labels"] {
            probe.labels = labels(value, fields.path("labels"))
        }
        applyURL(&probe, fields, kind: kind, target: target)

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
        if name.range(of: Self.namePattern, options: .regularExpression) == nil {
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
        if let intervalNode, let interval = duration(intervalNode, fields.path("interval")) {
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
            if timeout > probe.interval {
                error(
                    value,
                    fields.path("timeout"),
                    "timeout \(formatDuration(timeout)) must not exceed the probe interval \(interval)"
                )
            }
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
        } else if !target.urlInvalid {
            error(
                fields.node,
                fields.path("url"),
                "probe \"\(probe.name)\" has no url and target.url is not set; set one of them"
            )
        }
    }

    /// Request headers: a mapping of token names to string values (placeholders allowed).
    func headers(_ node: Node, _ path: String) -> [HeaderField] {
        guard node.tagName != .null else {
            return []
        }
        guard case .mapping(let mapping) = node else {
            error(node, path, "expected a mapping of header names to values, got \(describe(node))")
            return []
        }
        var result: [HeaderField] = []
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                error(key, path, "header names must be strings, got \(describe(key))")
                continue
            }
            let name = scalar.string
            let keyPath = "\(path).\(name)"
            if name.isEmpty || name.range(of: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$", options: .regularExpression) == nil {
                error(key, keyPath, "invalid header name \"\(name)\"")
                continue
            }
            guard let text = string(value, keyPath, allowEmpty: true) else {
                continue
            }
            if text.contains("\n") || text.contains("\r") {
                error(value, keyPath, "header values must not contain line breaks")
                continue
            }
            checkPlaceholders(text, value, keyPath)
            result.append(HeaderField(name: name, value: text))
        }
        return result
    }

    /// Expected statuses: a list (or a single value) of codes 100..599 and classes "1xx".."5xx".
    func statusMatchers(_ node: Node, _ path: String) -> [StatusMatcher]? {
        let items: [(Node, String)]
        switch node {
        case .sequence(let list):
            items = list.enumerated().map { ($0.element, "\(path)[\($0.offset)]") }
        case .scalar:
            items = [(node, path)]
        default:
            error(node, path, "expected a list of status codes such as [200, \"2xx\"], got \(describe(node))")
            return nil
        }
        if items.isEmpty {
            error(node, path, "at least one expected status is required")
            return nil
        }
        var result: [StatusMatcher] = []
        var valid = true
        for (item, itemPath) in items {
            guard case .scalar(let scalar) = item, [.int, .str].contains(item.tagName) else {
                error(item, itemPath, "expected a status code or class such as 200 or \"2xx\", got \(describe(item))")
                valid = false
                continue
            }
            let text = scalar.string.trimmingCharacters(in: .whitespaces)
            if let code = Int(text), (100...599).contains(code) {
                result.append(.exact(code))
            } else if text.count == 3, let digit = text.first?.wholeNumberValue, (1...5).contains(digit),
                text.dropFirst().lowercased() == "xx"
            {
                result.append(.cls(digit))
            } else {
                error(
                    item,
                    itemPath,
                    "invalid status \"\(text)\": expected a code 100..599 or a class 1xx..5xx"
                )
                valid = false
            }
        }
        return valid ? result : nil
    }

    /// Body assertions: each a mapping with one of json_path (optionally with equals), regex, not_regex.
    func assertions(_ node: Node, _ path: String) -> [BodyAssertion] {
        guard node.tagName != .null else {
            return []
        }
        guard case .sequence(let list) = node else {
            error(node, path, "expected a list of assertions, got \(describe(node))")
            return []
        }
        var result: [BodyAssertion] = []
        for (index, item) in list.enumerated() {
            let itemPath = "\(path)[\(index)]"
            let expected = "a mapping with json_path, regex or not_regex"
            guard let fields = mapping(item, path: itemPath, allowed: Self.assertionKeys, expected: expected) else {
                continue
            }
            let kinds = ["json_path", "regex", "not_regex"].filter { fields[$0] != nil }
            guard kinds.count == 1, let kindKey = kinds.first, let value = fields[kindKey] else {
                error(item, itemPath, "an assertion needs exactly one of json_path, regex or not_regex")
                continue
            }
            if kindKey != "json_path", let equals = fields["equals"] {
                error(equals, fields.path("equals"), "equals applies only to json_path assertions")
                continue
            }
            guard let text = string(value, fields.path(kindKey)) else {
                continue
            }
            switch kindKey {
            case "json_path":
                guard Self.isValidJSONPath(text) else {
                    error(
                        value,
                        fields.path(kindKey),
                        "invalid JSON path \"\(text)\" (expected dotted names with optional [index], "
                            + "e.g. data.items[0].id)"
                    )
                    continue
                }
                if let equals = fields["equals"] {
                    if let expected = jsonValue(equals, fields.path("equals")) {
                        result.append(.jsonEquals(path: text, value: expected))
                    }
                } else {
                    result.append(.jsonPresent(path: text))
                }
            default:
                do {
                    _ = try NSRegularExpression(pattern: text)
                } catch {
                    self.error(value, fields.path(kindKey), "invalid regular expression \"\(text)\"")
                    continue
                }
                result.append(kindKey == "regex" ? .regex(text) : .notRegex(text))
            }
        }
        return result
    }

    /// A YAML scalar as a JSON value (strings, numbers, booleans, null).
    func jsonValue(_ node: Node, _ path: String) -> JSONValue? {
        guard case .scalar(let scalar) = node else {
            error(node, path, "expected a string, number, boolean or null, got \(describe(node))")
            return nil
        }
        switch node.tagName {
        case .null:
            return .null
        case .bool:
            return node.bool.map(JSONValue.bool)
        case .int:
            if let value = node.int {
                return .number(Double(value))
            }
            fallthrough
        case .float:
            guard let value = node.float, value.isFinite else {
                error(node, path, "\(scalar.string) is not a finite number")
                return nil
            }
            return .number(value)
        default:
            return .string(scalar.string)
        }
    }

    /// Whether `path` is dotted names, each with optional `[index]` suffixes (`data.items[0].id`).
    static func isValidJSONPath(_ path: String) -> Bool {
        guard !path.isEmpty else {
            return false
        }
        for segment in path.split(separator: ".", omittingEmptySubsequences: false) {
            let name = segment.prefix { $0 != "[" }
            if name.contains("]") {
                return false
            }
            var rest = segment.dropFirst(name.count)
            var hasIndex = false
            while !rest.isEmpty {
                guard rest.first == "[", let close = rest.firstIndex(of: "]") else {
                    return false
                }
                let digits = rest[rest.index(after: rest.startIndex)..<close]
                guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                    return false
                }
                hasIndex = true
                rest = rest[rest.index(after: close)...]
            }
            if name.isEmpty && !hasIndex {
                return false
            }
        }
        return true
    }

    /// The cache observation: header (with its name), metrics (with its URL) or none.
    func cache(_ node: Node, _ path: String, kind: ProbeKind?) -> CacheSource? {
        guard let fields = mapping(node, path: path, allowed: Self.cacheKeys) else {
            return nil
        }
        var source: String?
        if let value = fields["source"] {
            guard let text = string(value, fields.path("source")) else {
                return nil
            }
            guard ["header", "metrics", "none"].contains(text) else {
                error(
                    value,
                    fields.path("source"),
                    "unknown cache source \"\(text)\"; expected header, metrics or none"
                )
                return nil
            }
            source = text
        }
        var header = ConfigDefaults.cacheHeader
        if let value = fields["header"] {
            guard let text = string(value, fields.path("header")) else {
                return nil
            }
            header = text
        }
        let resolved =
            source
            ?? (fields["metrics_url"] != nil
                ? "metrics" : fields["header"] != nil || kind == .entitlement ? "header" : "none")
        if resolved != "metrics", let value = fields["metrics_url"] {
            error(value, fields.path("metrics_url"), "metrics_url applies only when cache.source is metrics")
            return nil
        }
        if resolved != "header", let value = fields["header"] {
            error(value, fields.path("header"), "header applies only when cache.source is header")
            return nil
        }
        switch resolved {
        case "header":
            return .header(name: header)
        case "metrics":
            guard let value = fields["metrics_url"] else {
                error(fields.node, fields.path("metrics_url"), "metrics_url is required when cache.source is metrics")
                return nil
            }
            return url(value, fields.path("metrics_url")).map { CacheSource.metrics(url: $0) }
        default:
            return CacheSource.none
        }
    }

    /// Extra static labels: valid Prometheus names that slaprobe does not use itself, non-empty values.
    func labels(_ node: Node, _ path: String) -> [ProbeLabel] {
        guard node.tagName != .null else {
            return []
        }
        guard case .mapping(let mapping) = node else {
            error(node, path, "expected a mapping of label names to values, got \(describe(node))")
            return []
        }
        var result: [ProbeLabel] = []
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                error(key, path, "label names must be strings, got \(describe(key))")
                continue
            }
            let name = scalar.string
            let keyPath = "\(path).\(name)"
            if name.range(of: Self.labelPattern, options: .regularExpression) == nil || name.hasPrefix("__") {
                error(
                    key,
                    keyPath,
                    "invalid label name \"\(name)\": it must match [a-zA-Z_][a-zA-Z0-9_]* "
                        + "and not start with __"
                )
                continue
            }
            if ConfigDefaults.reservedLabels.contains(name) {
                error(key, keyPath, "label name \"\(name)\" is reserved by slaprobe")
                continue
            }
            guard let text = string(value, keyPath) else {
                continue
            }
            result.append(ProbeLabel(name: name, value: text))
        }
        return result
    }
}

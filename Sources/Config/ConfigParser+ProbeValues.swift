import FoundationEssentials

/// Readers for the structured values of a probe: headers, expected statuses, body assertions, cache and labels.
extension ConfigParser {
    static let assertionKeys = ["json_path", "equals", "regex", "not_regex"]
    static let cacheKeys = ["source", "header", "metrics_url"]
    static let labelPattern = "^[a-zA-Z_][a-zA-Z0-9_]*$"
    /// User ids of a `user_pool` list: they go into the URL as they are.
    static let poolUserPattern = "^[A-Za-z0-9._~-]{1,128}$"

    /// Request headers: a mapping of token names to string values (placeholders allowed).
    func headers(_ node: YAMLNode, _ path: String) -> [HeaderField] {
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
            if name.isEmpty || !name.wholeMatches("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$") {
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
    func statusMatchers(_ node: YAMLNode, _ path: String) -> [StatusMatcher]? {
        let items: [(YAMLNode, String)]
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
            let text = scalar.string.trimmed()
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
    func assertions(_ node: YAMLNode, _ path: String) -> [BodyAssertion] {
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
                // Compiled as the probe will match it, and kept: the first run finds it compiled.
                guard RegexCache.plain.compile(text) != nil else {
                    self.error(value, fields.path(kindKey), "invalid regular expression \"\(text)\"")
                    continue
                }
                result.append(kindKey == "regex" ? .regex(text) : .notRegex(text))
            }
        }
        return result
    }

    /// A YAML scalar as a JSON value (strings, numbers, booleans, null).
    func jsonValue(_ node: YAMLNode, _ path: String) -> JSONValue? {
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
    func cache(_ node: YAMLNode, _ path: String, kind: ProbeKind?) -> CacheSource? {
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
    func labels(_ node: YAMLNode, _ path: String) -> [ProbeLabel] {
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
            if !name.wholeMatches(Self.labelPattern) || name.hasPrefix("__") {
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

    /// `user_pool`: `{size: N}` (users `slaprobe-pool-0` to `slaprobe-pool-<N-1>`) or a list of distinct user ids.
    func userPool(_ node: YAMLNode, _ path: String) -> UserPool? {
        switch node {
        case .mapping:
            guard let fields = mapping(node, path: path, allowed: ["size"]) else {
                return nil
            }
            guard let value = fields["size"] else {
                error(node, fields.path("size"), "size is required (or give user_pool as a list of user ids)")
                return nil
            }
            guard let size = integer(value, fields.path("size"), minimum: 1) else {
                return nil
            }
            guard size <= UserPool.maximumSize else {
                error(value, fields.path("size"), "must be at most \(UserPool.maximumSize)")
                return nil
            }
            return UserPool(size: size)
        case .sequence(let sequence):
            guard !sequence.isEmpty else {
                error(node, path, "expected at least one user id")
                return nil
            }
            var ids: [String] = []
            var valid = true
            for (index, item) in sequence.enumerated() {
                let itemPath = "\(path)[\(index)]"
                guard let id = string(item, itemPath) else {
                    valid = false
                    continue
                }
                if !id.wholeMatches(Self.poolUserPattern) {
                    error(item, itemPath, "invalid user id \"\(id)\": use letters, digits, -, ., _ and ~ (at most 128)")
                    valid = false
                } else if ids.contains(id) {
                    error(item, itemPath, "duplicate user id \"\(id)\"")
                    valid = false
                }
                ids.append(id)
            }
            return valid ? UserPool(ids: ids) : nil
        default:
            error(node, path, "expected {size: N} or a list of user ids, got \(describe(node))")
            return nil
        }
    }

    /// A pool is only used through `{{user_id}}` in the URL, which the default entitlement URL has.
    func checkUserPoolUse(_ probe: ProbeConfig, kind: ProbeKind, node: YAMLNode, path: String) {
        guard !probe.url.contains("{{user_id}}") else {
            return
        }
        if kind == .entitlement {
            error(node, path, "user_pool needs {{user_id}} in the probe's url (the default entitlement url has it)")
        } else {
            error(node, path, "user_pool applies only to entitlement probes and to probes whose url uses {{user_id}}")
        }
    }
}

import FoundationEssentials

/// Reads `alerting.receivers` and the value kinds only the alerting section uses (ratios, counts, lists).
extension ConfigParser {
    static let receiverKeys = [
        "name", "kind", "url", "url_file", "signing", "secret_file", "secret_env", "timeout", "headers",
        "send_resolved", "max_alerts",
    ]

    /// One receiver; nil (with errors recorded) when it cannot be built.
    func parseReceiver(_ node: YAMLNode, path: String) -> ReceiverConfig? {
        guard let fields = mapping(node, path: path, allowed: Self.receiverKeys) else { return nil }
        guard let nameNode = fields["name"], let name = string(nameNode, fields.path("name")) else {
            if fields["name"] == nil { error(node, fields.path("name"), "is required") }
            return nil
        }
        var kind = ReceiverConfig.Kind.webhook
        if let node = fields["kind"], let text = string(node, fields.path("kind")) {
            guard let parsed = ReceiverConfig.Kind(rawValue: text) else {
                error(node, fields.path("kind"), "\"\(text)\" is not webhook or alertmanager")
                return nil
            }
            kind = parsed
        }
        // A URL may carry credentials (a token in the query), so it can come from a file like any secret.
        var url: String?
        if let node = fields["url"] {
            url = self.url(node, fields.path("url"))
        } else if fields["url_file"] != nil {
            let lookup = self.secret(fields, "url")
            url = lookup.secret?.value.trimmed()
            if !readsSecrets, !lookup.isFailed {
                url = Self.unreadURL
            }
        } else {
            error(node, fields.path("url"), "is required (or url_file)")
        }
        var signing = ReceiverConfig.Signing.none
        let secret = self.secret(fields, "secret")
        if let node = fields["signing"], let text = string(node, fields.path("signing")) {
            switch text {
            case "none": signing = .none
            case "standard_webhooks", "stripe":
                guard let value = secret.secret else {
                    if !secret.isFailed {
                        error(node, fields.path("signing"), "\(text) signing needs secret_file or secret_env")
                    }
                    return nil
                }
                signing = text == "stripe" ? .stripe(value) : .standardWebhooks(value)
            default:
                error(node, fields.path("signing"), "\"\(text)\" is not none, standard_webhooks or stripe")
            }
        }
        var receiver = ReceiverConfig(name: name, kind: kind, url: url ?? "", signing: signing)
        if let node = fields["timeout"], let v = duration(node, fields.path("timeout"))?.inSeconds {
            receiver.timeout = v
        }
        if let node = fields["headers"] { receiver.headers = stringMap(node, fields.path("headers")) }
        if let node = fields["send_resolved"], let v = bool(node, fields.path("send_resolved")) {
            receiver.sendResolved = v
        }
        if let node = fields["max_alerts"], let v = integer(node, fields.path("max_alerts"), minimum: 0) {
            receiver.maxAlerts = v
        }
        guard url != nil else { return nil }
        for problem in receiver.validate() { error(node, path, problem) }
        return receiver
    }

    /// 0 for a zero duration written any way Prometheus accepts (`0`, `0s`, `0ms`), else nil.
    func zeroDuration(_ node: YAMLNode) -> Double? {
        guard let text = node.scalar?.string, let duration = try? parseDuration(text), duration == .zero else {
            return nil
        }
        return 0
    }

    /// The items of a list with their key paths; an error for anything else.
    func list(_ node: YAMLNode, _ path: String) -> [(YAMLNode, String)] {
        guard case .sequence(let sequence) = node else {
            error(node, path, "expected a list, got \(describe(node))")
            return []
        }
        return sequence.enumerated().map { ($0.element, "\(path)[\($0.offset)]") }
    }

    /// A list of strings.
    func strings(_ node: YAMLNode, _ path: String) -> [String] {
        list(node, path).compactMap { string($0.0, $0.1) }
    }

    /// A mapping of names to strings, in name order.
    func stringMap(_ node: YAMLNode, _ path: String) -> [String: String] {
        guard let fields = mapping(node, path: path, allowed: nil) else { return [:] }
        var result: [String: String] = [:]
        for name in fields.entries.keys.sorted() {
            if let value = string(fields.entries[name]!.value, fields.path(name), allowEmpty: true) {
                result[name] = value
            }
        }
        return result
    }

    /// A ratio written as 0.05 or 5%, between 0 and 1.
    func ratio(_ node: YAMLNode, _ path: String) -> Double? {
        guard case .scalar(let scalar) = node else {
            error(node, path, "expected a ratio such as 0.05 or 5%, got \(describe(node))")
            return nil
        }
        let text = scalar.string.trimmed()
        let value = text.hasSuffix("%") ? Double(text.dropLast()).map { $0 / 100 } : Double(text)
        guard let value, value.isFinite, value >= 0, value <= 1 else {
            error(node, path, "expected a ratio between 0 and 1 (or 0% to 100%), got \(text)")
            return nil
        }
        return value
    }

    /// A whole number of at least `minimum`.
    func integer(_ node: YAMLNode, _ path: String, minimum: Int) -> Int? {
        guard node.tagName == .int, let value = node.int else {
            error(node, path, "expected a whole number, got \(describe(node))")
            return nil
        }
        guard value >= minimum else {
            error(node, path, "must be at least \(minimum)")
            return nil
        }
        return value
    }
}

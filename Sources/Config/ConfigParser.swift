import FoundationEssentials

/// Walks the composed YAML tree by hand, collecting every error with its file, line and key path.
///
/// One parser reads every section of the document (``parse(yaml:)``); other files (`--web.config.file`) are
/// read with the same strictness and the same messages.
final class ConfigParser {
    static let topLevelKeys = ["global", "target", "probes", "alerting"]
    static let globalKeys = ["interval", "jitter", "timeout", "windows", "max_body_bytes", "user_agent"]
    static let targetKeys = [
        "url", "api_key", "api_key_file", "api_key_env", "webhook_secret", "webhook_secret_file",
        "webhook_secret_env", "user_id", "project_id", "price_id", "insecure_skip_verify", "ca_file",
    ]

    let file: String
    let baseDirectory: String
    let environment: [String: String]
    /// False for `check-config --syntax-only`: `*_file` files are not opened and `*_env` variables need not be
    /// set; secrets are then ``unreadSecret``.
    let readsSecrets: Bool
    /// The placeholder of a secret that was not read.
    static let unreadSecret = Secret("not-read")
    /// The placeholder of a receiver URL whose `url_file` was not read.
    static let unreadURL = "https://url-file-not-read.invalid/"
    private(set) var errors: [ConfigError] = []
    /// Accepted settings that are probably not meant (short intervals, shortened timeouts).
    var warnings: [ConfigWarning] = []
    /// Whether `global.timeout` was written (an inherited explicit timeout is never shortened silently).
    var globalTimeoutExplicit = false
    /// Whether a journey step is being read: its templates may also use the journey placeholders and `vars.NAME`.
    var inJourneyStep = false

    init(file: String, baseDirectory: String, environment: [String: String], readsSecrets: Bool = true) {
        self.file = file
        self.baseDirectory = baseDirectory
        self.environment = environment
        self.readsSecrets = readsSecrets
    }

    /// Records an error located at `node` (or without a line when `node` is nil).
    func error(_ node: YAMLNode?, _ key: String, _ message: String) {
        errors.append(
            ConfigError(file: file, line: node?.mark?.line, column: node?.mark?.column, key: key, message: message)
        )
    }

    /// The recorded errors in file order (errors without a line last), as the loader throws them.
    var sortedErrors: [ConfigError] {
        errors.enumerated()
            .sorted { lhs, rhs in
                let left = (lhs.element.line ?? Int.max, lhs.element.column ?? 0, lhs.offset)
                let right = (rhs.element.line ?? Int.max, rhs.element.column ?? 0, rhs.offset)
                return left < right
            }
            .map(\.element)
    }

    // MARK: Document

    /// Parses a whole document, composed once, section by section; returns nil (with errors recorded) when a
    /// field is not valid. The assembled value is checked afterwards by ``ConfigLoader``.
    func parse(yaml: String) -> SlaprobeConfig? {
        let root: YAMLNode?
        do throws(YAMLError) {
            root = try YAMLParser.compose(yaml: yaml)
        } catch {
            errors.append(syntaxError(error, yaml: yaml))
            return nil
        }
        var fields = Fields(path: "", node: root, entries: [:])
        if let root {
            if case .mapping = root {
                fields = mapping(root, path: "", allowed: Self.topLevelKeys) ?? fields
            } else if root.tagName != .null {
                error(
                    root,
                    "",
                    "the configuration must be a mapping with the keys global, target, probes and alerting, "
                        + "got \(describe(root))"
                )
                return nil
            }
        }
        let global = parseGlobal(fields["global"], path: "global")
        let target = parseTarget(fields["target"], path: "target")
        let probes = parseProbes(fields, global: global, target: target)
        let alerting = parseAlerting(fields["alerting"], path: "alerting")
        // A new section (journeys, silences) is read here by its own parse… call and stored in SlaprobeConfig.
        let config = SlaprobeConfig(
            global: global,
            probes: probes,
            alerting: alerting,
            alertingLine: fields.keyNode("alerting")?.mark?.line,
            sourceFile: file,
            warnings: warnings
        )
        return errors.isEmpty ? config : nil
    }

    /// Parses `probes`: the listed probes with unique names, or the three billing probes when none are listed.
    func parseProbes(_ fields: Fields, global: GlobalConfig, target: TargetDefaults) -> [ProbeConfig] {
        guard let probesNode = fields["probes"] else {
            return defaultProbes(global: global, target: target, fields: fields)
        }
        guard case .sequence(let list) = probesNode, !list.isEmpty else {
            if probesNode.sequence == nil, probesNode.tagName != .null {
                error(probesNode, "probes", "expected a list of probes, got \(describe(probesNode))")
                return []
            }
            return defaultProbes(global: global, target: target, fields: fields)
        }
        var probes: [ProbeConfig] = []
        var seen: [String: Int?] = [:]
        for (index, item) in list.enumerated() {
            guard let probe = parseProbe(item, path: "probes[\(index)]", global: global, target: target) else {
                continue
            }
            if let first = seen[probe.name] {
                let origin = first.map { " (first defined on line \($0))" } ?? ""
                error(
                    item.mapping?.first { $0.key.string == "name" }?.value ?? item,
                    "probes[\(index)].name",
                    "duplicate probe name \"\(probe.name)\"\(origin)"
                )
            } else {
                seen[probe.name] = probe.line
            }
            probes.append(probe)
        }
        return probes
    }

    // MARK: Sections

    /// Parses `global`, falling back to defaults for missing or invalid values.
    func parseGlobal(_ node: YAMLNode?, path: String) -> GlobalConfig {
        var global = GlobalConfig()
        guard let node, let fields = mapping(node, path: path, allowed: Self.globalKeys) else {
            return global
        }
        if let value = fields["interval"], let interval = interval(value, fields.path("interval")) {
            global.interval = interval
        }
        if let value = fields["jitter"], let jitter = jitter(value, fields.path("jitter")) {
            global.jitter = jitter
        }
        global.timeout = min(global.timeout, global.interval)
        if fields["timeout"] == nil {
            noteShortenedTimeout(interval: global.interval, node: fields["interval"], path: fields.path("interval"))
        }
        if let value = fields["timeout"], let timeout = duration(value, fields.path("timeout")) {
            globalTimeoutExplicit = true
            global.timeout = timeout
            if timeout > global.interval {
                error(
                    value,
                    fields.path("timeout"),
                    "timeout \(formatDuration(timeout)) must not exceed the interval \(formatDuration(global.interval))"
                )
            }
        }
        if let value = fields["windows"] {
            global.windows = windows(value, fields.path("windows")) ?? global.windows
        }
        if let value = fields["max_body_bytes"], let bytes = byteSize(value, fields.path("max_body_bytes")) {
            global.maxBodyBytes = bytes
        }
        if let value = fields["user_agent"], let agent = string(value, fields.path("user_agent")) {
            global.userAgent = agent
        }
        return global
    }

    /// Parses the list of rolling windows: each at least 10s, no repeats, at least one.
    func windows(_ node: YAMLNode, _ path: String) -> [Duration]? {
        guard case .sequence(let list) = node else {
            error(node, path, "expected a list of durations such as [1m, 5m], got \(describe(node))")
            return nil
        }
        if list.isEmpty {
            error(node, path, "at least one window is required")
            return nil
        }
        var result: [Duration] = []
        var valid = true
        for (index, item) in list.enumerated() {
            guard let window = duration(item, "\(path)[\(index)]") else {
                valid = false
                continue
            }
            if window < ConfigDefaults.minimumWindow {
                error(
                    item,
                    "\(path)[\(index)]",
                    "window \(formatDuration(window)) is shorter than the minimum "
                        + formatDuration(ConfigDefaults.minimumWindow)
                )
                valid = false
            } else if result.contains(window) {
                error(item, "\(path)[\(index)]", "window \(formatDuration(window)) is listed twice")
                valid = false
            }
            result.append(window)
        }
        return valid ? result : nil
    }

    /// Parses `target`: the billing probes' URL, secrets, ids and TLS settings.
    func parseTarget(_ node: YAMLNode?, path: String) -> TargetDefaults {
        var target = TargetDefaults()
        guard let node, let fields = mapping(node, path: path, allowed: Self.targetKeys) else {
            return target
        }
        if let value = fields["url"] {
            target.url = url(value, fields.path("url"))
            target.urlInvalid = target.url == nil
        }
        target.apiKey = secret(fields, "api_key")
        target.webhookSecret = secret(fields, "webhook_secret")
        if let value = fields["user_id"], let text = string(value, fields.path("user_id")) {
            target.userID = text
        }
        if let value = fields["project_id"], let text = string(value, fields.path("project_id")) {
            target.projectID = text
        }
        if let value = fields["price_id"], let text = string(value, fields.path("price_id")) {
            target.priceID = text
        }
        if let value = fields["insecure_skip_verify"], let flag = bool(value, fields.path("insecure_skip_verify")) {
            target.tls.insecureSkipVerify = flag
        }
        if let value = fields["ca_file"] {
            target.tls.caFile = existingFile(value, fields.path("ca_file"))
        }
        return target
    }

    /// The three billing probes generated when `probes` is absent or empty.
    func defaultProbes(global: GlobalConfig, target: TargetDefaults, fields: Fields) -> [ProbeConfig] {
        let locator = fields["target"] ?? fields.keyNode("probes")
        guard let base = target.url else {
            if !target.urlInvalid {
                error(
                    locator,
                    "target.url",
                    "target.url is required when no probes are listed: the default entitlement, checkout and "
                        + "webhook probes are sent to it"
                )
            }
            return []
        }
        var probes: [ProbeConfig] = []
        for kind in [ProbeKind.entitlement, .checkout, .webhook] {
            var probe = ProbeConfig(
                name: kind.rawValue,
                kind: kind,
                url: Self.billingURL(kind: kind, base: base, userID: target.userID, projectID: target.projectID),
                interval: global.interval,
                timeout: global.timeout,
                jitter: global.jitter,
                maxBodyBytes: global.maxBodyBytes,
                userID: target.userID,
                projectID: target.projectID,
                priceID: target.priceID,
                tls: target.tls
            )
            probe.apiKey = target.apiKey.secret
            probe.webhookSecret = target.webhookSecret.secret
            requireSecrets(
                &probe,
                apiKeyFailed: false,
                webhookFailed: false,
                target: target,
                node: locator,
                path: "target"
            )
            probes.append(probe)
        }
        return probes
    }

    /// Fills a billing probe's missing secrets from the SLAPROBE_* variables, or records what to set.
    func requireSecrets(
        _ probe: inout ProbeConfig,
        apiKeyFailed: Bool,
        webhookFailed: Bool,
        target: TargetDefaults,
        node: YAMLNode?,
        path: String
    ) {
        let owner = path == "target" ? "in target" : "on the probe or in target"
        guard readsSecrets else {
            return
        }
        let needsAPIKey = probe.kind.needsAPIKey || probe.journey?.builtIn != nil
        let needsWebhookSecret = probe.kind.needsWebhookSecret || probe.journey?.signs == true
        if needsAPIKey, probe.apiKey == nil, !apiKeyFailed, !target.apiKey.isFailed {
            if let value = environment[ConfigDefaults.apiKeyVariable], !value.isEmpty {
                probe.apiKey = Secret(value)
            } else {
                error(
                    node,
                    path,
                    "probe \"\(probe.name)\" needs an API key: set api_key_file or api_key_env \(owner), "
                        + "or the environment variable \(ConfigDefaults.apiKeyVariable)"
                )
            }
        }
        if needsWebhookSecret, probe.webhookSecret == nil, !webhookFailed, !target.webhookSecret.isFailed {
            if let value = environment[ConfigDefaults.webhookSecretVariable], !value.isEmpty {
                probe.webhookSecret = Secret(value)
            } else {
                error(
                    node,
                    path,
                    "probe \"\(probe.name)\" needs a webhook signing secret: set webhook_secret_file or "
                        + "webhook_secret_env \(owner), or the environment variable "
                        + ConfigDefaults.webhookSecretVariable
                )
            }
        }
    }

    /// The default URL of a billing kind: `base` joined with the kind's path without a double slash.
    static func billingURL(kind: ProbeKind, base: String, userID: String, projectID: String) -> String {
        var root = base
        while root.hasSuffix("/") {
            root.removeLast()
        }
        switch kind {
        case .entitlement:
            return root + ConfigDefaults.entitlementPath + "?user_id=\(queryEncode(userID))"
                + "&project_id=\(queryEncode(projectID))"
        case .checkout:
            return root + ConfigDefaults.checkoutPath
        case .webhook:
            return root + ConfigDefaults.webhookPath
        case .http, .journey:
            return base
        }
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters.
    static func queryEncode(_ value: String) -> String {
        PercentEncoding.encode(value, keeping: PercentEncoding.unreserved)
    }
}

import Config
import Foundation
import Yams

extension AlertingConfig {
    static let sectionKeys = [
        "evaluation_interval", "window", "long_window", "default_rules", "burn_rate_objective", "external_url",
        "runbook_base_url", "labels", "storage_path", "group_by", "group_wait", "group_interval", "repeat_interval",
        "resend_delay", "delivery", "outbox", "rules", "receivers",
    ]
    static let ruleKeys = [
        "name", "kind", "severity", "probes", "probe_kinds", "windows", "threshold", "clear_threshold",
        "min_samples", "for", "keep_firing_for", "labels", "annotations", "objective",
    ]
    static let receiverKeys = [
        "name", "kind", "url", "url_file", "signing", "secret_file", "secret_env", "timeout", "headers",
        "send_resolved", "max_alerts",
    ]

    /// Reads the `alerting:` section of slaprobe's configuration (`node` is that section's value, with the
    /// file's own line numbers), strictly: errors name file, line and key. `nil` gives the defaults.
    ///
    /// ```yaml
    /// alerting:
    ///   evaluation_interval: 15s
    ///   window: 5m              # latency, cache and short error window
    ///   long_window: 1h         # long error window
    ///   burn_rate_objective: 99.9%
    ///   storage_path: data      # alert state and the notification outbox
    ///   group_wait: 10s
    ///   repeat_interval: 4h
    ///   receivers:
    ///     - name: oncall
    ///       kind: webhook       # or alertmanager
    ///       url: https://hooks.example.com/slaprobe
    ///       signing: standard_webhooks   # or stripe; the secret from secret_file / secret_env
    ///       secret_env: ONCALL_WEBHOOK_SECRET
    ///   rules:                  # override or add rules; defaults stay unless default_rules: false
    ///     - name: SlaprobeLatencyHigh
    ///       kind: latency
    ///       severity: page
    ///       for: 2m
    ///       clear_threshold: 0.03
    /// ```
    package static func parse(
        node: Node?,
        file: String,
        baseDirectory: String,
        environment: [String: String]
    ) throws(ConfigErrors) -> AlertingConfig {
        let parser = ConfigParser(file: file, baseDirectory: baseDirectory, environment: environment)
        var config = AlertingConfig()
        config.stateFile =
            URL(fileURLWithPath: parser.resolvePath("data")).appendingPathComponent("alerts-state.json").path
        config.outbox.directory = parser.resolvePath("data/outbox")
        if let node, let fields = parser.mapping(node, path: "alerting", allowed: sectionKeys) {
            read(fields, into: &config, parser)
        }
        guard parser.errors.isEmpty else { throw ConfigErrors(parser.sortedErrors) }
        let problems = config.validate()
        if !problems.isEmpty {
            throw ConfigErrors(
                problems.map { ConfigError(file: file, line: node?.mark?.line, key: "alerting", message: $0) }
            )
        }
        return config
    }

    private static func read(_ fields: Fields, into config: inout AlertingConfig, _ parser: ConfigParser) {
        func seconds(_ key: String, allowZero: Bool = false) -> Double? {
            guard let node = fields[key] else { return nil }
            if allowZero, let zero = zeroDuration(node) { return zero }
            return parser.duration(node, fields.path(key))?.inSeconds
        }
        if let v = seconds("evaluation_interval") { config.evaluationInterval = v }
        if let v = seconds("window") { config.window = v }
        if let v = seconds("long_window") { config.longWindow = v }
        if let node = fields["default_rules"], let v = parser.bool(node, fields.path("default_rules")) {
            config.defaultRules = v
        }
        if let node = fields["burn_rate_objective"] {
            config.burnRateObjective = ratio(node, fields.path("burn_rate_objective"), parser)
        }
        if let node = fields["external_url"], let v = parser.url(node, fields.path("external_url")) {
            config.externalURL = v
        }
        if let node = fields["runbook_base_url"], let v = parser.url(node, fields.path("runbook_base_url")) {
            config.runbookBaseURL = v
        }
        if let node = fields["labels"] { config.staticLabels = stringMap(node, fields.path("labels"), parser) }
        if let node = fields["storage_path"], let path = parser.string(node, fields.path("storage_path")) {
            let directory = URL(fileURLWithPath: parser.resolvePath(path))
            config.stateFile = directory.appendingPathComponent("alerts-state.json").path
            config.outbox.directory = directory.appendingPathComponent("outbox").path
        }
        if let node = fields["group_by"] { config.grouping.groupBy = strings(node, fields.path("group_by"), parser) }
        if let v = seconds("group_wait", allowZero: true) { config.grouping.groupWait = v }
        if let v = seconds("group_interval") { config.grouping.groupInterval = v }
        if let v = seconds("repeat_interval") { config.grouping.repeatInterval = v }
        if let v = seconds("resend_delay") { config.resendDelay = v }
        if let node = fields["delivery"],
            let delivery = parser.mapping(
                node,
                path: fields.path("delivery"),
                allowed: ["initial_backoff", "max_backoff", "max_attempts", "max_age", "max_retry_after"]
            )
        {
            func d(_ key: String) -> Double? {
                delivery[key].flatMap { parser.duration($0, delivery.path(key))?.inSeconds }
            }
            if let v = d("initial_backoff") { config.delivery.initialBackoff = v }
            if let v = d("max_backoff") { config.delivery.maxBackoff = v }
            if let v = d("max_age") { config.delivery.maxAge = v }
            if let v = d("max_retry_after") { config.delivery.maxRetryAfter = v }
            if let node = delivery["max_attempts"],
                let v = integer(node, delivery.path("max_attempts"), parser, minimum: 1)
            {
                config.delivery.maxAttempts = v
            }
        }
        if let node = fields["outbox"],
            let outbox = parser.mapping(node, path: fields.path("outbox"), allowed: ["max_entries"]),
            let entries = outbox["max_entries"],
            let v = integer(entries, outbox.path("max_entries"), parser, minimum: 1)
        {
            config.outbox.maxEntriesPerReceiver = v
        }
        if let node = fields["rules"] {
            let base = config
            config.rules = list(node, fields.path("rules"), parser).compactMap { rule($0.0, $0.1, base, parser) }
        }
        if let node = fields["receivers"] {
            config.receivers = list(node, fields.path("receivers"), parser).compactMap { receiver($0.0, $0.1, parser) }
        }
    }

    private static func rule(_ node: Node, _ path: String, _ config: AlertingConfig, _ parser: ConfigParser)
        -> AlertRule?
    {
        guard let fields = parser.mapping(node, path: path, allowed: ruleKeys) else { return nil }
        guard let nameNode = fields["name"], let name = parser.string(nameNode, fields.path("name")) else {
            if fields["name"] == nil { parser.error(node, fields.path("name"), "is required") }
            return nil
        }
        guard let kindNode = fields["kind"], let kindText = parser.string(kindNode, fields.path("kind")) else {
            if fields["kind"] == nil { parser.error(node, fields.path("kind"), "is required") }
            return nil
        }
        guard let kind = AlertRule.Kind(rawValue: kindText) else {
            let kinds = AlertRule.Kind.allCases.map(\.rawValue).joined(separator: ", ")
            parser.error(kindNode, fields.path("kind"), "\"\(kindText)\" is not one of \(kinds)")
            return nil
        }
        // Start from the default rule of that name (so a rule can override one setting), else from the kind.
        var rule =
            AlertRule.defaultRules(
                evaluationInterval: config.evaluationInterval,
                window: config.window,
                longWindow: config.longWindow,
                runbookBaseURL: config.runbookBaseURL
            )
            .first { $0.name == name && $0.kind == kind }
            ?? AlertRule(
                name: name,
                kind: kind,
                severity: .page,
                windows: kind == .noData ? [] : [300],
                threshold: 0.05
            )
        if let node = fields["severity"], let text = parser.string(node, fields.path("severity")) {
            if let severity = AlertSeverity(rawValue: text) {
                rule.severity = severity
            } else {
                parser.error(node, fields.path("severity"), "\"\(text)\" is not one of page, ticket, warning")
            }
        }
        if let node = fields["probes"] { rule.probes = strings(node, fields.path("probes"), parser) }
        if let node = fields["probe_kinds"] { rule.probeKinds = strings(node, fields.path("probe_kinds"), parser) }
        if let node = fields["windows"] {
            rule.windows = list(node, fields.path("windows"), parser).compactMap {
                parser.duration($0.0, $0.1)?.inSeconds
            }
        }
        if let node = fields["threshold"] {
            if kind == .noData {
                if let v = parser.duration(node, fields.path("threshold"))?.inSeconds { rule.threshold = v }
            } else if let v = ratio(node, fields.path("threshold"), parser) {
                rule.threshold = v
            }
        }
        if let node = fields["clear_threshold"] {
            rule.clearThreshold = ratio(node, fields.path("clear_threshold"), parser)
        }
        if let node = fields["min_samples"], let v = integer(node, fields.path("min_samples"), parser, minimum: 0) {
            rule.minSamples = v
        }
        for (key, keyPath) in [("for", \AlertRule.forDuration), ("keep_firing_for", \AlertRule.keepFiringFor)] {
            guard let node = fields[key] else { continue }
            if let zero = zeroDuration(node) {
                rule[keyPath: keyPath] = zero
            } else if let v = parser.duration(node, fields.path(key))?.inSeconds {
                rule[keyPath: keyPath] = v
            }
        }
        if let node = fields["labels"] { rule.labels = stringMap(node, fields.path("labels"), parser) }
        if let node = fields["annotations"] {
            rule.annotations.merge(stringMap(node, fields.path("annotations"), parser)) { _, new in new }
        }
        if let node = fields["objective"] { rule.objective = ratio(node, fields.path("objective"), parser) }
        for problem in rule.validate() { parser.error(node, path, problem) }
        return rule
    }

    private static func receiver(_ node: Node, _ path: String, _ parser: ConfigParser) -> ReceiverConfig? {
        guard let fields = parser.mapping(node, path: path, allowed: receiverKeys) else { return nil }
        guard let nameNode = fields["name"], let name = parser.string(nameNode, fields.path("name")) else {
            if fields["name"] == nil { parser.error(node, fields.path("name"), "is required") }
            return nil
        }
        var kind = ReceiverConfig.Kind.webhook
        if let node = fields["kind"], let text = parser.string(node, fields.path("kind")) {
            guard let parsed = ReceiverConfig.Kind(rawValue: text) else {
                parser.error(node, fields.path("kind"), "\"\(text)\" is not webhook or alertmanager")
                return nil
            }
            kind = parsed
        }
        // A URL may carry credentials (a token in the query), so it can come from a file like any secret.
        var url: String?
        if let node = fields["url"] {
            url = parser.url(node, fields.path("url"))
        } else if fields["url_file"] != nil {
            let lookup = parser.secret(fields, "url")
            url = lookup.secret?.value.trimmingCharacters(in: .whitespacesAndNewlines)
        } else {
            parser.error(node, fields.path("url"), "is required (or url_file)")
        }
        var signing = ReceiverConfig.Signing.none
        let secret = parser.secret(fields, "secret")
        if let node = fields["signing"], let text = parser.string(node, fields.path("signing")) {
            switch text {
            case "none": signing = .none
            case "standard_webhooks", "stripe":
                guard let value = secret.secret else {
                    if !secret.isFailed {
                        parser.error(node, fields.path("signing"), "\(text) signing needs secret_file or secret_env")
                    }
                    return nil
                }
                signing = text == "stripe" ? .stripe(value) : .standardWebhooks(value)
            default:
                parser.error(node, fields.path("signing"), "\"\(text)\" is not none, standard_webhooks or stripe")
            }
        }
        var receiver = ReceiverConfig(name: name, kind: kind, url: url ?? "", signing: signing)
        if let node = fields["timeout"], let v = parser.duration(node, fields.path("timeout"))?.inSeconds {
            receiver.timeout = v
        }
        if let node = fields["headers"] { receiver.headers = stringMap(node, fields.path("headers"), parser) }
        if let node = fields["send_resolved"], let v = parser.bool(node, fields.path("send_resolved")) {
            receiver.sendResolved = v
        }
        if let node = fields["max_alerts"], let v = integer(node, fields.path("max_alerts"), parser, minimum: 0) {
            receiver.maxAlerts = v
        }
        guard url != nil else { return nil }
        for problem in receiver.validate() { parser.error(node, path, problem) }
        return receiver
    }

    /// 0 for a zero duration written any way Prometheus accepts (`0`, `0s`, `0ms`), else nil.
    private static func zeroDuration(_ node: Node) -> Double? {
        guard let text = node.scalar?.string, let duration = try? parseDuration(text), duration == .zero else {
            return nil
        }
        return 0
    }

    private static func list(_ node: Node, _ path: String, _ parser: ConfigParser) -> [(Node, String)] {
        guard case .sequence(let sequence) = node else {
            parser.error(node, path, "expected a list, got \(parser.describe(node))")
            return []
        }
        return sequence.enumerated().map { ($0.element, "\(path)[\($0.offset)]") }
    }

    private static func strings(_ node: Node, _ path: String, _ parser: ConfigParser) -> [String] {
        list(node, path, parser).compactMap { parser.string($0.0, $0.1) }
    }

    private static func stringMap(_ node: Node, _ path: String, _ parser: ConfigParser) -> [String: String] {
        guard let fields = parser.mapping(node, path: path, allowed: nil) else { return [:] }
        var result: [String: String] = [:]
        for name in fields.entries.keys.sorted() {
            if let value = parser.string(fields.entries[name]!.value, fields.path(name), allowEmpty: true) {
                result[name] = value
            }
        }
        return result
    }

    private static func ratio(_ node: Node, _ path: String, _ parser: ConfigParser) -> Double? {
        guard case .scalar(let scalar) = node else {
            parser.error(node, path, "expected a ratio such as 0.05 or 5%, got \(parser.describe(node))")
            return nil
        }
        let text = scalar.string.trimmingCharacters(in: .whitespaces)
        let value = text.hasSuffix("%") ? Double(text.dropLast()).map { $0 / 100 } : Double(text)
        guard let value, value.isFinite, value >= 0, value <= 1 else {
            parser.error(node, path, "expected a ratio between 0 and 1 (or 0% to 100%), got \(text)")
            return nil
        }
        return value
    }

    private static func integer(_ node: Node, _ path: String, _ parser: ConfigParser, minimum: Int) -> Int? {
        guard node.tagName == .int, let value = node.int else {
            parser.error(node, path, "expected a whole number, got \(parser.describe(node))")
            return nil
        }
        guard value >= minimum else {
            parser.error(node, path, "must be at least \(minimum)")
            return nil
        }
        return value
    }
}

import FoundationEssentials

/// Reads the `alerting` section into ``AlertingConfig``, with the same strictness and messages as the rest.
extension ConfigParser {
    static let alertingKeys = [
        "evaluation_interval", "window", "long_window", "default_rules", "burn_rate_objective", "external_url",
        "runbook_base_url", "labels", "storage_path", "group_by", "group_wait", "group_interval", "repeat_interval",
        "resend_delay", "delivery", "outbox", "rules", "receivers", "maintenance_windows",
    ]
    static let ruleKeys = [
        "name", "kind", "severity", "probes", "probe_kinds", "windows", "threshold", "clear_threshold",
        "min_samples", "for", "keep_firing_for", "labels", "annotations", "objective",
    ]
    static let deliveryKeys = ["initial_backoff", "max_backoff", "max_attempts", "max_age", "max_retry_after"]

    /// Reads the `alerting:` section of slaprobe's configuration (`node` is that section's value), strictly:
    /// errors name file, line and key. `nil` gives the defaults; storage paths are resolved against the file's
    /// directory.
    ///
    /// ```yaml
    /// alerting:
    ///   evaluation_interval: 15s
    ///   window: 5m              # latency, cache and short error window
    ///   long_window: 1h         # long error window
    ///   burn_rate_objective: 99.9%
    ///   storage_path: data      # alert state, silences and the notification outbox
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
    ///   maintenance_windows:    # see ``parseMaintenanceWindows(_:path:)``
    ///     - name: weekly-deploy
    ///       matchers: ['probe="checkout"']
    ///       time_zone: Europe/Berlin
    ///       times: [{weekdays: [monday], start_time: "22:00", end_time: "23:30"}]
    /// ```
    func parseAlerting(_ node: YAMLNode?, path: String) -> AlertingConfig {
        var config = AlertingConfig()
        config.store(in: resolvePath(ConfigDefaults.storagePath))
        guard let node, let fields = mapping(node, path: path, allowed: Self.alertingKeys) else {
            return config
        }
        func seconds(_ key: String, allowZero: Bool = false) -> Double? {
            guard let node = fields[key] else { return nil }
            if allowZero, let zero = zeroDuration(node) { return zero }
            return duration(node, fields.path(key))?.inSeconds
        }
        if let v = seconds("evaluation_interval") { config.evaluationInterval = v }
        if let v = seconds("window") { config.window = v }
        if let v = seconds("long_window") { config.longWindow = v }
        if let node = fields["default_rules"], let v = bool(node, fields.path("default_rules")) {
            config.defaultRules = v
        }
        if let node = fields["burn_rate_objective"] {
            config.burnRateObjective = ratio(node, fields.path("burn_rate_objective"))
        }
        if let node = fields["external_url"], let v = url(node, fields.path("external_url")) {
            config.externalURL = v
        }
        if let node = fields["runbook_base_url"], let v = url(node, fields.path("runbook_base_url")) {
            config.runbookBaseURL = v
        }
        if let node = fields["labels"] { config.staticLabels = stringMap(node, fields.path("labels")) }
        if let node = fields["storage_path"], let path = string(node, fields.path("storage_path")) {
            config.store(in: resolvePath(path))
        }
        if let node = fields["group_by"] { config.grouping.groupBy = strings(node, fields.path("group_by")) }
        if let v = seconds("group_wait", allowZero: true) { config.grouping.groupWait = v }
        if let v = seconds("group_interval") { config.grouping.groupInterval = v }
        if let v = seconds("repeat_interval") { config.grouping.repeatInterval = v }
        if let v = seconds("resend_delay") { config.resendDelay = v }
        if let node = fields["delivery"] {
            parseDelivery(node, path: fields.path("delivery"), into: &config.delivery)
        }
        if let node = fields["outbox"],
            let outbox = mapping(node, path: fields.path("outbox"), allowed: ["max_entries"]),
            let entries = outbox["max_entries"],
            let v = integer(entries, outbox.path("max_entries"), minimum: 1)
        {
            config.outbox.maxEntriesPerReceiver = v
        }
        if let node = fields["rules"] {
            let base = config
            config.rules = list(node, fields.path("rules")).compactMap { parseRule($0.0, path: $0.1, base: base) }
        }
        if let node = fields["receivers"] {
            config.receivers = list(node, fields.path("receivers")).compactMap { parseReceiver($0.0, path: $0.1) }
        }
        if let node = fields["maintenance_windows"] {
            config.maintenanceWindows = parseMaintenanceWindows(node, path: fields.path("maintenance_windows"))
        }
        return config
    }

    private func parseDelivery(_ node: YAMLNode, path: String, into delivery: inout DeliveryPolicy) {
        guard let fields = mapping(node, path: path, allowed: Self.deliveryKeys) else { return }
        func seconds(_ key: String) -> Double? {
            fields[key].flatMap { duration($0, fields.path(key))?.inSeconds }
        }
        if let v = seconds("initial_backoff") { delivery.initialBackoff = v }
        if let v = seconds("max_backoff") { delivery.maxBackoff = v }
        if let v = seconds("max_age") { delivery.maxAge = v }
        if let v = seconds("max_retry_after") { delivery.maxRetryAfter = v }
        if let node = fields["max_attempts"], let v = integer(node, fields.path("max_attempts"), minimum: 1) {
            delivery.maxAttempts = v
        }
    }

    private func parseRule(_ node: YAMLNode, path: String, base config: AlertingConfig) -> AlertRule? {
        guard let fields = mapping(node, path: path, allowed: Self.ruleKeys) else { return nil }
        guard let nameNode = fields["name"], let name = string(nameNode, fields.path("name")) else {
            if fields["name"] == nil { error(node, fields.path("name"), "is required") }
            return nil
        }
        guard let kindNode = fields["kind"], let kindText = string(kindNode, fields.path("kind")) else {
            if fields["kind"] == nil { error(node, fields.path("kind"), "is required") }
            return nil
        }
        guard let kind = AlertRule.Kind(rawValue: kindText) else {
            let kinds = AlertRule.Kind.allCases.map(\.rawValue).joined(separator: ", ")
            error(kindNode, fields.path("kind"), "\"\(kindText)\" is not one of \(kinds)")
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
        if let node = fields["severity"], let text = string(node, fields.path("severity")) {
            if let severity = AlertSeverity(rawValue: text) {
                rule.severity = severity
            } else {
                error(node, fields.path("severity"), "\"\(text)\" is not one of page, ticket, warning")
            }
        }
        if let node = fields["probes"] { rule.probes = strings(node, fields.path("probes")) }
        if let node = fields["probe_kinds"] { rule.probeKinds = strings(node, fields.path("probe_kinds")) }
        if let node = fields["windows"] {
            rule.windows = list(node, fields.path("windows")).compactMap { duration($0.0, $0.1)?.inSeconds }
        }
        if let node = fields["threshold"] {
            if kind == .noData {
                if let v = duration(node, fields.path("threshold"))?.inSeconds { rule.threshold = v }
            } else if let v = ratio(node, fields.path("threshold")) {
                rule.threshold = v
            }
        }
        if let node = fields["clear_threshold"] {
            rule.clearThreshold = ratio(node, fields.path("clear_threshold"))
        }
        if let node = fields["min_samples"], let v = integer(node, fields.path("min_samples"), minimum: 0) {
            rule.minSamples = v
        }
        for (key, keyPath) in [("for", \AlertRule.forDuration), ("keep_firing_for", \AlertRule.keepFiringFor)] {
            guard let node = fields[key] else { continue }
            if let zero = zeroDuration(node) {
                rule[keyPath: keyPath] = zero
            } else if let v = duration(node, fields.path(key))?.inSeconds {
                rule[keyPath: keyPath] = v
            }
        }
        if let node = fields["labels"] { rule.labels = stringMap(node, fields.path("labels")) }
        if let node = fields["annotations"] {
            rule.annotations.merge(stringMap(node, fields.path("annotations"))) { _, new in new }
        }
        if let node = fields["objective"] { rule.objective = ratio(node, fields.path("objective")) }
        for problem in rule.validate() { error(node, path, problem) }
        return rule
    }
}

import FoundationEssentials

/// Everything the alerting module is configured with; every field has a default, so `AlertingConfig()` runs the
/// default rules and sends nowhere until receivers are added (e.g. from `--alert.webhook-url`).
package struct AlertingConfig: Sendable, Equatable {
    /// Where `runbook_url` annotations of the default rules point, followed by `#<alertname>`.
    package static let defaultRunbookBaseURL = "https://github.com/slaprobe/slaprobe/blob/main/docs/operations.md"

    /// Whether the evaluator runs at all.
    package var enabled: Bool
    /// Seconds between evaluations.
    package var evaluationInterval: Double
    /// Whether the default rules (latency, cache hit ratio, error ratio, no data) run.
    package var defaultRules: Bool
    /// Window of the default latency, cache and short error-ratio rules, in seconds.
    package var window: Double
    /// Long window of the default error-ratio rule, in seconds.
    package var longWindow: Double
    /// When set, adds the burn-rate rules for this availability objective (0.999 for 99.9 %).
    package var burnRateObjective: Double?
    /// Rules in addition to (or, with ``defaultRules`` off, instead of) the default ones. A rule with the same
    /// name and severity as a default rule replaces it.
    package var rules: [AlertRule]
    /// Labels added to every alert. Never put an instance-specific value here: replicas must produce identical
    /// alerts for Alertmanager to de-duplicate.
    package var staticLabels: [String: String]
    /// slaprobe's externally reachable URL: the webhook payload's `externalURL` and the base of `generatorURL`.
    package var externalURL: String
    /// Base of the default rules' `runbook_url`.
    package var runbookBaseURL: String
    /// Notification grouping and timing.
    package var grouping: GroupingConfig
    /// How often firing alerts are re-sent to Alertmanager receivers (Prometheus' `--rules.alert.resend-delay`).
    package var resendDelay: Double
    /// How long resolved alerts are kept and re-sent to Alertmanager receivers.
    package var resolvedRetention: Double
    /// How long `SlaprobeNotificationsDeadLettered` fires after a dead letter.
    package var deadLetterAlertFor: Double
    /// The receivers.
    package var receivers: [ReceiverConfig]
    /// Retries and backoff.
    package var delivery: DeliveryPolicy
    /// The durable outbox.
    package var outbox: OutboxConfig
    /// File the alert state is persisted to (written atomically after each change); `nil` keeps it in memory.
    package var stateFile: String?
    /// File the silences are persisted to (written atomically before the API answers); `nil` keeps them in memory.
    package var silencesFile: String?
    /// Configured maintenance windows: while one is open, the alerts it matches notify nobody.
    package var maintenanceWindows: [MaintenanceWindow]

    /// Creates a configuration.
    package init(
        enabled: Bool = true,
        evaluationInterval: Double = 15,
        defaultRules: Bool = true,
        window: Double = 300,
        longWindow: Double = 3600,
        burnRateObjective: Double? = nil,
        rules: [AlertRule] = [],
        staticLabels: [String: String] = [:],
        externalURL: String = "",
        runbookBaseURL: String = AlertingConfig.defaultRunbookBaseURL,
        grouping: GroupingConfig = GroupingConfig(),
        resendDelay: Double = 60,
        resolvedRetention: Double = 900,
        deadLetterAlertFor: Double = 3600,
        receivers: [ReceiverConfig] = [],
        delivery: DeliveryPolicy = DeliveryPolicy(),
        outbox: OutboxConfig = OutboxConfig(),
        stateFile: String? = "data/alerts-state.json",
        silencesFile: String? = nil,
        maintenanceWindows: [MaintenanceWindow] = []
    ) {
        self.enabled = enabled
        self.evaluationInterval = evaluationInterval
        self.defaultRules = defaultRules
        self.window = window
        self.longWindow = longWindow
        self.burnRateObjective = burnRateObjective
        self.rules = rules
        self.staticLabels = staticLabels
        self.externalURL = externalURL
        self.runbookBaseURL = runbookBaseURL
        self.grouping = grouping
        self.resendDelay = resendDelay
        self.resolvedRetention = resolvedRetention
        self.deadLetterAlertFor = deadLetterAlertFor
        self.receivers = receivers
        self.delivery = delivery
        self.outbox = outbox
        self.stateFile = stateFile
        self.silencesFile = silencesFile
        self.maintenanceWindows = maintenanceWindows
    }

    /// Keeps the alert state file, the silences and the outbox under `directory`.
    package mutating func store(in directory: String) {
        let url = URL(fileURLWithPath: directory)
        stateFile = url.appendingPathComponent("alerts-state.json").path
        silencesFile = url.appendingPathComponent("silences.json").path
        outbox.directory = url.appendingPathComponent("outbox").path
    }

    /// The rules that run: the defaults (if on), the burn-rate rules (if an objective is set), then ``rules``,
    /// where a configured rule replaces a built-in one with the same name and severity.
    package func effectiveRules() -> [AlertRule] {
        var result: [AlertRule] = []
        if defaultRules {
            result += AlertRule.defaultRules(
                evaluationInterval: evaluationInterval,
                window: window,
                longWindow: longWindow,
                runbookBaseURL: runbookBaseURL
            )
        }
        if let burnRateObjective {
            result += AlertRule.burnRateRules(objective: burnRateObjective, runbookBaseURL: runbookBaseURL)
        }
        for rule in rules {
            result.removeAll { $0.name == rule.name && $0.severity == rule.severity }
        }
        return result + rules
    }

    /// Problems with the configuration, each naming what is wrong; empty when valid.
    package func validate() -> [String] {
        var problems: [String] = []
        if !(evaluationInterval > 0) { problems.append("alerting: evaluation interval must be positive") }
        if !(window > 0) || !(longWindow > 0) { problems.append("alerting: windows must be positive") }
        if let burnRateObjective, !(burnRateObjective > 0 && burnRateObjective < 1) {
            problems.append("alerting: burn-rate objective must be between 0 and 1, e.g. 0.999")
        }
        if !(grouping.groupWait >= 0) { problems.append("alerting: group_wait must not be negative") }
        if !(grouping.groupInterval > 0) { problems.append("alerting: group_interval must be positive") }
        if !(grouping.repeatInterval > 0) { problems.append("alerting: repeat_interval must be positive") }
        for label in grouping.groupBy where !LabelName.isValid(label) {
            problems.append("alerting: group_by label \"\(label)\" is not a valid label name")
        }
        if !(resendDelay > 0) { problems.append("alerting: resend delay must be positive") }
        if !(resolvedRetention >= 0) { problems.append("alerting: resolved retention must not be negative") }
        for (name, value) in staticLabels {
            if !LabelName.isValid(name) { problems.append("alerting: static label name \"\(name)\" is not valid") }
            if ["alertname", "probe", "severity", "receiver"].contains(name) {
                problems.append("alerting: static label \"\(name)\" is set by the evaluator")
            }
            if value.isEmpty { problems.append("alerting: static label \"\(name)\" has an empty value") }
        }
        var seen = Set<String>()
        for rule in effectiveRules() {
            problems += rule.validate()
            let key = "\(rule.name)/\(rule.severity.rawValue)/\(rule.probes)/\(rule.probeKinds)"
            if !seen.insert(key).inserted {
                problems.append("rule \(rule.name): defined twice with severity \(rule.severity.rawValue)")
            }
        }
        var names = Set<String>()
        for receiver in receivers {
            problems += receiver.validate()
            if !names.insert(receiver.name).inserted { problems.append("receiver \(receiver.name): defined twice") }
        }
        if delivery.initialBackoff <= 0 || delivery.maxBackoff < delivery.initialBackoff {
            problems.append("alerting: backoff must be positive and the maximum no smaller than the initial one")
        }
        if !(0...1).contains(delivery.jitter) { problems.append("alerting: jitter must be between 0 and 1") }
        if delivery.maxAttempts < 1 { problems.append("alerting: max attempts must be at least 1") }
        if !(delivery.maxAge > 0) { problems.append("alerting: max notification age must be positive") }
        if outbox.directory.isEmpty { problems.append("alerting: outbox directory must not be empty") }
        if outbox.maxEntriesPerReceiver < 1 { problems.append("alerting: outbox max entries must be at least 1") }
        return problems
    }
}

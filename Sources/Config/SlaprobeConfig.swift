/// The whole configuration, parsed once from one document and validated in one place
/// (``ConfigLoader/validate(_:overrides:)``): global settings, fully resolved probes and alerting.
///
/// A reload builds a new value and swaps it in. A new top-level section (journeys, silences) becomes one more
/// property here, one more key in `ConfigParser.topLevelKeys` read by one more `parse…` call in
/// `ConfigParser.parse(yaml:)`, and one more check in ``validate()``.
package struct SlaprobeConfig: Sendable, Equatable {
    /// Global settings.
    package var global: GlobalConfig
    /// The probes, in configuration order (or the generated billing probes and purchase journey).
    package var probes: [ProbeConfig]
    /// Rules, receivers and delivery settings.
    package var alerting: AlertingConfig
    /// The line of ``sourceFile`` on which the `alerting:` key stands; problems of the section as a whole are
    /// reported there.
    package var alertingLine: Int?
    /// The file the configuration came from (or `<command line>`).
    package var sourceFile: String
    /// Accepted settings that are probably not meant (short intervals, shortened timeouts), in file order;
    /// `check-config` prints them and the service logs them at start and on reload.
    package var warnings: [ConfigWarning]

    /// Creates a configuration.
    package init(
        global: GlobalConfig,
        probes: [ProbeConfig],
        alerting: AlertingConfig = AlertingConfig(),
        alertingLine: Int? = nil,
        sourceFile: String,
        warnings: [ConfigWarning] = []
    ) {
        self.global = global
        self.probes = probes
        self.alerting = alerting
        self.alertingLine = alertingLine
        self.sourceFile = sourceFile
        self.warnings = warnings
    }

    /// Window lengths (seconds) the store must keep: the configured ones plus every one an alert rule reads.
    package var windowLengths: [Double] {
        var lengths = Set(global.windows.map(\.inSeconds))
        if alerting.enabled {
            for rule in alerting.effectiveRules() { lengths.formUnion(rule.windows) }
        }
        return lengths.sorted()
    }

    /// The window lengths (a subset of ``windowLengths``) that only error-ratio and burn-rate rules read, and not
    /// as their shortest window: those rules take counts from their longer windows and evidence from the shortest
    /// alone, so the store keeps counters for these and no samples (the default 1h window of the error-ratio rule).
    /// A length in `global.windows` or read by any other rule keeps its samples.
    package var countingWindowLengths: Set<Double> {
        guard alerting.enabled else { return [] }
        var withSamples = Set(global.windows.map(\.inSeconds))
        var all = withSamples
        for rule in alerting.effectiveRules() {
            all.formUnion(rule.windows)
            switch rule.kind {
            case .errorRatio, .burnRate:
                if let shortest = rule.windows.min() { withSamples.insert(shortest) }
            default:
                withSamples.formUnion(rule.windows)
            }
        }
        return all.subtracting(withSamples)
    }

    /// Problems that span fields or come from the command line, located at their section; empty when valid.
    ///
    /// Each field was already checked where it was read; this is the one check of the assembled value. It also
    /// holds a configuration built in code to the interval floor.
    package func validate() -> [ConfigError] {
        var errors: [ConfigError] = []
        if let problem = ConfigParser.intervalProblem(global.interval) {
            errors.append(ConfigError(file: sourceFile, key: "global.interval", message: problem))
        }
        for (index, probe) in probes.enumerated() {
            if let problem = ConfigParser.intervalProblem(probe.interval) {
                errors.append(
                    ConfigError(file: sourceFile, line: probe.line, key: "probes[\(index)].interval", message: problem)
                )
            }
            for problem in probe.journey?.problems(timeout: probe.timeout) ?? [] {
                let step = probe.journey?.steps[problem.step]
                errors.append(
                    ConfigError(
                        file: sourceFile,
                        line: step?.line ?? probe.line,
                        key: "probes[\(index)].steps[\(problem.step)].\(problem.key)",
                        message: problem.message
                    )
                )
            }
        }
        return errors
            + alerting.validate().map {
                ConfigError(file: sourceFile, line: alertingLine, key: "alerting", message: $0)
            }
    }
}

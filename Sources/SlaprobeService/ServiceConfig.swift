import Config
import FoundationEssentials

/// One (re)load as the service reads it: the configuration, parsed once and validated with the command-line
/// overrides already applied, so a reload either applies probes and alerting together or neither.
package struct ServiceConfig: Sendable {
    /// The whole configuration: global settings, probes and alerting.
    package var probes: SlaprobeConfig

    /// Rules, receivers and delivery settings.
    package var alerting: AlertingConfig { probes.alerting }

    /// Window lengths (seconds) the store must keep: the configured ones plus every one an alert rule reads.
    package var windowLengths: [Double] { probes.windowLengths }

    /// The lengths among ``windowLengths`` that get counting windows (``SlaprobeConfig/countingWindowLengths``).
    package var countingWindowLengths: Set<Double> { probes.countingWindowLengths }
}

extension ConfigSource {
    /// Loads the configuration with `overrides` applied; throws ``ConfigErrors`` naming file, line and key.
    package func loadService(
        overrides: AlertingOverrides = AlertingOverrides(),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> ServiceConfig {
        ServiceConfig(probes: try load(overrides: overrides, environment: environment))
    }
}

import Yams

/// A loaded, validated configuration: global settings and fully resolved probes.
///
/// The `alerting` section is not validated here. Because `Yams.Node` is not `Sendable`, it is kept as
/// its raw source text (``alertingYAML``) and first line (``alertingLine``); ``alertingNode`` composes it
/// again with line numbers that match ``sourceFile``.
package struct SlaprobeConfig: Sendable, Equatable {
    /// Global settings.
    package var global: GlobalConfig
    /// The probes, in configuration order (or the three generated billing probes).
    package var probes: [ProbeConfig]
    /// The raw source lines of the top-level `alerting` section, starting with its `alerting:` key line.
    package var alertingYAML: String?
    /// The line of ``sourceFile`` on which ``alertingYAML`` starts.
    package var alertingLine: Int?
    /// The file the configuration came from (or `<command line>`).
    package var sourceFile: String

    /// Creates a configuration.
    package init(
        global: GlobalConfig,
        probes: [ProbeConfig],
        alertingYAML: String? = nil,
        alertingLine: Int? = nil,
        sourceFile: String
    ) {
        self.global = global
        self.probes = probes
        self.alertingYAML = alertingYAML
        self.alertingLine = alertingLine
        self.sourceFile = sourceFile
    }

    /// The value node of the `alerting` section, with marks matching the lines of ``sourceFile``;
    /// nil when there is no such section.
    package var alertingNode: Node? {
        guard let alertingYAML else {
            return nil
        }
        let padding = String(repeating: "\n", count: max(0, (alertingLine ?? 1) - 1))
        return (try? Yams.compose(yaml: padding + alertingYAML))?.mapping?["alerting"]
    }
}

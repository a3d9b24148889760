import Yams

/// A loaded, validated configuration: global settings and fully resolved probes.
///
/// The `alerting` section is not validated here. Because `Yams.Node` is not `Sendable`, it is kept as
/// its raw source text (``alertingYAML``) and first line (``alertingLine``); ``alertingNode`` composes it
/// again with line numbers that match ``sourceFile``.
public struct SlaprobeConfig: Sendable, Equatable {
    /// Global settings.
    public var global: GlobalConfig
    /// The probes, in configuration order (or the three generated billing probes).
    public var probes: [ProbeConfig]
    /// The raw source lines of the top-level `alerting` section, starting with its `alerting:` key line.
    public var alertingYAML: String?
    /// The line of ``sourceFile`` on which ``alertingYAML`` starts.
    public var alertingLine: Int?
    /// The file the configuration came from (or `<command line>`).
    public var sourceFile: String

    /// Creates a configuration.
    public init(
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
    public var alertingNode: Node? {
        guard let alertingYAML else {
            return nil
        }
        let padding = String(repeating: "\n", count: max(0, (alertingLine ?? 1) - 1))
        return (try? Yams.compose(yaml: padding + alertingYAML))?.mapping?["alerting"]
    }
}

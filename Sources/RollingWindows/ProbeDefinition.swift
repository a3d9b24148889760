import Config

/// A probe's configuration with the label sets rendered from it, immutable and shared by every snapshot.
package final class ProbeDefinition: Sendable {
    /// The probe's configuration.
    package let config: ProbeConfig
    /// Every label set of the probe's series.
    package let labelSets: ProbeLabelSets
    /// Whether the probe's URL is plain `http:` (no TLS phase).
    package let plainHTTP: Bool

    /// Renders the label sets of `config` for `windowLengths` (seconds).
    package init(_ config: ProbeConfig, windowLengths: [Double]) {
        self.config = config
        labelSets = ProbeLabelSets(probe: config, windowLengths: windowLengths)
        plainHTTP = !config.url.lowercased().hasPrefix("https:")
    }
}

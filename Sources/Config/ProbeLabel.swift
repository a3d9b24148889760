/// An extra static label added to every metric series of a probe, in configuration order.
package struct ProbeLabel: Sendable, Equatable {
    /// The label name, a valid Prometheus name that is not reserved by slaprobe.
    package var name: String
    /// The label value (never empty).
    package var value: String

    /// Creates a label.
    package init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

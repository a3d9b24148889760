/// An extra static label added to every metric series of a probe, in configuration order.
public struct ProbeLabel: Sendable, Equatable {
    /// The label name, a valid Prometheus name that is not reserved by slaprobe.
    public var name: String
    /// The label value (never empty).
    public var value: String

    /// Creates a label.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

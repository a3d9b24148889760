/// How the simulated event processor handles a completed checkout: how long the grant takes and how it fails.
package struct GrantFaults: Sendable, Equatable {
    /// Fixed processing delay between the webhook's acknowledgement and the grant, seconds.
    package var delay: Double
    /// Extra uniformly random processing delay, 0 up to this many seconds.
    package var jitter: Double
    /// When true, webhooks are acknowledged and their grants silently lost.
    package var dropGrants: Bool
    /// Share of grants whose processing fails after the acknowledgement, 0...1: the customer is never entitled.
    package var errorRate: Double

    /// Creates grant behaviour; the defaults give a healthy processor that grants within 20 to 50 ms.
    package init(delay: Double = 0.02, jitter: Double = 0.03, dropGrants: Bool = false, errorRate: Double = 0) {
        self.delay = delay
        self.jitter = jitter
        self.dropGrants = dropGrants
        self.errorRate = errorRate
    }
}

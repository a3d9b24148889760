/// Which probe runs get a line of their own in the log (`--log.results`).
package enum ResultLogMode: String, Sendable, CaseIterable {
    /// Every failed run (the default).
    case failures
    /// Every run, failed or not.
    case all
    /// None; the lines for a probe starting to fail and recovering stay.
    case none
}

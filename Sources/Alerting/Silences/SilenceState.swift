/// Where a silence is in its life, as Alertmanager names it.
package enum SilenceState: String, Sendable, Codable, CaseIterable {
    /// It starts later.
    case pending
    /// It holds matching alerts now.
    case active
    /// It has ended (or was expired); kept for ``SilenceStore/retention``, then dropped.
    case expired
}

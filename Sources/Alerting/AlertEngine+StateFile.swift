import Logging

extension AlertEngine {
    /// The saved state, or `nil` when there is none. A file that cannot be read as alert state (corrupt, cut
    /// short, from an unknown version) does not stop the start: it is moved aside, kept for a post-mortem, and a
    /// warning says so; alerting starts with no state, as on a first start.
    static func loadOrSetAside(
        _ store: AlertStateStore,
        now: Double,
        logger: Logger
    ) throws(AlertingError) -> AlertStateStore.Contents? {
        do {
            return try store.load()
        } catch .unreadableState(let path, let reason) {
            let movedTo = try store.setAside(now: now)
            logger.warning(
                "alert state file is unreadable, moved it aside and starting with no alert state",
                metadata: ["file": "\(path)", "moved_to": "\(movedTo)", "reason": "\(reason)"]
            )
            return nil
        }
    }
}

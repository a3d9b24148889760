import Config

extension AlertEngine {
    /// Whether a silence or an open maintenance window holds an alert with `labels` at `now`.
    func isHeld(_ labels: [String: String], at now: Double, windows: [MaintenanceWindow]) -> Bool {
        windows.contains { $0.mutes(labels, at: now) } || !silences.muting(labels, at: now).isEmpty
    }

    /// The entries with every pending or firing alert that is held at `now` shown as suppressed, naming what
    /// holds it.
    func markHeld(_ snapshots: [AlertStateSnapshot], at now: Double) -> [AlertStateSnapshot] {
        let windows = maintenanceWindows.withLock { $0 }
        return snapshots.map { snapshot in
            let underlying = snapshot.state == .nodata ? snapshot.heldState : snapshot.state
            guard underlying == .pending || underlying == .firing else { return snapshot }
            var entry = snapshot
            entry.silencedBy = silences.muting(snapshot.labels, at: now)
            entry.mutedBy = windows.filter { $0.mutes(snapshot.labels, at: now) }.map(\.name)
            guard !entry.silencedBy.isEmpty || !entry.mutedBy.isEmpty else { return snapshot }
            entry.state = .suppressed
            entry.heldState = underlying
            return entry
        }
    }
}

import Config
import FoundationEssentials
import HTTPClient
import Locking
import Logging
import RollingWindows

/// The alerting module as the service uses it: the ``AlertEvaluator``, one ``NotificationDispatcher`` per
/// receiver, the durable ``Outbox`` and the ``Notifier``, with the state persisted after every change.
///
/// The service calls ``evaluate(_:now:)`` every evaluation interval (on ``disk``: it writes files), runs the
/// engine and its ``notifier`` as services, and reads ``alertsJSON()``, ``alertGaugeRows()`` and
/// ``notificationMetrics()`` for its endpoints. `evaluate` never waits for a receiver: it only writes
/// notifications to the outbox. The engine's own ``run()`` is the ticker that flushes notification groups.
package final class AlertEngine: Sendable {
    private struct State {
        var config: AlertingConfig
        var evaluator: AlertEvaluator
        var dispatchers: [String: NotificationDispatcher]
        /// `fingerprint/status` of the outgoing alerts held at the last evaluation, to count each hold once.
        var held: Set<String> = []
        /// Per receiver, notifications withheld (`slaprobe_notifications_suppressed_total`).
        var suppressed: [String: Int] = [:]
        /// What the state file holds (with `savedAt` zero), so that an evaluation that changed nothing writes
        /// nothing: a quiet process then does no disk write and `fsync` every evaluation interval.
        var saved: AlertStateStore.Contents?
    }

    private let state: Locked<State>
    private let published: Locked<(snapshots: [AlertStateSnapshot], gauge: [AlertGaugeRow])>
    private let store: AlertStateStore?
    private let logger: Logger
    package let clock: @Sendable () -> Double
    /// What the flush ticker waits on.
    let timer: any Clock<Duration>
    /// The thread that writes the outbox and the state file; ``evaluate(_:now:)`` and ``flush(now:)`` run here.
    package let disk = DiskQueue()
    /// The outbox notifications are written to.
    package let outbox: Outbox
    /// The delivery workers.
    package let notifier: Notifier
    /// Rung when an evaluation or a reload may have changed when the next notification group is due.
    let flushBell = Doorbell()
    /// The silences of the `/api/v2/silences` API, persisted beside the alert state.
    package let silences: SilenceStore
    /// The configured maintenance windows, read on every evaluation and by ``alerts()``.
    let maintenanceWindows: Locked<[MaintenanceWindow]>

    /// Creates the engine from a validated configuration: opens the outbox and restores persisted alert state.
    ///
    /// - Parameters:
    ///   - expectedProbes: probes that should report; one missing from an evaluation raises `SlaprobeNoData`.
    ///   - transfers: the libcurl loop deliveries go through; its owner starts and stops it.
    ///   - clock: Unix seconds now, for the flush ticker and delivery timing.
    ///   - timer: what the flush ticker waits on between flushes.
    package init(
        config: AlertingConfig,
        expectedProbes: Set<String> = [],
        transfers: TransferLoop,
        logger: Logger = Logger(label: "slaprobe.alerting"),
        clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 },
        timer: any Clock<Duration> = ContinuousClock()
    ) throws(AlertingError) {
        self.logger = logger
        self.clock = clock
        self.timer = timer
        self.outbox = try Outbox(config: config.outbox, logger: logger)
        self.notifier = Notifier(
            receivers: config.receivers,
            policy: config.delivery,
            outbox: outbox,
            transfers: transfers,
            logger: logger,
            clock: clock,
            disk: disk
        )
        var evaluator = AlertEvaluator(config: config, expectedProbes: expectedProbes)
        var dispatchers: [String: NotificationDispatcher] = [:]
        for receiver in config.receivers { dispatchers[receiver.name] = NotificationDispatcher() }
        self.store = config.stateFile.map { AlertStateStore(path: $0) }
        self.silences = SilenceStore(path: config.silencesFile, now: clock(), logger: logger)
        self.maintenanceWindows = Locked(config.maintenanceWindows)
        if let store, let contents = try Self.loadOrSetAside(store, now: clock(), logger: logger) {
            evaluator.restore(contents.evaluator)
            for (name, dispatcher) in contents.dispatchers where dispatchers[name] != nil {
                dispatchers[name] = dispatcher
            }
            logger.info(
                "restored alert state",
                metadata: ["file": "\(store.path)", "alerts": "\(contents.evaluator.alerts.count)"]
            )
        }
        // The outbox is written before the state file: a notification found there after a crash was handed off,
        // even if the saved state does not know it yet. Recording it keeps a restart from paging a second time.
        for receiver in outbox.receivers {
            for entry in outbox.pending(receiver: receiver) {
                dispatchers[receiver]?.acknowledgeQueued(
                    groupKey: entry.groupKey,
                    status: entry.status,
                    fingerprints: entry.fingerprints,
                    at: entry.createdAt
                )
            }
        }
        self.state = Locked(State(config: config, evaluator: evaluator, dispatchers: dispatchers))
        self.published = Locked((evaluator.stateSnapshots(), evaluator.gaugeRows()))
    }

    /// Runs one evaluation at `now` (Unix seconds): updates alert states, hands the alerts to every receiver's
    /// dispatcher, writes due notifications to the outbox and persists the state. Returns the firing and recently
    /// resolved alerts.
    ///
    /// Alerts that a silence or maintenance window holds at `now` are handed to no receiver (each newly held one
    /// counts as suppressed for every receiver); once released, one still firing is notified as usual.
    @discardableResult
    package func evaluate(_ snapshots: [ProbeSnapshot], now: Double) -> [OutgoingAlert] {
        let deadLetters = outbox.lastDeadLetterTimes
        silences.prune(now: now)
        let windows = maintenanceWindows.withLock { $0 }
        return state.withLock { state in
            let alerts = state.evaluator.evaluate(snapshots, now: now, deadLetters: deadLetters)
            let heldAlerts = alerts.filter { isHeld($0.labels, at: now, windows: windows) }
            let muted = Set(heldAlerts.map(\.fingerprint))
            let held = Set(heldAlerts.map { "\($0.fingerprint)/\($0.status.rawValue)" })
            let newlyHeld = held.subtracting(state.held).count
            state.held = held
            var notifications: [PreparedNotification] = []
            let flushDue = Self.nextFlushAt(state)
            for receiver in state.config.receivers {
                state.suppressed[receiver.name, default: 0] += newlyHeld
                let policy = policy(for: receiver, config: state.config)
                notifications += state.dispatchers[receiver.name, default: NotificationDispatcher()]
                    .receive(alerts, muted: muted, now: now, policy: policy)
                notifications += state.dispatchers[receiver.name, default: NotificationDispatcher()]
                    .flush(now: now, policy: policy)
            }
            commit(&state, notifications, now: now)
            // The flush ticker sleeps until the earliest group is due: it needs waking only if that changed.
            if Self.nextFlushAt(state) != flushDue { flushBell.ring() }
            return alerts
        }
    }

    /// When the earliest notification group is due to be flushed (Unix seconds), if any is waiting.
    package var nextFlushAt: Double? {
        state.withLock { Self.nextFlushAt($0) }
    }

    private static func nextFlushAt(_ state: State) -> Double? {
        state.config.receivers.compactMap { state.dispatchers[$0.name]?.nextFlushAt }.min()
    }

    /// Flushes notification groups that are due at `now`; the ticker (``run()``) calls this, tests call it directly.
    package func flush(now: Double) {
        state.withLock { state in
            var notifications: [PreparedNotification] = []
            for receiver in state.config.receivers {
                guard let due = state.dispatchers[receiver.name]?.nextFlushAt, due <= now else { continue }
                notifications += state.dispatchers[receiver.name, default: NotificationDispatcher()]
                    .flush(now: now, policy: policy(for: receiver, config: state.config))
            }
            guard !notifications.isEmpty else { return }
            commit(&state, notifications, now: now)
        }
    }

    /// Applies a reloaded configuration, keeping alert and notification state.
    package func update(config: AlertingConfig, expectedProbes: Set<String>) throws(AlertingError) {
        state.withLock { state in
            let persisted = state.evaluator.persistentState
            state.evaluator = AlertEvaluator(config: config, expectedProbes: expectedProbes)
            state.evaluator.restore(persisted)
            var dispatchers: [String: NotificationDispatcher] = [:]
            for receiver in config.receivers {
                dispatchers[receiver.name] = state.dispatchers[receiver.name] ?? NotificationDispatcher()
            }
            state.dispatchers = dispatchers
            state.config = config
        }
        maintenanceWindows.withLock { $0 = config.maintenanceWindows }
        notifier.update(receivers: config.receivers, policy: config.delivery)
        flushBell.ring()
    }

    /// Every alert and no-data pair, for `/api/v1/alerts`; a pending or firing alert that a silence or
    /// maintenance window holds now is shown as ``AlertState/suppressed``.
    package func alerts() -> [AlertStateSnapshot] {
        markHeld(published.withLock { $0.snapshots }, at: clock())
    }

    /// Per receiver, how many notifications silences and maintenance windows withheld.
    package func suppressedNotifications() -> [(receiver: String, count: Int)] {
        state.withLock { state in state.config.receivers.map { ($0.name, state.suppressed[$0.name] ?? 0) } }
    }

    /// The `/api/v1/alerts` response body: `{"status":"success","data":{"alerts":[…]}}`.
    package func alertsJSON() -> [UInt8] { AlertsDocument(alerts()).encoded() }

    /// The series of `slaprobe_alerts{alertname,probe,alertstate}`, each with value 1.
    package func alertGaugeRows() -> [AlertGaugeRow] { published.withLock { $0.gauge } }

    /// Delivery counters per receiver.
    package func notificationMetrics() -> [NotificationMetrics] { notifier.metrics() }

    private func policy(for receiver: ReceiverConfig, config: AlertingConfig) -> NotificationDispatcher.Policy {
        NotificationDispatcher.Policy(
            receiver: receiver,
            grouping: config.grouping,
            evaluationInterval: config.evaluationInterval,
            resendDelay: config.resendDelay,
            externalURL: config.externalURL
        )
    }

    /// Outbox first, then state: a crash in between re-sends (at least once) rather than loses a notification.
    private func commit(_ state: inout State, _ notifications: [PreparedNotification], now: Double) {
        for notification in notifications {
            do {
                let entry = try outbox.enqueue(notification, now: now)
                logger.info(
                    "notification queued",
                    metadata: [
                        "receiver": "\(entry.receiver)", "id": "\(entry.id)", "group": "\(entry.groupKey)",
                        "status": "\(entry.status)", "alerts": "\(entry.fingerprints.count)",
                    ]
                )
            } catch {
                logger.error(
                    "cannot queue notification: \(error)",
                    metadata: ["receiver": "\(notification.receiver)", "group": "\(notification.groupKey)"]
                )
            }
        }
        if let store {
            var contents = AlertStateStore.Contents(
                version: 1,
                savedAt: 0,
                evaluator: state.evaluator.persistentState,
                dispatchers: state.dispatchers
            )
            if contents != state.saved {
                let unchanged = contents
                contents.savedAt = now
                do {
                    try store.save(contents)
                    state.saved = unchanged
                } catch {
                    logger.error("cannot persist alert state: \(error)")
                }
            }
        }
        let snapshots = state.evaluator.stateSnapshots()
        let gauge = state.evaluator.gaugeRows()
        published.withLock { $0 = (snapshots, gauge) }
    }
}

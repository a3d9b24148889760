import Config
import FoundationEssentials
import HTTPClient
import Locking
import Logging
import ServiceLifecycle

/// Delivers the outbox's notifications through libcurl, one worker per receiver.
///
/// Each receiver's notifications go out in order, one at a time (a resolve never overtakes its firing), and a
/// slow or failing receiver holds up only itself: evaluation and other receivers go on. Attempts that time out,
/// fail to connect, or get 5xx, 408 or 429 are retried with capped exponential backoff and jitter, honouring
/// `Retry-After`; other answers, the retry budget running out, or the notification outliving
/// ``DeliveryPolicy/maxAge`` make it a dead letter. The `webhook-id` is the notification's id on every attempt.
///
/// A `Service`: its ``run()`` is its life. The workers run inside it and end with it, at graceful shutdown; an
/// attempt in flight finishes first (bounded by its timeout). Outbox files are written on a ``DiskQueue``.
package final class Notifier: Service, Sendable {
    private struct Counters {
        var sent = 0
        var failed = 0
    }

    private struct State {
        var receivers: [String: ReceiverConfig] = [:]
        var counters: [String: Counters] = [:]
        /// Receivers whose worker is running.
        var working: Set<String> = []
    }

    private let outbox: Outbox
    private let transfers: TransferLoop
    private let logger: Logger
    private let clock: @Sendable () -> Double
    private let state: Locked<State>
    private let policy: Locked<DeliveryPolicy>
    private let disk: DiskQueue
    /// Receivers that need a worker: every receiver at start, then those a reload adds.
    private let workerRequests: AsyncStream<String>
    private let requestWorker: AsyncStream<String>.Continuation

    /// Creates a notifier; ``run()`` delivers. `transfers` is started and stopped by its owner; `disk` runs the
    /// outbox writes (share it with whatever else writes to `outbox`).
    package init(
        receivers: [ReceiverConfig],
        policy: DeliveryPolicy,
        outbox: Outbox,
        transfers: TransferLoop,
        logger: Logger = Logger(label: "slaprobe.alerting.notifier"),
        clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 },
        disk: DiskQueue = DiskQueue()
    ) {
        self.outbox = outbox
        self.disk = disk
        (workerRequests, requestWorker) = AsyncStream.makeStream(of: String.self)
        self.transfers = transfers
        self.logger = logger
        self.clock = clock
        self.policy = Locked(policy)
        var initial = State()
        for receiver in receivers {
            initial.receivers[receiver.name] = receiver
            initial.counters[receiver.name] = Counters()
        }
        self.state = Locked(initial)
    }

    /// Delivers until graceful shutdown or cancellation: one worker per receiver, in order, one notification at a
    /// time. Notifications left in the outbox for receivers no longer configured are dead-lettered first, with a
    /// log line each. Undelivered notifications stay in the outbox for the next run.
    package func run() async throws {
        let now = clock()
        let names = state.withLock { $0.receivers.keys.sorted() }
        await disk.run { [outbox] in
            for orphan in outbox.receivers where !names.contains(orphan) {
                for entry in outbox.pending(receiver: orphan) {
                    outbox.deadLetter(entry, reason: "receiver \(orphan) is no longer configured", now: now)
                }
            }
        }
        for name in names { requestWorker.yield(name) }
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                for await name in self.workerRequests {
                    let start = self.state.withLock { $0.working.insert(name).inserted }
                    guard start else { continue }
                    group.addTask { await self.runWorker(name) }
                }
            }
        }
    }

    /// Replaces the receivers and the delivery policy (configuration reload). Workers of removed receivers end
    /// before their next attempt; their pending notifications stay on disk and are dead-lettered at the next run
    /// if still unconfigured.
    package func update(receivers: [ReceiverConfig], policy newPolicy: DeliveryPolicy) {
        policy.withLock { $0 = newPolicy }
        let (added, removed) = state.withLock { state -> ([String], [String]) in
            let names = Set(receivers.map(\.name))
            let removed = state.receivers.keys.filter { !names.contains($0) }
            state.receivers = Dictionary(uniqueKeysWithValues: receivers.map { ($0.name, $0) })
            for name in names where state.counters[name] == nil { state.counters[name] = Counters() }
            return (receivers.map(\.name).filter { !state.working.contains($0) }, removed)
        }
        for name in added { requestWorker.yield(name) }
        // A removed receiver's idle worker wakes, finds it gone and ends.
        for name in removed { outbox.doorbell(receiver: name).ring() }
    }

    /// Delivery counters per configured receiver, ordered by name.
    package func metrics() -> [NotificationMetrics] {
        let deadLetters = outbox.deadLetterCounts
        return state.withLock { state in
            state.receivers.keys.sorted().map { name in
                let counters = state.counters[name] ?? Counters()
                return NotificationMetrics(
                    receiver: name,
                    sent: counters.sent,
                    failed: counters.failed,
                    queueLength: outbox.count(receiver: name),
                    deadLetters: deadLetters[name] ?? 0
                )
            }
        }
    }

    private func runWorker(_ name: String) async {
        while !Task.isCancelled {
            let policy = self.policy.withLock { $0 }
            // A removed receiver's worker ends, unregistering under the same lock a reload adds receivers under.
            let receiver = state.withLock { state -> ReceiverConfig? in
                guard let receiver = state.receivers[name] else {
                    state.working.remove(name)
                    return nil
                }
                return receiver
            }
            guard let receiver else { return }
            guard let entry = outbox.oldest(receiver: name) else {
                // Nothing to send: sleep until the outbox rings (an enqueue, or a reload that removed this
                // receiver), not on a timer.
                await outbox.doorbell(receiver: name).wait()
                continue
            }
            let now = clock()
            if now - entry.createdAt > policy.maxAge {
                let reason = "older than \(EvidenceFormat.duration(policy.maxAge)) after \(entry.attempts) attempts"
                await disk.run { [outbox] in outbox.deadLetter(entry, reason: reason, now: now) }
                continue
            }
            if entry.nextAttemptAt > now {
                // Notifications behind this one wait for it, so only its retry time matters; the cap re-reads the
                // clock now and then in case wall time jumped.
                await sleep(min(entry.nextAttemptAt - now, Self.longestSleep))
                continue
            }
            await attempt(entry, receiver: receiver, policy: policy)
        }
    }

    private func attempt(_ original: OutboxEntry, receiver: ReceiverConfig, policy: DeliveryPolicy) async {
        var entry = original
        let body = Array(entry.body.utf8)
        let sentAt = clock()
        var headers: [(name: String, value: String)] = [
            ("Content-Type", "application/json"),
            ("User-Agent", "slaprobe-alerting/1"),
        ]
        for name in receiver.headers.keys.sorted() { headers.append((name, receiver.headers[name]!)) }
        if case .none = receiver.signing { headers.append(("webhook-id", entry.id)) }
        headers += WebhookSigner.headers(for: receiver.signing, id: entry.id, timestamp: Int(sentAt), body: body)
        let request = ClientRequest(
            url: receiver.endpoint,
            method: "POST",
            headers: headers,
            body: body,
            timeout: .milliseconds(Int64(receiver.timeout * 1000)),
            maxBodyBytes: 64 * 1024,
            freshConnection: false
        )
        let result = await transfers.perform(request)
        let now = clock()
        let outcome = DeliveryOutcome(
            status: result.status,
            errorKind: result.error?.kind.rawValue,
            errorMessage: result.error.map { redact($0.message, receiver: receiver) },
            retryAfterHeader: result.header("Retry-After"),
            now: now
        )
        entry.attempts += 1
        await disk.run { [self, entry] in
            record(outcome, of: entry, receiver: receiver, policy: policy, now: now)
        }
    }

    /// Counts an attempt's outcome and writes it to the outbox: removes a delivered notification, dead-letters a
    /// rejected one, or records when to retry. Blocks on the file system: runs on the ``DiskQueue``.
    private func record(
        _ outcome: DeliveryOutcome,
        of attempted: OutboxEntry,
        receiver: ReceiverConfig,
        policy: DeliveryPolicy,
        now: Double
    ) {
        var entry = attempted
        let metadata: Logger.Metadata = [
            "receiver": "\(receiver.name)", "url": "\(receiver.redactedURL)", "id": "\(entry.id)",
            "attempt": "\(entry.attempts)", "group": "\(entry.groupKey)", "status": "\(entry.status)",
        ]
        switch outcome {
        case .interrupted:
            return
        case .delivered(let status):
            count(receiver.name) { $0.sent += 1 }
            do {
                try outbox.remove(entry)
            } catch {
                logger.error(
                    "delivered notification could not be removed from the outbox: \(error)",
                    metadata: metadata
                )
            }
            logger.info("notification delivered (HTTP \(status))", metadata: metadata)
        case .reject(let reason):
            count(receiver.name) { $0.failed += 1 }
            entry.lastError = reason
            outbox.deadLetter(entry, reason: "\(reason), not retried", now: now)
        case .retry(let reason, let retryAfter):
            count(receiver.name) { $0.failed += 1 }
            entry.lastError = reason
            guard entry.attempts < policy.maxAttempts else {
                outbox.deadLetter(entry, reason: "\(reason) after \(entry.attempts) attempts", now: now)
                return
            }
            let delay =
                retryAfter.map { min($0, policy.maxRetryAfter) }
                ?? policy.backoff(afterAttempt: entry.attempts, random: Double.random(in: 0..<1))
            entry.nextAttemptAt = now + delay
            logger.warning(
                "notification delivery failed, retrying in \(EvidenceFormat.number(delay))s: \(reason)",
                metadata: metadata
            )
            do {
                try outbox.update(entry)
            } catch {
                logger.error("cannot record the failed attempt in the outbox: \(error)", metadata: metadata)
            }
        }
    }

    private func count(_ name: String, _ change: (inout Counters) -> Void) {
        state.withLock { change(&$0.counters[name, default: Counters()]) }
    }

    private func redact(_ message: String, receiver: ReceiverConfig) -> String {
        var text = message.replacing(receiver.endpoint, with: receiver.redactedURL)
        text = text.replacing(receiver.url, with: receiver.redactedURL)
        if let components = URLComponents(string: receiver.url) {
            for part in [components.password, components.user, components.query] {
                if let part, !part.isEmpty { text = text.replacing(part, with: "<redacted>") }
            }
        }
        return text
    }

    /// The longest a worker sleeps before reading the clock again while a notification waits for its retry time.
    static let longestSleep = 60.0

    private func sleep(_ seconds: Double) async {
        try? await Task.sleep(for: .milliseconds(Int64(max(1, seconds * 1000))))
    }
}

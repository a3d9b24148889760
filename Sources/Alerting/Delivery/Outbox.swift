import Config
import FoundationEssentials
import Locking
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The durable queue of notifications: one file per notification under `pending/`, written atomically before
/// delivery starts and deleted after it succeeds, so a `kill -9` loses nothing; a restart delivers what is left.
///
/// Each receiver's queue is bounded: past ``OutboxConfig/maxEntriesPerReceiver`` its oldest notification is moved
/// to `dead/` with a log line. Dead letters are counted per receiver and raise `SlaprobeNotificationsDeadLettered`.
///
/// Each receiver has a ``Doorbell`` that ``enqueue(_:now:)`` rings, so its delivery worker sleeps until there is
/// something to send instead of polling.
package final class Outbox: Sendable {
    private struct State {
        var queues: [String: [OutboxEntry]] = [:]
        var nextSequence: UInt64 = 0
        var deadLetters: [String: Int] = [:]
        var lastDeadLetterAt: [String: Double] = [:]
    }

    private let config: OutboxConfig
    private let logger: Logger
    private let state: Locked<State>
    private let pendingDirectory: String
    private let deadDirectory: String
    private let doorbells = Locked([String: Doorbell]())

    /// Opens (creating if needed) the outbox directory and loads every pending notification in it.
    package init(config: OutboxConfig, logger: Logger = Logger(label: "slaprobe.alerting.outbox")) throws(AlertingError)
    {
        self.config = config
        self.logger = logger
        self.pendingDirectory = config.directory + "/pending"
        self.deadDirectory = config.directory + "/dead"
        try AtomicFile.makeDirectory(pendingDirectory)
        try AtomicFile.makeDirectory(deadDirectory)
        var loaded = State()
        var highest: UInt64 = 0
        let decoder = JSONDecoder()
        for name in AtomicFile.list(pendingDirectory) {
            let path = "\(pendingDirectory)/\(name)"
            if name.hasPrefix(".") {
                // A temporary file from a write that never completed: its notification was never enqueued.
                try? AtomicFile.remove(path)
                continue
            }
            guard let bytes = AtomicFile.load(path),
                let entry = try? decoder.decode(OutboxEntry.self, from: Data(bytes))
            else {
                logger.error("outbox file is unreadable, moving it to dead letters", metadata: ["file": "\(name)"])
                rename(path, "\(deadDirectory)/\(name)")
                continue
            }
            loaded.queues[entry.receiver, default: []].append(entry)
            highest = max(highest, entry.sequence)
        }
        for key in loaded.queues.keys { loaded.queues[key]?.sort { $0.sequence < $1.sequence } }
        let clockBased = UInt64(max(0, Date().timeIntervalSince1970 * 1_000_000))
        loaded.nextSequence = max(highest + 1, clockBased)
        self.state = Locked(loaded)
        let count = loaded.queues.values.reduce(0) { $0 + $1.count }
        if count > 0 {
            logger.info("outbox holds notifications from before the restart", metadata: ["count": "\(count)"])
        }
    }

    /// Stores a notification durably and returns its entry. When the receiver's queue is full, its oldest
    /// notification is dead-lettered first.
    @discardableResult
    package func enqueue(_ notification: PreparedNotification, now: Double) throws(AlertingError) -> OutboxEntry {
        let result: Result<OutboxEntry, AlertingError> = state.withLock { state in
            let entry = OutboxEntry(
                id: "msg_" + UUID().uuidString.lowercased().replacing("-", with: ""),
                receiver: notification.receiver,
                sequence: state.nextSequence,
                createdAt: now,
                groupKey: notification.groupKey,
                status: notification.status,
                fingerprints: notification.fingerprints,
                body: String(decoding: notification.body, as: UTF8.self),
                attempts: 0,
                nextAttemptAt: now
            )
            state.nextSequence += 1
            do throws(AlertingError) {
                try AtomicFile.store(Self.encode(entry), at: "\(pendingDirectory)/\(entry.fileName)")
            } catch {
                return .failure(error)
            }
            state.queues[entry.receiver, default: []].append(entry)
            while let queue = state.queues[entry.receiver], queue.count > config.maxEntriesPerReceiver {
                let oldest = queue[0]
                moveToDead(&state, oldest, reason: "outbox full (\(config.maxEntriesPerReceiver) entries)", now: now)
            }
            return .success(entry)
        }
        let entry = try result.get()
        doorbell(receiver: entry.receiver).ring()
        return entry
    }

    /// The doorbell rung when a notification for `receiver` is enqueued.
    package func doorbell(receiver: String) -> Doorbell {
        doorbells.withLock { bells in
            if let bell = bells[receiver] { return bell }
            let bell = Doorbell()
            bells[receiver] = bell
            return bell
        }
    }

    /// The oldest pending notification of a receiver.
    package func oldest(receiver: String) -> OutboxEntry? {
        state.withLock { $0.queues[receiver]?.first }
    }

    /// All pending notifications of a receiver, oldest first.
    package func pending(receiver: String) -> [OutboxEntry] {
        state.withLock { $0.queues[receiver] ?? [] }
    }

    /// Receivers that have pending notifications.
    package var receivers: [String] {
        state.withLock { $0.queues.filter { !$0.value.isEmpty }.keys.sorted() }
    }

    /// Pending notifications of a receiver.
    package func count(receiver: String) -> Int {
        state.withLock { $0.queues[receiver]?.count ?? 0 }
    }

    /// Records a failed attempt (attempt count, next time, error) durably.
    package func update(_ entry: OutboxEntry) throws(AlertingError) {
        let result: Result<Void, AlertingError> = state.withLock { state in
            guard let index = state.queues[entry.receiver]?.firstIndex(where: { $0.id == entry.id }) else {
                return .success(())
            }
            do throws(AlertingError) {
                try AtomicFile.store(Self.encode(entry), at: "\(pendingDirectory)/\(entry.fileName)")
            } catch {
                return .failure(error)
            }
            state.queues[entry.receiver]?[index] = entry
            return .success(())
        }
        try result.get()
    }

    /// Removes a delivered notification.
    package func remove(_ entry: OutboxEntry) throws(AlertingError) {
        let result: Result<Void, AlertingError> = state.withLock { state in
            state.queues[entry.receiver]?.removeAll { $0.id == entry.id }
            do throws(AlertingError) {
                try AtomicFile.remove("\(pendingDirectory)/\(entry.fileName)")
            } catch {
                return .failure(error)
            }
            return .success(())
        }
        try result.get()
    }

    /// Gives up on a notification: moves its file to `dead/`, counts and logs it.
    package func deadLetter(_ entry: OutboxEntry, reason: String, now: Double) {
        state.withLock { state in moveToDead(&state, entry, reason: reason, now: now) }
    }

    /// Dead letters per receiver since start.
    package var deadLetterCounts: [String: Int] { state.withLock { $0.deadLetters } }

    /// When each receiver last had a notification dead-lettered.
    package var lastDeadLetterTimes: [String: Double] { state.withLock { $0.lastDeadLetterAt } }

    private func moveToDead(_ state: inout State, _ entry: OutboxEntry, reason: String, now: Double) {
        state.queues[entry.receiver]?.removeAll { $0.id == entry.id }
        var dead = entry
        dead.lastError = reason
        let name = entry.fileName
        if (try? AtomicFile.store(Self.encode(dead), at: "\(deadDirectory)/\(name)")) == nil {
            logger.error("cannot write dead letter file", metadata: ["file": "\(name)"])
        }
        try? AtomicFile.remove("\(pendingDirectory)/\(name)")
        state.deadLetters[entry.receiver, default: 0] += 1
        state.lastDeadLetterAt[entry.receiver] = now
        logger.error(
            "notification dead-lettered",
            metadata: [
                "receiver": "\(entry.receiver)", "id": "\(entry.id)", "group": "\(entry.groupKey)",
                "status": "\(entry.status)", "attempts": "\(entry.attempts)", "reason": "\(reason)",
            ]
        )
        let files = AtomicFile.list(deadDirectory).filter { !$0.hasPrefix(".") }
        if files.count > config.maxDeadLetterFiles {
            for old in files.prefix(files.count - config.maxDeadLetterFiles) {
                try? AtomicFile.remove("\(deadDirectory)/\(old)")
                logger.warning("removed old dead letter file (already counted)", metadata: ["file": "\(old)"])
            }
        }
    }

    private static func encode(_ entry: OutboxEntry) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(entry)) ?? Data())
    }
}

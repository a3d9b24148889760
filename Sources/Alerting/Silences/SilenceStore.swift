import Config
import FoundationEssentials
import Locking
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The silences, in memory and in one JSON file (written atomically before a change is answered, so a
/// silence acknowledged to `amtool` survives `kill -9`).
///
/// Created by the ``AlertEngine``; the web server's threads change it through the API (they may block on the
/// disk, they are not the cooperative pool), the evaluation reads it. Expired silences are kept for
/// ``retention`` and then dropped, as Alertmanager does.
package final class SilenceStore: Sendable {
    /// How long an expired silence is kept: 5 days, Alertmanager's default `--data.retention`.
    package static let retention: Double = 5 * 86_400

    private struct File: Codable {
        var version: Int
        var silences: [Silence]
    }

    private let silences: Locked<[String: Silence]>
    /// Where the silences are kept; `nil` keeps them in memory only.
    package let path: String?

    /// Loads the silences from `path` (if given and present). A file that cannot be read is moved aside to
    /// `<path>.corrupt-<unix time>` with a warning, and the store starts empty.
    package init(path: String?, now: Double, logger: Logger = Logger(label: "slaprobe.alerting")) {
        self.path = path
        var loaded: [String: Silence] = [:]
        if let path, let bytes = AtomicFile.load(path) {
            do {
                let file = try JSONDecoder().decode(File.self, from: Data(bytes))
                guard file.version == 1 else { throw AlertingError.unreadableState(path: path, reason: "version") }
                for silence in file.silences where now - silence.endsAt <= Self.retention {
                    loaded[silence.id] = silence
                }
            } catch {
                let target = "\(path).corrupt-\(Int(now))"
                rename(path, target)
                logger.warning(
                    "silences file is unreadable, moved it aside and starting with no silences",
                    metadata: [
                        "file": "\(path)", "moved_to": "\(target)", "reason": "\(AlertStateStore.plainReason(error))",
                    ]
                )
            }
        }
        silences = Locked(loaded)
    }

    /// Every silence kept, active ones first (by end), then pending (by start), then expired (latest first).
    package func all(at now: Double) -> [Silence] {
        let list = silences.withLock { Array($0.values) }
        func key(_ silence: Silence) -> (Int, Double, String) {
            switch silence.state(at: now) {
            case .active: return (0, silence.endsAt, silence.id)
            case .pending: return (1, silence.startsAt, silence.id)
            case .expired: return (2, -silence.endsAt, silence.id)
            }
        }
        return list.sorted { key($0) < key($1) }
    }

    /// The silence with this id.
    package func silence(id: String) throws(SilenceError) -> Silence {
        guard let silence = silences.withLock({ $0[id] }) else { throw .notFound(id) }
        return silence
    }

    /// Creates a silence, or updates the one named by the request's id, as Alertmanager does: a silence that
    /// has not started, or an active one whose matchers and start stay the same, is changed in place; otherwise
    /// the old one is expired (if it was not) and a new one with a new id replaces it. Saved before it returns.
    ///
    /// - Returns: the id of the silence that now holds the request.
    package func upsert(_ request: SilenceRequest, now: Double) throws(SilenceError) -> String {
        try request.validate(now: now)
        var request = request
        // A start in the past means now, as in Alertmanager.
        if request.startsAt < now { request.startsAt = now }
        return try change { silences throws(SilenceError) -> String in
            var newSilence = Silence(
                id: UUID().uuidString.lowercased(),
                matchers: request.matchers,
                startsAt: request.startsAt,
                endsAt: request.endsAt,
                updatedAt: now,
                createdBy: request.createdBy,
                comment: request.comment
            )
            if let id = request.id {
                guard var existing = silences[id] else { throw .notFound(id) }
                let state = existing.state(at: now)
                let inPlace =
                    state == .pending
                    || (state == .active && existing.matchers == request.matchers
                        && (request.startsAt <= now || request.startsAt == existing.startsAt))
                if inPlace {
                    newSilence.id = id
                    if state == .active { newSilence.startsAt = existing.startsAt }
                    silences[id] = newSilence
                    return id
                }
                if state != .expired {
                    existing.endsAt = now
                    existing.updatedAt = now
                    silences[id] = existing
                }
            }
            silences[newSilence.id] = newSilence
            return newSilence.id
        }
    }

    /// Expires a silence now: an active one ends now, a pending one never starts. Expiring an expired silence
    /// changes nothing and succeeds (a `DELETE` is idempotent; Alertmanager answers 500 there, which amtool 0.25
    /// cannot even print).
    package func expire(id: String, now: Double) throws(SilenceError) {
        try change { silences throws(SilenceError) in
            guard var silence = silences[id] else { throw .notFound(id) }
            switch silence.state(at: now) {
            case .expired:
                return
            case .pending:
                silence.startsAt = now
                silence.endsAt = now
            case .active:
                silence.endsAt = now
            }
            silence.updatedAt = now
            silences[id] = silence
        }
    }

    /// Drops silences expired for longer than ``retention``.
    package func prune(now: Double) {
        let stale = silences.withLock { $0.values.contains { now - $0.endsAt > Self.retention } }
        guard stale else { return }
        try? change { silences throws(SilenceError) in
            silences = silences.filter { now - $0.value.endsAt <= Self.retention }
        }
    }

    /// The ids of the silences that hold an alert with `labels` at `now`, sorted.
    package func muting(_ labels: [String: String], at now: Double) -> [String] {
        silences.withLock { $0.values.filter { $0.mutes(labels, at: now) }.map(\.id).sorted() }
    }

    /// How many silences are in each state at `now`; every state is present.
    package func counts(at now: Double) -> [SilenceState: Int] {
        var counts = Dictionary(uniqueKeysWithValues: SilenceState.allCases.map { ($0, 0) })
        for silence in silences.withLock({ Array($0.values) }) { counts[silence.state(at: now), default: 0] += 1 }
        return counts
    }

    /// Applies a change and saves the result under the lock, so writes reach the file in order; the change is
    /// kept only when it was saved.
    private func change<Result>(
        _ body: (inout [String: Silence]) throws(SilenceError) -> Result
    ) throws(SilenceError) -> Result {
        let outcome: Swift.Result<Result, SilenceError> = silences.withLock { silences in
            var copy = silences
            let result: Result
            do throws(SilenceError) {
                result = try body(&copy)
            } catch {
                return .failure(error)
            }
            if let path {
                do {
                    try save(copy, to: path)
                } catch {
                    return .failure(.storage("\(error)"))
                }
            }
            silences = copy
            return .success(result)
        }
        return try outcome.get()
    }

    private func save(_ silences: [String: Silence], to path: String) throws(AlertingError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let file = File(version: 1, silences: silences.values.sorted { ($0.startsAt, $0.id) < ($1.startsAt, $1.id) })
        guard let data = try? encoder.encode(file) else {
            throw .file(operation: "encode silences for", path: path, reason: "encoding failed")
        }
        try AtomicFile.makeDirectory(AtomicFile.parent(of: path))
        try AtomicFile.store(Array(data), at: path)
    }
}

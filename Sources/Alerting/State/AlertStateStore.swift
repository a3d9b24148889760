import Foundation

/// Persists the evaluator's alerts and the receivers' notification state to one JSON file, atomically.
struct AlertStateStore: Sendable {
    struct Contents: Sendable, Codable, Equatable {
        var version: Int
        var savedAt: Double
        var evaluator: EvaluatorState
        var dispatchers: [String: NotificationDispatcher]
    }

    let path: String

    /// The stored state, or `nil` when there is no file yet.
    func load() throws(AlertingError) -> Contents? {
        guard let bytes = AtomicFile.load(path) else { return nil }
        do {
            let contents = try JSONDecoder().decode(Contents.self, from: Data(bytes))
            guard contents.version == 1 else {
                throw AlertingError.unreadableState(path: path, reason: "unknown version \(contents.version)")
            }
            return contents
        } catch let error as AlertingError {
            throw error
        } catch {
            throw .unreadableState(path: path, reason: "\(error)")
        }
    }

    func save(_ contents: Contents) throws(AlertingError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(contents) else {
            throw .file(operation: "encode alert state for", path: path, reason: "encoding failed")
        }
        try AtomicFile.makeDirectory(AtomicFile.parent(of: path))
        try AtomicFile.store(Array(data), at: path)
    }
}

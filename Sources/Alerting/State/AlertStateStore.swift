import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

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
            throw .unreadableState(path: path, reason: Self.plainReason(error))
        }
    }

    /// Moves an unreadable state file aside to `<path>.corrupt-<unix time>`, keeping it for a post-mortem, and
    /// returns the new path.
    func setAside(now: Double) throws(AlertingError) -> String {
        let target = "\(path).corrupt-\(Int(now))"
        guard rename(path, target) == 0 else {
            throw .file(operation: "move aside the unreadable", path: path, reason: String(cString: strerror(errno)))
        }
        return target
    }

    /// Why the file could not be decoded, in words for a user rather than Swift's error type names.
    static func plainReason(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "not valid alert state" }
        func at(_ path: [any CodingKey]) -> String {
            path.isEmpty
                ? "" : " at " + path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return "not valid JSON"
        case .dataCorrupted(let context):
            return "an invalid value\(at(context.codingPath))"
        case .keyNotFound(let key, let context):
            return "the field \"\(key.stringValue)\" is missing\(at(context.codingPath))"
        case .typeMismatch(_, let context):
            return "a value of the wrong type\(at(context.codingPath))"
        case .valueNotFound(_, let context):
            return "a missing value\(at(context.codingPath))"
        @unknown default:
            return "not valid alert state"
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

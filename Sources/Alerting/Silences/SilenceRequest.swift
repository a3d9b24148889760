import Config
import FoundationEssentials

/// A silence as `POST /api/v2/silences` takes it (Alertmanager's `postableSilence`): without ``id`` it creates
/// one, with an id it updates that one.
package struct SilenceRequest: Sendable, Equatable {
    /// The silence to update, if any.
    package var id: String?
    /// The matchers; at least one, and not all may match the empty value.
    package var matchers: [LabelMatcher]
    /// Unix seconds.
    package var startsAt: Double
    /// Unix seconds; after ``startsAt``.
    package var endsAt: Double
    /// Who asks.
    package var createdBy: String
    /// Why.
    package var comment: String

    /// Creates a request.
    package init(
        id: String? = nil,
        matchers: [LabelMatcher],
        startsAt: Double,
        endsAt: Double,
        createdBy: String,
        comment: String
    ) {
        self.id = id
        self.matchers = matchers
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.createdBy = createdBy
        self.comment = comment
    }

    private struct Body: Decodable {
        struct Matcher: Decodable {
            var name: String?
            var value: String?
            var isRegex: Bool?
            var isEqual: Bool?
        }

        var id: String?
        var matchers: [Matcher]?
        var startsAt: String?
        var endsAt: String?
        var createdBy: String?
        var comment: String?
    }

    /// Reads a `postableSilence` JSON body, naming the first problem found.
    package init(json bytes: [UInt8]) throws(SilenceError) {
        let body: Body
        do {
            body = try JSONDecoder().decode(Body.self, from: Data(bytes))
        } catch {
            throw .invalid("the body is not a silence in JSON: \(AlertStateStore.plainReason(error))")
        }
        guard let items = body.matchers, !items.isEmpty else {
            throw .invalid("matchers: at least one matcher is required")
        }
        var matchers: [LabelMatcher] = []
        for (index, item) in items.enumerated() {
            guard let name = item.name, let value = item.value, let isRegex = item.isRegex else {
                throw .invalid("matchers[\(index)]: name, value and isRegex are required")
            }
            do {
                matchers.append(
                    try LabelMatcher(name: name, value: value, isRegex: isRegex, isEqual: item.isEqual ?? true)
                )
            } catch {
                throw .invalid("matchers[\(index)]: \(error)")
            }
        }
        func time(_ text: String?, _ key: String) throws(SilenceError) -> Double {
            guard let text else { throw .invalid("\(key): is required") }
            guard let seconds = RFC3339Timestamp.parse(text) else {
                throw .invalid("\(key): \"\(text)\" is not an RFC 3339 time such as 2026-12-24T22:00:00Z")
            }
            return seconds
        }
        self.init(
            id: body.id.flatMap { $0.isEmpty ? nil : $0 },
            matchers: matchers,
            startsAt: try time(body.startsAt, "startsAt"),
            endsAt: try time(body.endsAt, "endsAt"),
            createdBy: body.createdBy ?? "",
            comment: body.comment ?? ""
        )
    }

    /// Alertmanager's checks on a silence about to be stored at `now`.
    package func validate(now: Double) throws(SilenceError) {
        if matchers.isEmpty { throw .invalid("matchers: at least one matcher is required") }
        if matchers.allSatisfy({ $0.matches([:]) }) {
            throw .invalid("matchers: at least one matcher must not match the empty value, or it silences everything")
        }
        if endsAt < startsAt { throw .invalid("endsAt: the end time must not be before the start time") }
        if endsAt <= now { throw .invalid("endsAt: the end time must be in the future") }
        if createdBy.isEmpty { throw .invalid("createdBy: is required") }
        if comment.isEmpty { throw .invalid("comment: is required") }
    }
}

import FoundationEssentials

/// The JSON of the silences API in Alertmanager's v2 shape: `gettableSilence` objects (`id`, `status.state`,
/// `updatedAt`, `matchers[name, value, isRegex, isEqual]`, `startsAt`, `endsAt`, `createdBy`, `comment`), one or
/// a list, and the `{"silenceID": …}` answer of a POST.
package enum SilencesDocument {
    private struct Gettable: Encodable {
        struct Status: Encodable { var state: String }
        struct Matcher: Encodable {
            var name: String
            var value: String
            var isRegex: Bool
            var isEqual: Bool
        }

        var id: String
        var status: Status
        var updatedAt: String
        var matchers: [Matcher]
        var startsAt: String
        var endsAt: String
        var createdBy: String
        var comment: String

        init(_ silence: Silence, now: Double) {
            id = silence.id
            status = Status(state: silence.state(at: now).rawValue)
            updatedAt = RFC3339.format(silence.updatedAt)
            matchers = silence.matchers.map {
                Matcher(name: $0.name, value: $0.value, isRegex: $0.isRegex, isEqual: $0.isEqual)
            }
            startsAt = RFC3339.format(silence.startsAt)
            endsAt = RFC3339.format(silence.endsAt)
            createdBy = silence.createdBy
            comment = silence.comment
        }
    }

    /// One silence, as `GET /api/v2/silence/{id}` answers.
    package static func encode(_ silence: Silence, now: Double) -> [UInt8] { encoded(Gettable(silence, now: now)) }

    /// A list, as `GET /api/v2/silences` answers.
    package static func encode(_ silences: [Silence], now: Double) -> [UInt8] {
        encoded(silences.map { Gettable($0, now: now) })
    }

    /// The answer of `POST /api/v2/silences`.
    package static func created(id: String) -> [UInt8] { encoded(["silenceID": id]) }

    private static func encoded<Value: Encodable>(_ value: Value) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(value)) ?? Data("{}".utf8))
    }
}

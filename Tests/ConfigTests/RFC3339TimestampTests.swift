import Config
import Foundation
import Testing

@Suite("RFC 3339 timestamps")
struct RFC3339TimestampTests {
    @Test(
        "Known instants parse to their Unix seconds",
        arguments: [
            ("1970-01-01T00:00:00Z", 0.0),
            ("2026-12-24T22:00:00Z", 1_798_149_600.0),
            ("2026-12-24T23:00:00.123+01:00", 1_798_149_600.123),
            ("2024-02-29T12:00:00-05:30", 1_709_227_800.0),
            ("1969-12-31T23:59:59.5Z", -0.5),
            ("2000-03-01t00:00:00z", 951_868_800.0),
            ("2038-01-19T03:14:08Z", 2_147_483_648.0),
        ]
    )
    func knownInstants(text: String, seconds: Double) throws {
        let parsed = try #require(RFC3339Timestamp.parse(text))
        #expect(abs(parsed - seconds) < 1e-6, "\(text) -> \(parsed)")
    }

    @Test(
        "Text that is not an RFC 3339 date-time with a zone is refused",
        arguments: [
            "", "2026-12-24", "2026-12-24T22:00:00", "2026-12-24 22:00:00Z", "2026-13-01T00:00:00Z",
            "2026-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-12-24T24:00:00Z", "2026-12-24T22:60:00Z",
            "2026-12-24T22:00:60Z", "2026-12-24T22:00:00.Z", "2026-12-24T22:00:00+0100", "2026-12-24T22:00:00+01",
            "2026-12-24T22:00:00Zjunk", "26-12-24T22:00:00Z", "2026-12-24T22:00:00+25:00", "２０２６-12-24T22:00:00Z",
        ]
    )
    func malformedTextIsRefused(text: String) {
        #expect(RFC3339Timestamp.parse(text) == nil, "\(text)")
    }

    @Test("Formatting agrees with Foundation's ISO 8601 formatter over four centuries, and parses back")
    func formattingAgreesWithFoundation() throws {
        let whole = ISO8601DateFormatter()
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var random = SystemRandomNumberGenerator()
        // 1800 to 2200, plus the edges of days, months and leap years.
        var instants: [Double] = [0, -1, 86_399.999, 951_782_400, 951_868_799.5, 4_107_542_400]
        for _ in 0..<5_000 {
            instants.append(Double(Int64.random(in: -5_364_662_400...7_258_118_400, using: &random)) / 1)
            instants.append(Double(Int64.random(in: -5_364_662_400_000...7_258_118_400_000, using: &random)) / 1000)
        }
        for instant in instants {
            let date = Date(timeIntervalSince1970: instant)
            #expect(
                RFC3339Timestamp.format(instant)
                    == whole.string(
                        from: date.addingTimeInterval(
                            instant.rounded(.down) - instant
                        )
                    )
            )
            let millis = RFC3339Timestamp.formatMilliseconds(instant)
            let expected = Date(timeIntervalSince1970: (instant * 1000).rounded(.down) / 1000)
            #expect(millis == fractional.string(from: expected), "\(instant)")
            let back = try #require(RFC3339Timestamp.parse(millis))
            #expect(abs(back - (instant * 1000).rounded(.down) / 1000) < 1e-6, "\(millis)")
        }
    }
}

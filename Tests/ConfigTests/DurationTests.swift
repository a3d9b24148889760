import Config
import Testing

@Suite("Prometheus durations")
struct DurationTests {
    static let validCases: [(String, Duration)] = [
        ("0", .zero),
        ("500ms", .milliseconds(500)),
        ("5s", .seconds(5)),
        ("1m", .seconds(60)),
        ("1h30m", .seconds(5400)),
        ("2d", .seconds(172_800)),
        ("1w", .seconds(604_800)),
        ("1y", .seconds(31_536_000)),
        ("1s500ms", .milliseconds(1500)),
        ("1w2d3h4m5s6ms", .milliseconds(788_645_006)),
        ("0s", .zero),
        ("90s", .seconds(90)),
    ]

    @Test("valid durations parse", arguments: validCases)
    func valid(text: String, expected: Duration) throws {
        #expect(try parseDuration(text) == expected)
    }

    @Test(
        "invalid durations are refused with a reason",
        arguments: [
            ("", "empty duration"),
            ("5", "has no unit"),
            ("5x", "unknown unit \"x\""),
            ("1m1h", "largest first"),
            ("1s1s", "largest first"),
            ("-5s", "must not be negative"),
            ("1.5s", "must not have a fraction"),
            ("s", "is not a duration"),
            ("5 s", "is not a duration"),
            ("5S", "unknown unit \"S\""),
            ("99999999999999999999y", "too large"),
            ("300000y", "too large"),
        ]
    )
    func invalid(text: String, phrase: String) {
        #expect {
            _ = try parseDuration(text)
        } throws: { error in
            "\(error)".contains(phrase)
        }
    }

    static let formatCases: [(Duration, String)] = [
        (.milliseconds(1500), "1s500ms"),
        (.zero, "0s"),
        (.seconds(5400), "1h30m"),
        (.seconds(691_200), "1w1d"),
        (.seconds(31_536_000), "1y"),
        (.milliseconds(100), "100ms"),
        (.microseconds(1500), "1ms"),
    ]

    @Test("formatting prints the Prometheus form", arguments: formatCases)
    func format(duration: Duration, expected: String) {
        #expect(formatDuration(duration) == expected)
    }

    @Test("formatting round-trips through parsing", arguments: ["1h30m", "500ms", "2w3d", "1y1s1ms", "5m"])
    func roundTrip(text: String) throws {
        #expect(formatDuration(try parseDuration(text)) == text)
    }

    static let byteCases: [(String, Int)] = [
        ("65536", 65536), ("512KiB", 524_288), ("1MiB", 1_048_576), ("50MB", 50_000_000), ("1 KB", 1000),
        ("2gib", 2_147_483_648),
    ]

    @Test("byte sizes", arguments: byteCases)
    func byteSizes(text: String, expected: Int) throws {
        #expect(try parseByteSize(text) == expected)
    }

    @Test("bad byte sizes", arguments: ["", "MiB", "10XB", "1.5MiB", "-1"])
    func badByteSizes(text: String) {
        #expect(throws: ValueParseError.self) {
            _ = try parseByteSize(text)
        }
    }

    @Test("status matchers match codes and classes")
    func statusMatchers() {
        #expect(StatusMatcher.exact(200).matches(200))
        #expect(!StatusMatcher.exact(200).matches(201))
        #expect(StatusMatcher.cls(2).matches(204))
        #expect(!StatusMatcher.cls(2).matches(302))
        #expect(!StatusMatcher.cls(0).matches(42))
        #expect(StatusMatcher.cls(4).description == "4xx")
    }
}

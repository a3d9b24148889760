import Config
import Foundation
import Testing

@Suite("alerting.maintenance_windows: read strictly, errors with line and key")
struct MaintenanceWindowConfigTests {
    static let t = Fixtures.target

    /// A weekly window: `alerting:` is line 5, the window's keys from line 7.
    static func weekly(
        matchers: String = #"['probe="checkout"', 'alertname=~"Slaprobe.*"']"#,
        zone: String = "Europe/Berlin",
        weekdays: String = "[monday, Thursday]",
        start: String = #""22:00""#,
        end: String = #""23:30""#
    ) -> String {
        t + """
            alerting:
              maintenance_windows:
                - name: deploy
                  matchers: \(matchers)
                  time_zone: \(zone)
                  times:
                    - weekdays: \(weekdays)
                      start_time: \(start)
                      end_time: \(end)

            """
    }

    @Test("a weekly window and an absolute one are read")
    func valid() throws {
        let yaml =
            Self.weekly()
            + "    - name: migration\n      matchers: ['probe=\"entitlement\"']\n"
            + "      start: 2026-12-24T22:00:00Z\n      end: 2026-12-25T02:00:00+01:00\n"
        let windows = try Fixtures.parse(yaml).alerting.maintenanceWindows
        #expect(windows.map(\.name) == ["deploy", "migration"])
        #expect(windows[0].matchers.map(\.description) == [#"probe="checkout""#, #"alertname=~"Slaprobe.*""#])
        #expect(
            windows[0].schedule
                == .weekly(
                    [MaintenanceWindow.WeeklyTimes(weekdays: [2, 5], startMinute: 1320, endMinute: 1410)],
                    timeZone: "Europe/Berlin"
                )
        )
        let start = try #require(RFC3339Timestamp.parse("2026-12-24T22:00:00Z"))
        #expect(windows[1].schedule == .absolute(start: start, end: start + 3 * 3600))
    }

    static let invalid: [InvalidCase] = [
        InvalidCase(
            name: "a matcher that does not parse",
            yaml: weekly(matchers: "['probe']"),
            line: 8,
            key: "alerting.maintenance_windows[0].matchers[0]",
            phrase: "is not a matcher like name=\"value\""
        ),
        InvalidCase(
            name: "a regex matcher that does not compile",
            yaml: weekly(matchers: #"['probe=~"("']"#),
            line: 8,
            key: "alerting.maintenance_windows[0].matchers[0]",
            phrase: "not a valid regular expression"
        ),
        InvalidCase(
            name: "no matchers",
            yaml: weekly(matchers: "[]"),
            line: 8,
            key: "alerting.maintenance_windows[0].matchers",
            phrase: "at least one matcher"
        ),
        InvalidCase(
            name: "an unknown time zone",
            yaml: weekly(zone: "Mars/Olympus"),
            line: 9,
            key: "alerting.maintenance_windows[0].time_zone",
            phrase: "\"Mars/Olympus\" is not a known time zone"
        ),
        InvalidCase(
            name: "an unknown weekday",
            yaml: weekly(weekdays: "[funday]"),
            line: 11,
            key: "alerting.maintenance_windows[0].times[0].weekdays[0]",
            phrase: "\"funday\" is not one of sunday, monday"
        ),
        InvalidCase(
            name: "a time of day that is not HH:MM",
            yaml: weekly(start: #""10pm""#),
            line: 12,
            key: "alerting.maintenance_windows[0].times[0].start_time",
            phrase: "is not a time of day such as \"22:00\""
        ),
        InvalidCase(
            name: "an end before the start",
            yaml: weekly(start: #""23:00""#, end: #""01:00""#),
            line: 13,
            key: "alerting.maintenance_windows[0].times[0].end_time",
            phrase: "must be after start_time"
        ),
        InvalidCase(
            name: "an unknown key in a window",
            yaml: weekly().replacingOccurrences(of: "time_zone:", with: "time_zon:"),
            line: 9,
            key: "alerting.maintenance_windows[0].time_zon",
            phrase: "did you mean \"time_zone\"?"
        ),
        InvalidCase(
            name: "an absolute window ending before it starts",
            yaml: t
                + "alerting:\n  maintenance_windows:\n    - name: w\n      matchers: ['a=\"b\"']\n"
                + "      start: 2026-12-25T02:00:00Z\n      end: 2026-12-24T22:00:00Z\n",
            line: 10,
            key: "alerting.maintenance_windows[0].end",
            phrase: "must be after start"
        ),
        InvalidCase(
            name: "a start that is not RFC 3339",
            yaml: t
                + "alerting:\n  maintenance_windows:\n    - name: w\n      matchers: ['a=\"b\"']\n"
                + "      start: tomorrow\n      end: 2026-12-24T22:00:00Z\n",
            line: 9,
            key: "alerting.maintenance_windows[0].start",
            phrase: "\"tomorrow\" is not an RFC 3339 time"
        ),
        InvalidCase(
            name: "both an absolute range and weekly times",
            yaml: weekly() + "      start: 2026-12-24T22:00:00Z\n      end: 2026-12-25T22:00:00Z\n",
            line: 10,
            key: "alerting.maintenance_windows[0].times",
            phrase: "either start and end, or times"
        ),
        InvalidCase(
            name: "neither an absolute range nor weekly times",
            yaml: t + "alerting:\n  maintenance_windows:\n    - name: w\n      matchers: ['a=\"b\"']\n",
            line: 7,
            key: "alerting.maintenance_windows[0].times",
            phrase: "give start and end, or weekly times"
        ),
        InvalidCase(
            name: "two windows with one name",
            yaml: weekly()
                + "    - name: deploy\n      matchers: ['a=\"b\"']\n"
                + "      start: 2026-12-24T22:00:00Z\n      end: 2026-12-25T22:00:00Z\n",
            line: 14,
            key: "alerting.maintenance_windows[1].name",
            phrase: "\"deploy\" is defined twice"
        ),
    ]

    @Test("each invalid window names file, line, key and the problem", arguments: invalid)
    func refused(_ testCase: InvalidCase) throws {
        let errors = Fixtures.errors(testCase.yaml, environment: testCase.environment)
        let error = try #require(errors.first, "no error for \(testCase.name)")
        #expect(errors.count == 1, "expected exactly one error, got:\n\(ConfigErrors(errors))")
        #expect(error.line == testCase.line)
        #expect(error.key == testCase.key)
        #expect(error.message.contains(testCase.phrase), "message was: \(error.message)")
        #expect(error.description.hasPrefix("config.yml:\(testCase.line ?? 0):"))
    }
}

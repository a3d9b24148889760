import Config
import Foundation
import Testing

@Suite("Maintenance windows open on the wall clock of their time zone")
struct MaintenanceWindowTests {
    /// Monday 22:00–23:30 in Berlin, for checkout.
    private let window = MaintenanceWindow(
        name: "deploy",
        matchers: [try! LabelMatcher(parsing: #"probe="checkout""#)],
        schedule: .weekly(
            [MaintenanceWindow.WeeklyTimes(weekdays: [2], startMinute: 22 * 60, endMinute: 23 * 60 + 30)],
            timeZone: "Europe/Berlin"
        )
    )

    private func time(_ text: String) -> Double { RFC3339Timestamp.parse(text)! }

    @Test(
        "open at 22:30 Berlin and closed at 23:45, in winter (UTC+1) and in summer (UTC+2)",
        arguments: [
            // Winter: Monday 2026-12-07, Berlin is UTC+1.
            ("2026-12-07T21:30:00Z", true), ("2026-12-07T22:45:00Z", false), ("2026-12-07T20:59:59Z", false),
            ("2026-12-07T21:00:00Z", true), ("2026-12-07T22:29:59Z", true), ("2026-12-07T22:30:00Z", false),
            // Summer: Monday 2026-07-06, Berlin is UTC+2: the same wall clock is an hour earlier in UTC.
            ("2026-07-06T20:30:00Z", true), ("2026-07-06T21:45:00Z", false), ("2026-07-06T21:30:00Z", false),
            // Tuesday at 22:30 Berlin: not a listed weekday.
            ("2026-12-08T21:30:00Z", false),
        ]
    )
    func weekly(_ utc: String, _ open: Bool) {
        #expect(window.isOpen(at: time(utc)) == open)
        #expect(window.mutes(["probe": "checkout", "alertname": "X"], at: time(utc)) == open)
        #expect(!window.mutes(["probe": "webhook"], at: time(utc)))
    }

    @Test("the week the clocks change: Monday after the spring change opens at 22:00 local, 20:00 UTC")
    func daylightSavingWeek() {
        // Clocks went forward on Sunday 2026-03-29; the Monday before is UTC+1, the Monday after UTC+2.
        #expect(window.isOpen(at: time("2026-03-23T21:15:00Z")))
        #expect(!window.isOpen(at: time("2026-03-30T21:45:00Z")))
        #expect(window.isOpen(at: time("2026-03-30T20:15:00Z")))
    }

    @Test("on the nights the clocks change, the skipped hour never opens and the repeated hour opens twice")
    func daylightSavingNights() {
        // Sunday 02:00-03:00 in Berlin.
        let night = MaintenanceWindow(
            name: "night",
            matchers: window.matchers,
            schedule: .weekly(
                [MaintenanceWindow.WeeklyTimes(weekdays: [1], startMinute: 2 * 60, endMinute: 3 * 60)],
                timeZone: "Europe/Berlin"
            )
        )
        // 2026-03-29: 01:59:59 CET is followed by 03:00:00 CEST.
        #expect(!night.isOpen(at: time("2026-03-29T00:59:59Z")))
        #expect(!night.isOpen(at: time("2026-03-29T01:00:00Z")))
        #expect(night.isOpen(at: time("2026-03-22T01:30:00Z")))
        // 2026-10-25: 02:00-02:59 happens in CEST (00:00Z-00:59Z) and again in CET (01:00Z-01:59Z).
        #expect(!night.isOpen(at: time("2026-10-24T23:59:59Z")))
        #expect(night.isOpen(at: time("2026-10-25T00:00:00Z")))
        #expect(night.isOpen(at: time("2026-10-25T00:59:59Z")))
        #expect(night.isOpen(at: time("2026-10-25T01:00:00Z")))
        #expect(night.isOpen(at: time("2026-10-25T01:59:59Z")))
        #expect(!night.isOpen(at: time("2026-10-25T02:00:00Z")))
    }

    @Test("an absolute window is open from start, up to but not at its end")
    func absolute() {
        let start = time("2026-12-24T22:00:00Z")
        let absolute = MaintenanceWindow(
            name: "m",
            matchers: window.matchers,
            schedule: .absolute(start: start, end: start + 3600)
        )
        #expect(!absolute.isOpen(at: start - 1))
        #expect(absolute.isOpen(at: start))
        #expect(absolute.isOpen(at: start + 3599))
        #expect(!absolute.isOpen(at: start + 3600))
    }
}

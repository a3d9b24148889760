/// A configured maintenance window: while it is open, alerts its ``matchers`` all match send no notification,
/// exactly as if a silence held them (see `alerting.maintenance_windows` in the README).
///
/// It is open either between two absolute times or, every week, on some weekdays between two wall-clock times
/// of a time zone; the wall clock is read in that zone, so a window at 22:00 Europe/Berlin opens at 22:00 local
/// time on both sides of a daylight-saving change.
package struct MaintenanceWindow: Sendable, Equatable {
    /// Recurring weekly times: on each of ``weekdays``, from ``startMinute`` to ``endMinute`` after midnight.
    package struct WeeklyTimes: Sendable, Equatable {
        /// Days of the week, 1 = Sunday … 7 = Saturday (Foundation's `Calendar` numbering).
        package var weekdays: Set<Int>
        /// Minutes after local midnight when the window opens (inclusive).
        package var startMinute: Int
        /// Minutes after local midnight when it closes (exclusive); at most 24 × 60, later than ``startMinute``.
        package var endMinute: Int

        /// Creates weekly times.
        package init(weekdays: Set<Int>, startMinute: Int, endMinute: Int) {
            self.weekdays = weekdays
            self.startMinute = startMinute
            self.endMinute = endMinute
        }
    }

    /// When the window is open.
    package enum Schedule: Sendable, Equatable {
        /// From `start` (inclusive) to `end` (exclusive), Unix seconds.
        case absolute(start: Double, end: Double)
        /// Every week at these times, read in the time zone with this identifier (e.g. `Europe/Berlin`).
        case weekly([WeeklyTimes], timeZone: String)
    }

    /// The window's name, shown as what suppresses an alert.
    package var name: String
    /// Every matcher must match an alert's labels for the window to hold it.
    package var matchers: [LabelMatcher]
    /// When it is open.
    package var schedule: Schedule

    /// The weekday names the config accepts, in `Calendar` order (1 = Sunday).
    package static let weekdayNames = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]

    /// Creates a window.
    package init(name: String, matchers: [LabelMatcher], schedule: Schedule) {
        self.name = name
        self.matchers = matchers
        self.schedule = schedule
    }

    /// Whether the window is open at `now` (Unix seconds).
    package func isOpen(at now: Double) -> Bool {
        switch schedule {
        case .absolute(let start, let end):
            return start <= now && now < end
        case .weekly(let times, let zoneIdentifier):
            // Whole seconds, and only instants the civil arithmetic holds (about ±30 million years).
            guard now.isFinite, abs(now) < 1e15, let zone = ZoneRules.named(zoneIdentifier) else { return false }
            let instant = Int(now.rounded(.down))
            let local = instant + zone.utcOffset(at: instant)
            let (days, secondOfDay) = local.quotientAndRemainder(dividingBy: 86_400)
            let (day, second) = secondOfDay < 0 ? (days - 1, secondOfDay + 86_400) : (days, secondOfDay)
            // 1970-01-01 was a Thursday: 5, counting Sunday as 1.
            let weekday = ((day + 4) % 7 + 7) % 7 + 1
            let minuteOfDay = second / 60
            return times.contains {
                $0.weekdays.contains(weekday) && $0.startMinute <= minuteOfDay && minuteOfDay < $0.endMinute
            }
        }
    }

    /// Whether the window holds an alert with `labels` at `now`.
    package func mutes(_ labels: [String: String], at now: Double) -> Bool {
        isOpen(at: now) && matchers.allSatisfy { $0.matches(labels) }
    }
}

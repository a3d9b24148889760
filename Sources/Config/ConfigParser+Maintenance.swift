import FoundationEssentials

/// Reads `alerting.maintenance_windows` into ``MaintenanceWindow``s, strictly, with file, line and key.
extension ConfigParser {
    static let maintenanceWindowKeys = ["name", "matchers", "start", "end", "times", "time_zone"]
    static let weeklyTimesKeys = ["weekdays", "start_time", "end_time"]

    /// ```yaml
    /// maintenance_windows:
    ///   - name: weekly-deploy
    ///     matchers: ['probe="checkout"', 'alertname=~"Slaprobe.*"']
    ///     time_zone: Europe/Berlin
    ///     times:
    ///       - weekdays: [monday, thursday]
    ///         start_time: "22:00"
    ///         end_time: "23:30"
    ///   - name: migration
    ///     matchers: ['probe="entitlement"']
    ///     start: 2026-12-24T22:00:00Z
    ///     end: 2026-12-25T02:00:00Z
    /// ```
    func parseMaintenanceWindows(_ node: YAMLNode, path: String) -> [MaintenanceWindow] {
        var names = Set<String>()
        return list(node, path).compactMap { item, itemPath in
            guard let window = parseMaintenanceWindow(item, path: itemPath) else { return nil }
            if !names.insert(window.name).inserted {
                error(item, "\(itemPath).name", "\"\(window.name)\" is defined twice")
                return nil
            }
            return window
        }
    }

    private func parseMaintenanceWindow(_ node: YAMLNode, path: String) -> MaintenanceWindow? {
        guard let fields = mapping(node, path: path, allowed: Self.maintenanceWindowKeys) else { return nil }
        let name = fields["name"].flatMap { string($0, fields.path("name")) }
        if fields["name"] == nil { error(node, fields.path("name"), "is required") }
        var matchers: [LabelMatcher] = []
        if let matchersNode = fields["matchers"] {
            for (item, itemPath) in list(matchersNode, fields.path("matchers")) {
                guard let text = string(item, itemPath) else { continue }
                do {
                    matchers.append(try LabelMatcher(parsing: text))
                } catch {
                    self.error(item, itemPath, error.description)
                }
            }
            if case .sequence(let sequence) = matchersNode, sequence.isEmpty {
                error(matchersNode, fields.path("matchers"), "must list at least one matcher")
            }
        } else {
            error(node, fields.path("matchers"), "is required (at least one matcher, e.g. 'probe=\"checkout\"')")
        }
        let schedule = parseWindowSchedule(node, fields: fields)
        guard let name, let schedule, !matchers.isEmpty else { return nil }
        return MaintenanceWindow(name: name, matchers: matchers, schedule: schedule)
    }

    private func parseWindowSchedule(_ node: YAMLNode, fields: Fields) -> MaintenanceWindow.Schedule? {
        let absolute = fields["start"] != nil || fields["end"] != nil
        if absolute && fields["times"] != nil {
            error(fields.keyNode("times"), fields.path("times"), "a window takes either start and end, or times")
            return nil
        }
        if absolute {
            if fields["time_zone"] != nil {
                error(fields.keyNode("time_zone"), fields.path("time_zone"), "applies only to times")
            }
            func time(_ key: String) -> Double? {
                guard let value = fields[key] else {
                    error(node, fields.path(key), "is required with \(key == "start" ? "end" : "start")")
                    return nil
                }
                guard let text = string(value, fields.path(key)) else { return nil }
                guard let seconds = RFC3339Timestamp.parse(text) else {
                    error(value, fields.path(key), "\"\(text)\" is not an RFC 3339 time such as 2026-12-24T22:00:00Z")
                    return nil
                }
                return seconds
            }
            let start = time("start")
            let end = time("end")
            guard let start, let end else { return nil }
            guard end > start else {
                error(fields["end"], fields.path("end"), "must be after start")
                return nil
            }
            return .absolute(start: start, end: end)
        }
        guard let timesNode = fields["times"] else {
            error(node, fields.path("times"), "is required: give start and end, or weekly times")
            return nil
        }
        var zone = "UTC"
        if let zoneNode = fields["time_zone"], let text = string(zoneNode, fields.path("time_zone")) {
            if ZoneRules.named(text) == nil {
                error(zoneNode, fields.path("time_zone"), "\"\(text)\" is not a known time zone such as Europe/Berlin")
                return nil
            }
            zone = text
        }
        let items = list(timesNode, fields.path("times"))
        if items.isEmpty, case .sequence = timesNode {
            error(timesNode, fields.path("times"), "must list at least one entry")
        }
        let times = items.compactMap { parseWeeklyTimes($0.0, path: $0.1) }
        guard !times.isEmpty, times.count == items.count else { return nil }
        return .weekly(times, timeZone: zone)
    }

    private func parseWeeklyTimes(_ node: YAMLNode, path: String) -> MaintenanceWindow.WeeklyTimes? {
        guard let fields = mapping(node, path: path, allowed: Self.weeklyTimesKeys) else { return nil }
        var weekdays = Set<Int>()
        var valid = true
        if let node = fields["weekdays"] {
            for (item, itemPath) in list(node, fields.path("weekdays")) {
                guard let text = string(item, itemPath) else {
                    valid = false
                    continue
                }
                guard let index = MaintenanceWindow.weekdayNames.firstIndex(of: text.lowercased()) else {
                    let names = MaintenanceWindow.weekdayNames.joined(separator: ", ")
                    error(item, itemPath, "\"\(text)\" is not one of \(names)")
                    valid = false
                    continue
                }
                weekdays.insert(index + 1)
            }
        } else {
            // Every day, as Alertmanager's time intervals do without weekdays.
            weekdays = Set(1...7)
        }
        func minutes(_ key: String) -> Int? {
            guard let value = fields[key] else {
                error(node, fields.path(key), "is required, e.g. \"22:00\"")
                return nil
            }
            guard let text = string(value, fields.path(key)) else { return nil }
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hour = Int(parts[0]),
                let minute = Int(parts[1]), (0...24).contains(hour), (0..<60).contains(minute),
                hour < 24 || minute == 0
            else {
                error(value, fields.path(key), "\"\(text)\" is not a time of day such as \"22:00\" (00:00 to 24:00)")
                return nil
            }
            return hour * 60 + minute
        }
        let start = minutes("start_time")
        let end = minutes("end_time")
        guard let start, let end, valid else { return nil }
        guard end > start else {
            error(fields["end_time"], fields.path("end_time"), "must be after start_time (a window ends by 24:00)")
            return nil
        }
        return MaintenanceWindow.WeeklyTimes(weekdays: weekdays, startMinute: start, endMinute: end)
    }
}

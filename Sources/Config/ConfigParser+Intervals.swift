/// Probe intervals: a floor that keeps slaprobe from flooding its target, and warnings for short intervals and
/// for default timeouts shortened to fit them.
extension ConfigParser {
    /// Records a warning located at `node`.
    func warning(_ node: YAMLNode?, _ key: String, _ message: String) {
        warnings.append(
            ConfigWarning(file: file, line: node?.mark?.line, column: node?.mark?.column, key: key, message: message)
        )
    }

    /// A probe interval: a duration of at least ``ConfigDefaults/minimumInterval``; one under
    /// ``ConfigDefaults/lowRateInterval`` is accepted with a warning.
    func interval(_ node: YAMLNode, _ path: String) -> Duration? {
        guard let value = duration(node, path) else {
            return nil
        }
        if let problem = Self.intervalProblem(value) {
            error(node, path, problem)
            return nil
        }
        if let note = Self.intervalNote(value) {
            warning(node, path, note)
        }
        return value
    }

    /// Warns, at the interval that caused it, when the default timeout was shortened to fit `interval`.
    func noteShortenedTimeout(interval: Duration, node: YAMLNode?, path: String) {
        if let note = Self.shortenedTimeoutNote(interval: interval) {
            warning(node, path, note)
        }
    }

    /// Why `interval` is refused, or nil when it is at least the floor.
    static func intervalProblem(_ interval: Duration) -> String? {
        guard interval < ConfigDefaults.minimumInterval else {
            return nil
        }
        return "interval \(formatDuration(interval)) is shorter than the minimum "
            + "\(formatDuration(ConfigDefaults.minimumInterval)): it would flood the target"
    }

    /// The warning for an accepted but short `interval`, or nil.
    static func intervalNote(_ interval: Duration) -> String? {
        guard interval < ConfigDefaults.lowRateInterval else {
            return nil
        }
        return "interval \(formatDuration(interval)) is under \(formatDuration(ConfigDefaults.lowRateInterval)): "
            + "slaprobe is a low-rate prober; make sure the target can take this load"
    }

    /// The warning when the default timeout is shortened to `interval`, or nil when it fits.
    static func shortenedTimeoutNote(interval: Duration, remedy: String = "set timeout to choose it") -> String? {
        guard interval < ConfigDefaults.timeout else {
            return nil
        }
        return "the default timeout \(formatDuration(ConfigDefaults.timeout)) is shortened to the interval "
            + "\(formatDuration(interval)); \(remedy)"
    }
}

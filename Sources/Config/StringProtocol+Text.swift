extension StringProtocol {
    /// The text without the spaces, tabs and line breaks around it (ASCII whitespace, as HTTP, YAML and the
    /// exposition format mean it).
    package func trimmingBlanks() -> SubSequence {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isBlank($0) }), let last = lastIndex(where: { !isBlank($0) }) else {
            return self[endIndex...]
        }
        return self[first...last]
    }

    /// ``trimmingBlanks()`` as a `String`.
    package func trimmed() -> String { String(trimmingBlanks()) }

    /// Whether the whole text matches `pattern` (Swift `Regex` syntax; the config's own fixed patterns, which
    /// always compile, each compiled once).
    package func wholeMatches(_ pattern: String) -> Bool {
        guard let regex = RegexCache.plain.compile(pattern) else { return false }
        return (try? regex.wholeMatch(in: String(self))) != nil
    }
}

import Locking

/// Compiled regexes by pattern (label matchers, body assertions, the config's name checks), so an evaluation does
/// not compile a silence's regex once per alert, nor a probe its body pattern once per run. Swift's `Regex` keeps
/// part of what compiling allocates, so compiling once also bounds that.
/// Bounded: it starts afresh past ``limit`` patterns.
package final class RegexCache: Sendable {
    private let compiled = Locked<[String: Regex<AnyRegexOutput>]>([:])
    private let limit = 1024
    private let dotMatchesNewlines: Bool

    /// The label matchers' cache: `.` matches newlines too, as in Alertmanager's RE2.
    static let shared = RegexCache(dotMatchesNewlines: true)

    /// The cache of patterns where `.` does not match a newline, as in PCRE: body assertions (`regex`,
    /// `not_regex`) and the config's fixed name checks.
    package static let plain = RegexCache(dotMatchesNewlines: false)

    /// A cache whose patterns match by Unicode scalar, with `.` matching newlines or not.
    init(dotMatchesNewlines: Bool) {
        self.dotMatchesNewlines = dotMatchesNewlines
    }

    /// `pattern` compiled, matching by Unicode scalar (as Alertmanager's RE2 does), or `nil` when the pattern does
    /// not compile.
    package func compile(_ pattern: String) -> Regex<AnyRegexOutput>? {
        if let regex = compiled.withLock({ $0[pattern] }) { return regex }
        guard
            let regex = try? Regex(pattern).dotMatchesNewlines(dotMatchesNewlines).matchingSemantics(.unicodeScalar)
        else {
            return nil
        }
        compiled.withLock { cache in
            if cache.count >= limit { cache.removeAll() }
            cache[pattern] = regex
        }
        return regex
    }
}

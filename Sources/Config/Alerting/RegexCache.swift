import Locking

/// Compiled label-matcher regexes by pattern, so an evaluation does not compile a silence's regex once per alert.
/// Bounded: it starts afresh past ``limit`` patterns.
final class RegexCache: Sendable {
    private let compiled = Locked<[String: Regex<AnyRegexOutput>]>([:])
    private let limit = 1024

    /// The shared cache.
    static let shared = RegexCache()

    /// `pattern` compiled to match a whole value, `.` matching newlines too and matching by Unicode scalar (as
    /// Alertmanager's RE2 does), or `nil` when the pattern does not compile.
    func compile(_ pattern: String) -> Regex<AnyRegexOutput>? {
        if let regex = compiled.withLock({ $0[pattern] }) { return regex }
        guard let regex = try? Regex(pattern).dotMatchesNewlines().matchingSemantics(.unicodeScalar) else {
            return nil
        }
        compiled.withLock { cache in
            if cache.count >= limit { cache.removeAll() }
            cache[pattern] = regex
        }
        return regex
    }
}

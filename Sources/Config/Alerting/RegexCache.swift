import Foundation

/// Compiled, anchored label-matcher regexes by pattern, so an evaluation does not compile a silence's regex once
/// per alert. Bounded: it starts afresh past ``limit`` patterns.
final class RegexCache: @unchecked Sendable {
    // @unchecked Sendable is safe: `compiled` is only touched while `lock` is held, and an NSRegularExpression is
    // immutable and documented as safe to use from several threads at once.
    private let lock = NSLock()
    private var compiled: [String: NSRegularExpression] = [:]
    private let limit = 1024

    /// The shared cache.
    static let shared = RegexCache()

    /// `^(?:pattern)$`, compiled, or `nil` when the pattern does not compile.
    func anchored(_ pattern: String) -> NSRegularExpression? {
        lock.lock()
        defer { lock.unlock() }
        if let regex = compiled[pattern] { return regex }
        guard let regex = try? NSRegularExpression(pattern: "^(?:\(pattern))$", options: [.dotMatchesLineSeparators])
        else { return nil }
        if compiled.count >= limit { compiled.removeAll() }
        compiled[pattern] = regex
        return regex
    }
}

/// What the target's cache did for one probe request, as reported by the response (for example a
/// cache-status header). `unknown` does not count towards the hit ratio.
package enum CacheOutcome: String, Sendable {
    case hit
    case miss
    case unknown
}

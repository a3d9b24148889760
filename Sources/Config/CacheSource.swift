/// Where a probe learns whether the target served from its cache.
package enum CacheSource: Sendable, Equatable {
    /// Not observed.
    case none
    /// A response header whose value is `HIT` or `MISS` (case-insensitive).
    case header(name: String)
    /// The target's Prometheus endpoint with `entitlement_cache_hits_total` / `entitlement_cache_misses_total`.
    case metrics(url: String)
}

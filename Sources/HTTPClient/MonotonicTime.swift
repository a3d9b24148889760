#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Readings of the monotonic clock, in nanoseconds since an arbitrary start; what schedules and lags are measured in.
package enum MonotonicTime {
    /// Nanoseconds now.
    package static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }

    /// Seconds now, as a `Double`.
    package static func seconds() -> Double {
        Double(now()) / 1e9
    }
}

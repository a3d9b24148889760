#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A Linux `timerfd` that wakes the ``TransferLoop`` at a timer's due time to the microsecond.
///
/// `curl_multi_poll` takes its timeout in whole milliseconds, so on its own the loop wakes up to a millisecond
/// late (the timeout is rounded up so it never wakes early). Passed to `curl_multi_poll` as an extra descriptor,
/// this timer ends the wait at the exact due time, which takes scheduler lag from about 0.5 ms to the kernel's
/// wake-up latency. `timerfd_create` is not in the Glibc module, so it is looked up with `dlsym`; where it is
/// missing (not Linux) ``init()`` returns `nil` and the loop falls back to the rounded timeout.
///
/// Used only on the loop thread.
final class WakeTimer {
    private typealias Create = @convention(c) (Int32, Int32) -> Int32
    private typealias SetTime =
        @convention(c) (Int32, Int32, UnsafePointer<itimerspec>, UnsafeMutablePointer<itimerspec>?) -> Int32

    /// The descriptor to poll for readability.
    let descriptor: Int32
    private let setTime: SetTime
    private var armedAt: UInt64 = 0

    init?() {
        #if os(Linux)
            guard let createSymbol = dlsym(nil, "timerfd_create"), let setSymbol = dlsym(nil, "timerfd_settime")
            else { return nil }
            let create = unsafeBitCast(createSymbol, to: Create.self)
            setTime = unsafeBitCast(setSymbol, to: SetTime.self)
            // TFD_NONBLOCK and TFD_CLOEXEC have the values of O_NONBLOCK and O_CLOEXEC.
            descriptor = create(Int32(CLOCK_MONOTONIC), Int32(O_NONBLOCK | O_CLOEXEC))
            guard descriptor >= 0 else { return nil }
        #else
            return nil
        #endif
    }

    deinit {
        close(descriptor)
    }

    /// Makes the descriptor readable at `deadline` (``MonotonicTime`` nanoseconds). Re-arming for the same
    /// deadline costs nothing.
    func arm(at deadline: UInt64) -> Bool {
        if deadline == armedAt { return true }
        var spec = itimerspec()
        spec.it_value.tv_sec = Int(deadline / 1_000_000_000)
        spec.it_value.tv_nsec = Int(deadline % 1_000_000_000)
        // 1 = TFD_TIMER_ABSTIME: the deadline is an absolute CLOCK_MONOTONIC time.
        guard setTime(descriptor, 1, &spec, nil) == 0 else { return false }
        armedAt = deadline
        return true
    }

    /// Consumes an expiry so the descriptor stops being readable; the timer must be armed again.
    func acknowledge() {
        var expirations: UInt64 = 0
        _ = read(descriptor, &expirations, 8)
        armedAt = 0
    }
}

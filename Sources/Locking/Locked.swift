#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A value guarded by a lock, with the same `withLock` API as `Synchronization.Mutex`.
///
/// slaprobe uses this instead of `Mutex` because on Linux `Mutex` locks with raw futex calls that
/// ThreadSanitizer cannot see: TSan then reports every access to correctly locked state as a race (checked with a
/// two-thread program), which would bury real reports. This is a `pthread_mutex_t`, which TSan intercepts, so the
/// sanitizer run stays meaningful.
package final class Locked<Value>: @unchecked Sendable {
    // @unchecked Sendable is safe: `value` is only read or written while `mutex` is held, in `withLock`.
    @usableFromInline let mutex: UnsafeMutablePointer<pthread_mutex_t>
    @usableFromInline var value: Value

    /// Creates a lock guarding `value`.
    package init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        let status = pthread_mutex_init(mutex, nil)
        precondition(status == 0, "pthread_mutex_init failed: \(status)")
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the value and returns its result.
    @inlinable
    package func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}

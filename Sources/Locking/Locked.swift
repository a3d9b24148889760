import Foundation

/// A value guarded by a lock, with the same `withLock` API as `Synchronization.Mutex`.
///
/// slaprobe uses this instead of `Mutex` because on Linux `Mutex` locks with raw futex calls that
/// ThreadSanitizer cannot see: TSan then reports every access to correctly locked state as a race (checked with a
/// two-thread program), which would bury real reports. `NSLock` is a `pthread_mutex_t`, which TSan intercepts,
/// so the sanitizer run stays meaningful.
package final class Locked<Value>: @unchecked Sendable {
    // @unchecked Sendable is safe: `value` is only read or written inside `lock`, in `withLock`.
    private let lock = NSLock()
    private var value: Value

    /// Creates a lock guarding `value`.
    package init(_ value: Value) {
        self.value = value
    }

    /// Runs `body` with exclusive access to the value and returns its result.
    @inlinable
    package func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        try withLockedValue(body)
    }

    @usableFromInline
    func withLockedValue<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}

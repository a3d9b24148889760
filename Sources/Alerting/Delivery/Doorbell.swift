import Synchronization

/// Wakes one waiting task when there is work, so a worker sleeps until it is told instead of polling.
///
/// ``ring()`` wakes the task waiting in ``wait()``; when no task waits, the next ``wait()`` returns at once, and
/// rings in between collapse into one. A waiter may wake without new work (a ring it had already handled, a
/// second waiter taking its place): it looks for work again, as a polling loop would. Cancellation ends a wait.
package final class Doorbell: Sendable {
    private struct State {
        var rung = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    /// Creates a doorbell that has not rung.
    package init() {}

    /// Wakes the waiting task, or the next one to wait.
    package func ring() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.rung = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns at the next ring (at once if it rang since the last wait), or when the task is cancelled.
    package func wait() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                // A task cancelled before this point has already run `onCancel`, which found no waiter: checked
                // under the lock, so a cancellation either finds this waiter or is seen here.
                let (now, replaced) = state.withLock { state -> (Bool, CheckedContinuation<Void, Never>?) in
                    if state.rung {
                        state.rung = false
                        return (true, nil)
                    }
                    // Cancelled: return, and leave a ring for the next wait.
                    if Task.isCancelled { return (true, nil) }
                    let replaced = state.waiter
                    state.waiter = continuation
                    return (false, replaced)
                }
                replaced?.resume()
                if now { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }

    /// Returns at the next ring, after `duration` on `clock`, or when the task is cancelled, whichever is first.
    package func wait<C: Clock<Duration>>(upTo duration: Duration, on clock: C) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.wait() }
            group.addTask { try? await clock.sleep(for: duration) }
            await group.next()
            group.cancelAll()
        }
    }
}

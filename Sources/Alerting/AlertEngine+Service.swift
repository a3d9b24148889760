import ServiceLifecycle

extension AlertEngine: Service {
    /// The longest the flush ticker sleeps before reading the clock again while a group waits, in seconds.
    static let longestFlushWait = 60.0

    /// The flush ticker, until graceful shutdown or cancellation: flushes notification groups (on ``disk``) when
    /// their `group_wait` or `group_interval` is up. Between flushes it sleeps on ``timer`` until the next group is
    /// due, or until an evaluation that changed when that is, or a reload, rings ``flushBell``; it never wakes on a
    /// fixed period. Delivery is
    /// the ``notifier``'s own service.
    package func run() async throws {
        await cancelWhenGracefulShutdown { await self.tick(on: self.timer) }
    }

    private func tick<C: Clock<Duration>>(on timer: C) async {
        while !Task.isCancelled {
            let now = clock()
            await disk.run { self.flush(now: now) }
            // A group found not yet due by a wall clock a hair behind the timer is looked at again a moment later.
            // With no group waiting nothing is due: the ticker sleeps until an evaluation or a reload rings.
            if let due = nextFlushAt {
                let wait = max(0.001, due - clock())
                await flushBell.wait(upTo: .seconds(min(wait, Self.longestFlushWait)), on: timer)
            } else {
                await flushBell.wait()
            }
        }
    }
}

import ServiceLifecycle

extension AlertEngine: Service {
    /// How often the ticker looks for notification groups whose `group_wait` or `group_interval` is up.
    static let flushPeriod = Duration.milliseconds(250)

    /// The flush ticker, until graceful shutdown or cancellation: flushes due notification groups (on ``disk``)
    /// every ``flushPeriod`` of ``timer``. Delivery is the ``notifier``'s own service.
    package func run() async throws {
        try? await cancelWhenGracefulShutdown { try await self.tick(on: self.timer) }
    }

    private func tick<C: Clock<Duration>>(on timer: C) async throws {
        while !Task.isCancelled {
            let now = clock()
            await disk.run { self.flush(now: now) }
            try await timer.sleep(for: Self.flushPeriod)
        }
    }
}

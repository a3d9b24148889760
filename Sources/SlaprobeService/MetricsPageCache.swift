import Exposition
import HTTPClient
import Locking
import ServiceLifecycle

/// The `/metrics` pages rendered in the last 100 ms, one per format: scrapers arriving together (HA Prometheus
/// pairs, a flood) share one rendering. Its ``run()`` lets go of a page once it is too old to serve: a thousand
/// probes' page is 13 MB, held between scrapes for nothing.
final class MetricsPageCache: Service, Sendable {
    /// How long a rendered page is served again.
    static let maxAge = 0.1

    private let pages = Locked<[ExpositionFormat: (at: Double, bytes: [UInt8])]>([:])
    private let clock: any Clock<Duration>
    private let rendered: AsyncStream<Void>
    private let renderedContinuation: AsyncStream<Void>.Continuation

    /// Creates an empty cache whose eviction waits on `clock`.
    init(clock: any Clock<Duration> = ContinuousClock()) {
        self.clock = clock
        (rendered, renderedContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// The page in `format`: the cached one if it is recent enough, else a fresh one from `render`.
    func page(_ format: ExpositionFormat, render: () -> [UInt8]) -> [UInt8] {
        let now = MonotonicTime.seconds()
        if let cached = pages.withLock({ $0[format] }), now - cached.at < Self.maxAge { return cached.bytes }
        let bytes = render()
        pages.withLock { $0[format] = (now, bytes) }
        renderedContinuation.yield()
        return bytes
    }

    /// Drops every page (the configuration changed).
    func clear() {
        pages.withLock { $0 = [:] }
    }

    /// Drops pages that are too old to serve.
    func evictStale() {
        pages.withLock { pages in
            let now = MonotonicTime.seconds()
            pages = pages.filter { now - $0.value.at < Self.maxAge }
        }
    }

    /// After each rendering, waits until the page has aged out and drops it, until graceful shutdown.
    func run() async throws {
        await cancelWhenGracefulShutdown {
            for await _ in self.rendered {
                try? await self.clock.sleep(for: .milliseconds(150))
                self.evictStale()
            }
        }
    }
}

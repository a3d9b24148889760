import HTTPServer
import ServiceLifecycle

/// Serves slaprobe's own endpoints (see ``WebRoutes``) until graceful shutdown. It binds when created, so an
/// address in use fails the start before any other part runs.
final class WebServer: Service, Sendable {
    private let server: HTTPServer
    private let onListening: @Sendable (Int) -> Void
    private let onStopped: @Sendable () -> Void

    /// Binds and starts serving; `run()` calls `onListening` with the port, serves until graceful shutdown, then
    /// calls `onStopped`.
    init(
        options: ServerOptions,
        handler: @escaping @Sendable (ServerRequest) -> ServerResponse,
        onListening: @escaping @Sendable (Int) -> Void,
        onStopped: @escaping @Sendable () -> Void = {}
    ) throws {
        server = try HTTPServer(options: options, handler: handler)
        self.onListening = onListening
        self.onStopped = onStopped
    }

    func run() async throws {
        onListening(server.port)
        try? await gracefulShutdown()
        server.stop()
        onStopped()
    }
}

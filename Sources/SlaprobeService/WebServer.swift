import HTTPServer
import Locking
import ServiceLifecycle

/// Serves slaprobe's own endpoints (see ``WebRoutes``) until graceful shutdown. It binds when created, so an
/// address in use fails the start before any other part runs.
final class WebServer: Service, Sendable {
    private let server: HTTPServer
    private let onListening: @Sendable (Int) -> Void
    private let boundPort: Locked<Int?>

    /// Binds and starts serving; `run()` calls `onListening` with the port, then serves until graceful shutdown.
    init(
        options: ServerOptions,
        handler: @escaping @Sendable (ServerRequest) -> ServerResponse,
        onListening: @escaping @Sendable (Int) -> Void
    ) throws {
        server = try HTTPServer(options: options, handler: handler)
        boundPort = Locked(nil)
        self.onListening = onListening
    }

    /// The port the server is bound to, while it runs (it serves from creation, but the other parts start first).
    var port: Int? { boundPort.withLock { $0 } }

    func run() async throws {
        boundPort.withLock { $0 = server.port }
        onListening(server.port)
        try? await gracefulShutdown()
        server.stop()
        boundPort.withLock { $0 = nil }
    }
}

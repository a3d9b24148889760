import HTTPServer
import Locking
import ServiceLifecycle

/// Serves slaprobe's own endpoints (see ``WebRoutes``) until graceful shutdown. Binding fails the run, and with
/// it the service group.
final class WebServer: Service, Sendable {
    private let options: ServerOptions
    private let handler: @Sendable (ServerRequest) -> ServerResponse
    private let onListening: @Sendable (Int) -> Void
    private let boundPort = Locked<Int?>(nil)

    /// Creates the server; it binds when run, then calls `onListening` with its port.
    init(
        options: ServerOptions,
        handler: @escaping @Sendable (ServerRequest) -> ServerResponse,
        onListening: @escaping @Sendable (Int) -> Void
    ) {
        self.options = options
        self.handler = handler
        self.onListening = onListening
    }

    /// The port the server is bound to, while it runs.
    var port: Int? { boundPort.withLock { $0 } }

    func run() async throws {
        let server = try HTTPServer(options: options, handler: handler)
        boundPort.withLock { $0 = server.port }
        onListening(server.port)
        try? await gracefulShutdown()
        server.stop()
        boundPort.withLock { $0 = nil }
    }
}

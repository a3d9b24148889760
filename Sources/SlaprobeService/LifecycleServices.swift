import HTTPServer
import Logging
import ServiceLifecycle
import Simulator
import UnixSignals

/// Runs a ``ProbeService`` under swift-service-lifecycle: started on `run`, reloaded on SIGHUP, stopped on
/// graceful shutdown (SIGTERM or SIGINT).
public struct ProbeServiceLifecycle: Service {
    /// The service being run.
    public let service: ProbeService

    /// Wraps `service`.
    public init(service: ProbeService) {
        self.service = service
    }

    public func run() async throws {
        do {
            try service.start()
        } catch {
            await service.stop()
            throw error
        }
        try? await cancelWhenGracefulShutdown {
            for await _ in await UnixSignalsSequence(trapping: .sighup) {
                service.reload()
            }
        }
        await service.stop()
    }
}

/// Runs the simulated billing API until graceful shutdown.
public struct SimulatorLifecycle: Service {
    /// The simulator being served.
    public let simulator: BillingSimulator
    /// The address it listens on.
    public let host: String
    /// The port it listens on; 0 picks a free one.
    public let port: Int
    /// Called once the server is listening, with its port.
    public let onListening: @Sendable (Int) -> Void

    /// Creates the lifecycle wrapper.
    public init(simulator: BillingSimulator, host: String, port: Int, onListening: @escaping @Sendable (Int) -> Void) {
        self.simulator = simulator
        self.host = host
        self.port = port
        self.onListening = onListening
    }

    public func run() async throws {
        let server = try simulator.start(host: host, port: port)
        onListening(server.port)
        try? await gracefulShutdown()
        simulator.releaseHangingRequests()
        server.stop()
    }
}

/// Runs services until SIGTERM or SIGINT, then shuts them down gracefully.
public enum ServiceRunner {
    /// Runs `services` in one group.
    public static func run(_ services: [any Service], logger: Logger) async throws {
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }
}

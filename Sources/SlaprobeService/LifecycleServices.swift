import HTTPServer
import Logging
import ServiceLifecycle
import Simulator

/// Runs the simulated billing API until graceful shutdown.
package struct SimulatorLifecycle: Service {
    /// The simulator being served.
    package let simulator: BillingSimulator
    /// The address it listens on.
    package let host: String
    /// The port it listens on; 0 picks a free one.
    package let port: Int
    /// Called once the server is listening, with its port.
    package let onListening: @Sendable (Int) -> Void

    /// Creates the lifecycle wrapper.
    package init(simulator: BillingSimulator, host: String, port: Int, onListening: @escaping @Sendable (Int) -> Void) {
        self.simulator = simulator
        self.host = host
        self.port = port
        self.onListening = onListening
    }

    package func run() async throws {
        let server = try simulator.start(host: host, port: port)
        onListening(server.port)
        try? await gracefulShutdown()
        simulator.releaseHangingRequests()
        server.stop()
    }
}

/// Runs services until SIGTERM or SIGINT, then shuts them down gracefully.
package enum ServiceRunner {
    /// Runs `services` in one group.
    package static func run(_ services: [any Service], logger: Logger) async throws {
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

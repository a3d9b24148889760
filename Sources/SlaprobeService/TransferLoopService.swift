import HTTPClient
import ServiceLifecycle

/// Runs a ``TransferLoop``'s thread for the life of the service group: started when run, shut down at graceful
/// shutdown, right after `beforeShutdown` (for example, stopping the scheduler that feeds it).
///
/// Work handed to the loop before it starts waits in its inbox, so the services using it need no start order.
struct TransferLoopService: Service {
    let loop: TransferLoop
    var beforeShutdown: @Sendable () -> Void = {}

    func run() async throws {
        loop.start()
        try? await gracefulShutdown()
        beforeShutdown()
        loop.shutdown()
    }
}

import HTTPClient
import ServiceLifecycle

/// Runs ``TransferLoop`` threads for the life of the service group: all started together when run, and at
/// graceful shutdown, right after `beforeShutdown` (for example, stopping the scheduler that feeds them), shut
/// down one after another in the order given.
///
/// Work handed to a loop before it starts waits in its inbox, so the services using them need no start order.
/// Starting the loops in one call keeps health honest: once any of them has done work, all of them run, however
/// late the group got round to this service's task.
struct TransferLoopService: Service {
    let loops: [TransferLoop]
    var beforeShutdown: @Sendable () -> Void = {}

    init(loops: [TransferLoop], beforeShutdown: @escaping @Sendable () -> Void = {}) {
        self.loops = loops
        self.beforeShutdown = beforeShutdown
    }

    init(loop: TransferLoop) {
        self.init(loops: [loop])
    }

    func run() async throws {
        for loop in loops { loop.start() }
        try? await gracefulShutdown()
        beforeShutdown()
        for loop in loops { loop.shutdown() }
    }
}

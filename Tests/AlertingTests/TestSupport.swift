import Foundation
import HTTPClient
import Logging
import ServiceLifecycle
import SlaprobeTesting

/// Polls `condition` every 20 ms until it holds or `timeout` seconds pass. The default is generous: it returns as
/// soon as the condition holds, and on a loaded 2-core machine the tests running beside this one can hold the
/// cooperative pool for many seconds.
func waitUntil(timeout: Double = 60, _ condition: () async -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return await condition()
}

/// Services running in one `ServiceGroup` in the background, until ``stop()`` shuts them down gracefully.
final class RunningServices: Sendable {
    private let group: ServiceGroup
    private let running: Task<Void, Error>

    init(_ services: [any Service]) {
        let group = ServiceGroup(services: services, logger: Logger(label: "test"))
        self.group = group
        running = Task { try await group.run() }
    }

    /// Shuts the services down gracefully and waits until every one has returned.
    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await running.value
    }
}

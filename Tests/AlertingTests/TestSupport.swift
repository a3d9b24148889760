import Foundation
import HTTPClient
import Logging
import ServiceLifecycle

#if canImport(Glibc)
    import Glibc
#endif

/// A free TCP port on 127.0.0.1 (bound, read and released).
func freePort() -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
    }
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Polls `condition` every 20 ms until it holds or `timeout` seconds pass.
func waitUntil(timeout: Double = 10, _ condition: () async -> Bool) async -> Bool {
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

import Dispatch
import ServiceLifecycle
import UnixSignals

/// Reloads the configuration on every SIGHUP until graceful shutdown. A reload reads files, so it runs on a
/// thread of its own, not on the cooperative pool.
struct HangupReload: Service {
    let reload: @Sendable () -> Void

    func run() async throws {
        let queue = DispatchQueue(label: "slaprobe.reload")
        await cancelWhenGracefulShutdown {
            for await _ in await UnixSignalsSequence(trapping: .sighup) {
                await withCheckedContinuation { continuation in
                    queue.async {
                        reload()
                        continuation.resume()
                    }
                }
            }
        }
    }
}

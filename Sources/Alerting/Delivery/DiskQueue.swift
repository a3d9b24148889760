import Dispatch

/// Runs work that blocks on the file system (atomic writes with `fsync`, renames, removals) on one dedicated
/// thread, so it never holds one of the few threads of Swift's cooperative pool.
///
/// Serial: the outbox and the state file see their writes in the order they were asked for.
package final class DiskQueue: Sendable {
    private let queue: DispatchQueue

    /// Creates a queue whose thread is named `label`.
    package init(label: String = "slaprobe.alerting.disk") {
        queue = DispatchQueue(label: label)
    }

    /// Runs `work` on the queue's thread and returns its result.
    package func run<Result: Sendable>(_ work: @escaping @Sendable () -> Result) async -> Result {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: work()) }
        }
    }
}

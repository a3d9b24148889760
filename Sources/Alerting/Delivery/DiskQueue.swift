import HTTPClient

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs work that blocks on the file system (atomic writes with `fsync`, renames, removals) on one dedicated
/// thread, so it never holds one of the few threads that run tasks.
///
/// Serial: the outbox and the state file see their writes in the order they were asked for. The thread starts
/// with the first work and then parks until the next, however long that is: a queue on libdispatch would start
/// a fresh thread for an evaluation every 15 s, since its idle threads exit after 5 s.
package final class DiskQueue: Sendable {
    private let worker: Worker

    /// Creates a queue whose thread is named `label` (its first 15 bytes).
    package init(label: String = "slaprobe-disk") {
        worker = Worker(label: label)
    }

    deinit { worker.close() }

    /// Runs `work` on the queue's thread and returns its result.
    package func run<Result: Sendable>(_ work: @escaping @Sendable () -> Result) async -> Result {
        await withCheckedContinuation { continuation in
            worker.submit { continuation.resume(returning: work()) }
        }
    }

    /// The thread and its queue of work, kept alive by the thread until the queue is closed and drained.
    private final class Worker: @unchecked Sendable {
        // @unchecked Sendable is safe: `jobs`, `started` and `closed` are only touched with `mutex` held.
        private let label: String
        private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        private let workReady = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
        private var jobs: [@Sendable () -> Void] = []
        private var started = false
        private var closed = false

        init(label: String) {
            self.label = label
            mutex.initialize(to: pthread_mutex_t())
            workReady.initialize(to: pthread_cond_t())
            pthread_mutex_init(mutex, nil)
            pthread_cond_init(workReady, nil)
        }

        deinit {
            pthread_cond_destroy(workReady)
            pthread_mutex_destroy(mutex)
            workReady.deallocate()
            mutex.deallocate()
        }

        func submit(_ job: @escaping @Sendable () -> Void) {
            pthread_mutex_lock(mutex)
            jobs.append(job)
            let start = !started
            started = true
            pthread_cond_signal(workReady)
            pthread_mutex_unlock(mutex)
            if start { LoopThread.start(name: label) { [self] in drain() } }
        }

        /// Lets the thread finish what is queued and exit.
        func close() {
            pthread_mutex_lock(mutex)
            closed = true
            pthread_cond_signal(workReady)
            pthread_mutex_unlock(mutex)
        }

        private func drain() {
            pthread_mutex_lock(mutex)
            while true {
                while jobs.isEmpty && !closed { pthread_cond_wait(workReady, mutex) }
                if jobs.isEmpty { break }
                let batch = jobs
                jobs.removeAll(keepingCapacity: true)
                pthread_mutex_unlock(mutex)
                for job in batch { job() }
                pthread_mutex_lock(mutex)
            }
            pthread_mutex_unlock(mutex)
        }
    }
}

import CTaskPool
@_spi(ExperimentalCustomExecutors) @_spi(ExperimentalScheduling) import _Concurrency

#if canImport(Glibc)
    import Glibc
#endif

/// Swift concurrency's default executor in the slaprobe process: a few parked threads and a timer thread
/// (CTaskPool), in place of libdispatch's worker pool.
///
/// On Linux libdispatch arms a monitor of its worker pool once a task has run there, and it wakes the process
/// every second from then on; its idle workers exit after a few seconds, so a task every 15 s starts threads
/// anew each time. slaprobe's tasks mostly wait (the evaluation every 15 s, deliveries, graceful shutdown), so
/// a pool that sleeps until a job is due is what keeps an idle process idle. `Task.sleep` and clock sleeps come
/// here too, as delayed jobs (`SchedulingExecutor`).
package final class PooledTaskExecutor: TaskExecutor, SchedulingExecutor, @unchecked Sendable {
    /// The process's pool. Creating it starts the timer thread.
    package static let shared = PooledTaskExecutor()

    /// Threads that start as soon as jobs wait: one per core.
    package let eagerThreads: UInt32
    /// The most threads: more than the cores start only when queued jobs made no progress for 20 ms.
    package let maxThreads: UInt32

    private init() {
        #if canImport(Glibc)
            let cores = UInt32(max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
            let cores: UInt32 = 2
        #endif
        eagerThreads = max(2, cores)
        maxThreads = max(16, eagerThreads * 4)
        _ = slaprobe_task_pool_start(eagerThreads, maxThreads)
    }

    /// Makes the pool the default executor of every task in the process (the main actor keeps the platform's).
    /// Call it first thing in `main`, before any task is created.
    package static func installAsDefault() {
        if #available(macOS 26.4, *) {
            _createExecutors(factory: Factory.self)
        }
    }

    package func enqueue(_ job: consuming ExecutorJob) {
        slaprobe_task_pool_enqueue(Self.pointer(UnownedJob(job)))
    }

    package func enqueue<C: Clock>(
        _ job: consuming ExecutorJob,
        after delay: C.Duration,
        tolerance: C.Duration?,
        clock: C
    ) {
        // The standard clocks measure in `Duration`; the pool waits on CLOCK_MONOTONIC, which is what the
        // suspending clock reads and what the continuous clock reads while the machine is awake.
        let nanoseconds: Int64
        if let duration = delay as? Duration {
            let (seconds, attoseconds) = duration.components
            let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
            nanoseconds = overflow ? .max : whole.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
        } else {
            nanoseconds = 0
        }
        slaprobe_task_pool_enqueue_after(Self.pointer(UnownedJob(job)), UInt64(max(0, nanoseconds)))
    }

    package func enqueue<C: Clock>(
        _ job: consuming ExecutorJob,
        at instant: C.Instant,
        tolerance: C.Duration?,
        clock: C
    ) {
        enqueue(job, after: clock.now.duration(to: instant), tolerance: tolerance, clock: clock)
    }

    /// What the pool has done so far.
    package static var statistics: slaprobe_task_pool_stats { slaprobe_task_pool_statistics() }

    private static func pointer(_ job: UnownedJob) -> UnsafeMutableRawPointer {
        unsafeBitCast(job, to: UnsafeMutableRawPointer.self)
    }

    @available(macOS 26.4, *)
    private struct Factory: ExecutorFactory {
        static var mainExecutor: any MainExecutor { PlatformExecutorFactory.mainExecutor }
        static var defaultExecutor: any TaskExecutor { PooledTaskExecutor.shared }
    }
}

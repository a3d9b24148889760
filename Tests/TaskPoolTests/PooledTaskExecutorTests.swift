import Dispatch
import Foundation
import SlaprobeTesting
import Testing

@testable import TaskPool

#if canImport(Glibc)
    import Glibc
#endif

/// The pool runs tasks and their sleeps, grows past the cores when jobs block, and leaves nothing awake when idle.
/// The tests run tasks with the pool as their executor preference, as the slaprobe binary runs every task on it.
@Suite(.serialized) struct PooledTaskExecutorTests {
    let pool = PooledTaskExecutor.shared

    @Test func tasksAndTheirSleepsRunOnThePoolInDeadlineOrder() async throws {
        let before = PooledTaskExecutor.statistics
        let order = try await withTaskExecutorPreference(pool) {
            try await withThrowingTaskGroup(of: Int.self) { group in
                // Added in reverse, so only the deadlines can put them in order.
                for index in (0..<20).reversed() {
                    group.addTask {
                        try await Task.sleep(for: .milliseconds(20 + 15 * index))
                        #expect(Self.threadName() == "slaprobe-tasks")
                        return index
                    }
                }
                var finished: [Int] = []
                for try await index in group { finished.append(index) }
                return finished
            }
        }
        #expect(order == Array(0..<20))
        let after = PooledTaskExecutor.statistics
        #expect(after.delayed_jobs - before.delayed_jobs >= 20)
        #expect(after.jobs_run - before.jobs_run >= 40)
        #expect(after.threads <= pool.maxThreads)
    }

    @Test func aSleepLastsItsDurationOnBothClocks() async throws {
        try await withTaskExecutorPreference(pool) {
            let continuous = ContinuousClock()
            var start = continuous.now
            try await continuous.sleep(for: .milliseconds(60))
            let slept = start.duration(to: continuous.now)
            #expect(slept >= .milliseconds(60) && slept < .milliseconds(60 + 200), "\(slept)")

            let suspending = SuspendingClock()
            let deadline = suspending.now.advanced(by: .milliseconds(40))
            try await suspending.sleep(until: deadline)
            #expect(suspending.now >= deadline)

            start = continuous.now
            try await Task.sleep(nanoseconds: 30_000_000)
            #expect(start.duration(to: continuous.now) >= .milliseconds(30))
        }
    }

    @Test func aCancelledSleepEndsAtOnce() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        await withTaskExecutorPreference(pool) {
            let sleeper = Task(executorPreference: pool) { try await Task.sleep(for: .seconds(30)) }
            try? await Task.sleep(for: .milliseconds(20))
            sleeper.cancel()
            let result = await sleeper.result
            #expect(throws: CancellationError.self) { try result.get() }
        }
        #expect(start.duration(to: clock.now) < .seconds(5))
    }

    /// Jobs that block their thread until a later job runs would deadlock a fixed pool of one thread per core.
    /// The pool starts more threads when queued jobs make no progress.
    @Test func jobsThatBlockGetMoreThreads() async throws {
        let before = PooledTaskExecutor.statistics
        let blockers = Int(pool.eagerThreads) + 2
        let release = DispatchSemaphore(value: 0)
        let released = await withTaskExecutorPreference(pool) {
            await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<blockers {
                    // Each blocks its thread, bounded so that a pool that never grows fails instead of hanging.
                    group.addTask { release.wait(timeout: .now() + 10) == .success }
                }
                group.addTask {
                    for _ in 0..<blockers { release.signal() }
                    return true
                }
                var all = true
                for await ok in group { all = all && ok }
                return all
            }
        }
        #expect(released, "a blocked job was never released: the pool did not grow")
        let after = PooledTaskExecutor.statistics
        #expect(after.rescue_threads > before.rescue_threads)
        #expect(after.threads <= pool.maxThreads)
    }

    /// Parked threads and an empty timer heap: nothing of the pool wakes while no job is due.
    @Test func anIdlePoolDoesNotWake() async throws {
        try await withTaskExecutorPreference(pool) {
            try await Task.sleep(for: .milliseconds(10))
        }
        try await Task.sleep(for: .milliseconds(200))  // on the test runner's executor: the pool is idle now
        let before = Self.poolThreadSwitches()
        try await Task.sleep(for: .seconds(2))
        let after = Self.poolThreadSwitches()
        #expect(!before.isEmpty)
        #expect(before == after, "the pool's threads woke while idle: \(before) -> \(after)")
    }

    /// Context switches (voluntary and not) of each of the pool's threads, by thread id.
    static func poolThreadSwitches() -> [String: Int] {
        ThreadSwitches.of(getpid())
            .filter { $0.value.name == "slaprobe-tasks" || $0.value.name == "slaprobe-timers" }
            .mapValues(\.switches)
    }

    /// The calling thread's name.
    static func threadName() -> String {
        (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    }
}

import CCurl
import CThreads
import Dispatch
import Locking
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One thread that drives many HTTP transfers through a libcurl multi handle, and runs timed actions.
///
/// Probes are scheduled with ``schedule(at:_:)`` and started with ``perform(_:completion:)``; both hand work
/// to the loop thread through a lock-protected queue and wake it with `curl_multi_wakeup`. Completions and
/// timed actions run on the loop thread and must return quickly: they record results or start the next
/// transfer, never block. Because the same thread owns the schedule and the transfers, a timed action starts
/// within a millisecond of its due time while transfers are in flight.
package final class TransferLoop: Sendable {
    private struct Inbox {
        var requests: [(ClientRequest, @Sendable (TransferResult) -> Void)] = []
        var timers = TimerQueue<@Sendable () -> Void>()
        var stopping = false
        var started = false
    }

    /// The multi handle. `curl_multi_wakeup` is documented as thread-safe and is the only call made on it from
    /// other threads; every other use happens on the loop thread, which is why this wrapper may be `Sendable`.
    private struct MultiHandle: @unchecked Sendable {
        let pointer: UnsafeMutableRawPointer
    }

    private let name: String
    private let multi: MultiHandle
    private let inbox = Locked(Inbox())
    /// When the loop thread last woke (``MonotonicTime`` nanoseconds), or 0 while it sleeps in `curl_multi_poll`.
    private let awakeSince = Atomic<UInt64>(0)
    /// While it sleeps: when the next timed action is due, or 0 when none is.
    private let sleepingUntil = Atomic<UInt64>(0)
    private let wakeUpCount = Atomic<UInt64>(0)
    private let inFlight = Atomic<Int>(0)
    /// `pthread_self()` of the loop thread once it runs. Work handed in from the loop thread itself (a timer
    /// scheduling the next tick, a completion starting a follow-up request) needs no `curl_multi_wakeup`: the
    /// loop looks at its inbox again before it sleeps. That saves a write, a read and an extra round of the loop
    /// per probe run.
    private let loopThread = Atomic<UInt>(0)
    private let latencySensitive: Bool
    private let finished = DispatchSemaphore(value: 0)

    /// Creates a loop; call ``start()`` to run it. A `latencySensitive` loop (the one that starts probes) asks the
    /// kernel for a short time slice, so its thread preempts busier ones as soon as a timer wakes it.
    package init(name: String = "slaprobe-transfers", latencySensitive: Bool = false) {
        _ = curlGlobalInit
        self.name = name
        self.latencySensitive = latencySensitive
        guard let pointer = curl_multi_init() else {
            fatalError("curl_multi_init failed: libcurl could not allocate a multi handle")
        }
        self.multi = MultiHandle(pointer: pointer)
        // Counted as busy from creation: a loop that is never started shows as stalled.
        awakeSince.store(MonotonicTime.now(), ordering: .relaxed)
    }

    deinit {
        curl_multi_cleanup(multi.pointer)
    }

    /// The time slice a latency-sensitive loop asks for: the shortest the kernel takes (0.1 ms).
    package static let shortSlice: UInt64 = 100_000

    /// Starts the loop thread. Calling it again does nothing.
    package func start() {
        let shouldStart = inbox.withLock { state -> Bool in
            guard !state.started else { return false }
            state.started = true
            return true
        }
        guard shouldStart else { return }
        LoopThread.start(name: name) { [self] in run() }
    }

    /// Stops the loop: transfers still running complete with ``TransferErrorKind/cancelled`` and pending timers
    /// are dropped. Returns when the thread has exited. Safe to call more than once.
    package func shutdown() {
        let wasRunning = inbox.withLock { state -> Bool in
            let running = state.started && !state.stopping
            state.stopping = true
            return running
        }
        guard wasRunning else { return }
        curl_multi_wakeup(multi.pointer)
        finished.wait()
    }

    /// Starts a transfer; `completion` runs on the loop thread when it ends.
    package func perform(_ request: ClientRequest, completion: @escaping @Sendable (TransferResult) -> Void) {
        let accepted = inbox.withLock { state -> Bool in
            guard !state.stopping else { return false }
            state.requests.append((request, completion))
            return true
        }
        guard accepted else {
            completion(TransferResult(error: TransferError(kind: .cancelled, message: "transfer loop is shut down")))
            return
        }
        if !isLoopThread { curl_multi_wakeup(multi.pointer) }
    }

    /// Runs a transfer and returns its result.
    package func perform(_ request: ClientRequest) async -> TransferResult {
        await withCheckedContinuation { continuation in
            perform(request) { continuation.resume(returning: $0) }
        }
    }

    /// Runs `action` on the loop thread at `deadline` (``MonotonicTime`` nanoseconds), or at once if it has passed.
    package func schedule(at deadline: UInt64, _ action: @escaping @Sendable () -> Void) {
        let accepted = inbox.withLock { state -> Bool in
            guard !state.stopping else { return false }
            state.timers.insert(due: deadline, action)
            return true
        }
        if accepted && !isLoopThread { curl_multi_wakeup(multi.pointer) }
    }

    private var isLoopThread: Bool {
        loopThread.load(ordering: .relaxed) == UInt(pthread_self())
    }

    /// How long the loop thread has been stalled, in seconds: busy without going back to sleep (a completion or
    /// timed action that blocks), or asleep past the due time of a timed action. 0 for a healthy loop, however
    /// long it has slept with nothing to do: it does not wake on a period, so its liveness is judged by what it
    /// is doing, not by a heartbeat.
    package var stalledSeconds: Double {
        let now = MonotonicTime.now()
        let awake = awakeSince.load(ordering: .relaxed)
        if awake != 0 { return Double(now - min(awake, now)) / 1e9 }
        let due = sleepingUntil.load(ordering: .relaxed)
        return due != 0 && now > due ? Double(now - due) / 1e9 : 0
    }

    /// How many times the loop thread has woken from `curl_multi_poll`: for checking that an idle loop sleeps.
    package var wakeUps: UInt64 { wakeUpCount.load(ordering: .relaxed) }

    /// Transfers currently running.
    package var activeTransfers: Int { inFlight.load(ordering: .relaxed) }

    private func run() {
        if latencySensitive { _ = slaprobe_request_short_slice(Self.shortSlice) }
        var transfers: [UnsafeMutableRawPointer: EasyTransfer] = [:]
        // Easy handles of finished transfers, reset and kept for the next ones: `curl_easy_init` and
        // `curl_easy_cleanup` per run were two large zeroed allocations and about 10,000 instructions. A reset
        // handle keeps no connection (fresh-connection probes forbid reuse) and no options.
        var idleHandles: [UnsafeMutableRawPointer] = []
        defer { for handle in idleHandles { curl_easy_cleanup(handle) } }
        let maxIdleHandles = 16
        // With nothing due, the loop sleeps until another thread wakes it (curl_multi_wakeup) or libcurl needs it;
        // an hour is only the cap of one curl_multi_poll call.
        let maxWaitMilliseconds: UInt64 = 3_600_000
        let wakeTimer = WakeTimer()
        loopThread.store(UInt(pthread_self()), ordering: .relaxed)
        awakeSince.store(MonotonicTime.now(), ordering: .relaxed)
        while true {

            // Due timers, one at a time so an action may schedule more without deadlocking.
            while let entry = inbox.withLock({ $0.stopping ? nil : $0.timers.popDue(now: MonotonicTime.now()) }) {
                entry.payload()
            }

            let (requests, stopping) = inbox.withLock { state in
                let taken = state.requests
                state.requests.removeAll(keepingCapacity: true)
                return (taken, state.stopping)
            }
            if stopping {
                for (_, transfer) in transfers {
                    curl_multi_remove_handle(multi.pointer, transfer.handle)
                    transfer.completion(
                        TransferResult(error: TransferError(kind: .cancelled, message: "transfer loop shut down"))
                    )
                }
                for (_, completion) in requests {
                    completion(
                        TransferResult(error: TransferError(kind: .cancelled, message: "transfer loop shut down"))
                    )
                }
                inFlight.store(0, ordering: .relaxed)
                // Drop pending timed actions: they capture their owners (a scheduler holds this loop), and kept
                // here they would form a cycle that outlives the shutdown.
                inbox.withLock { $0.timers = TimerQueue() }
                finished.signal()
                return
            }
            for (request, completion) in requests {
                guard
                    let transfer = EasyTransfer(request: request, handle: idleHandles.popLast(), completion: completion)
                else {
                    completion(TransferResult(error: TransferError(kind: .other, message: "curl_easy_init failed")))
                    continue
                }
                transfers[transfer.handle] = transfer
                curl_multi_add_handle(multi.pointer, transfer.handle)
            }

            var running: Int32 = 0
            curl_multi_perform(multi.pointer, &running)
            var remaining: Int32 = 0
            while let message = curl_multi_info_read(multi.pointer, &remaining) {
                guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle,
                    let transfer = transfers.removeValue(forKey: handle)
                else { continue }
                let code = message.pointee.data.result
                curl_multi_remove_handle(multi.pointer, handle)
                let result = transfer.finish(code: code)
                let idle = transfer.recycle()
                if idleHandles.count < maxIdleHandles { idleHandles.append(idle) } else { curl_easy_cleanup(idle) }
                transfer.completion(result)
            }
            inFlight.store(transfers.count, ordering: .relaxed)

            // Completions above may have handed in requests or timers from this thread without a wakeup:
            // look again before sleeping.
            let (handedIn, nextDue) = inbox.withLock { state in
                (!state.requests.isEmpty || state.stopping, state.timers.nextDue)
            }
            // Sleep until the next timer is due (rounded up to whole milliseconds), libcurl needs attention,
            // or another thread calls curl_multi_wakeup.
            var wait = handedIn ? 0 : maxWaitMilliseconds
            if let nextDue {
                let current = MonotonicTime.now()
                wait = nextDue <= current ? 0 : min(wait, (nextDue - current + 999_999) / 1_000_000)
            }
            if wait > 0 {
                sleepingUntil.store(nextDue ?? 0, ordering: .relaxed)
                awakeSince.store(0, ordering: .relaxed)
                defer {
                    awakeSince.store(MonotonicTime.now(), ordering: .relaxed)
                    wakeUpCount.add(1, ordering: .relaxed)
                }
                if let nextDue, let wakeTimer, wakeTimer.arm(at: nextDue) {
                    // The rounded-up timeout stays as a backstop; the timer ends the wait at the due time itself.
                    var extra = curl_waitfd(fd: wakeTimer.descriptor, events: Int16(CURL_WAIT_POLLIN), revents: 0)
                    curl_multi_poll(multi.pointer, &extra, 1, Int32(wait), nil)
                    if extra.revents != 0 { wakeTimer.acknowledge() }
                } else {
                    curl_multi_poll(multi.pointer, nil, 0, Int32(wait), nil)
                }
            }
        }
    }
}

import CThreads

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Starts a detached POSIX thread with a name (as `top -H` and `/proc/PID/task/*/comm` show it), for the loops that
/// own one thread each: the scheduler's, the transfer loops and the alerting's disk queue.
package enum LoopThread {
    /// Runs `body` on a new detached thread named `name` (Linux keeps its first 15 bytes).
    package static func start(name: String, _ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Body(name: name, run: body)).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(
            &thread,
            nil,
            { context in
                let body = Unmanaged<Body>.fromOpaque(context!).takeRetainedValue()
                slaprobe_set_thread_name(body.name)
                body.run()
                return nil
            },
            box
        )
        precondition(status == 0, "pthread_create failed: \(status)")
        pthread_detach(thread)
    }

    private final class Body {
        let name: String
        let run: @Sendable () -> Void

        init(name: String, run: @escaping @Sendable () -> Void) {
            self.name = name
            self.run = run
        }
    }
}

import CThreads
import HTTPServer
import SlaprobeTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The nice value of the process's main thread, which the threads a test starts inherit.
private var processNice: Int32 { getpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(getpid())) }

@Suite("HTTPServer handler priority")
struct HandlerPriorityTests {
    @Test(
        "Handlers run at the configured nice value, on every pool thread, and the rest of the process keeps its own",
        arguments: [ServerThreading.threadPool(4), .internalThread, .threadPerConnection]
    )
    func handlersRunAtTheConfiguredNiceValue(threading: ServerThreading) throws {
        var options = ServerOptions(threading: threading)
        options.handlerNice = 7
        let server = try HTTPServer(options: options) { _ in .text("\(slaprobe_thread_nice())") }
        defer { server.stop() }
        // Enough requests that every thread of the pool answers some.
        for _ in 0..<40 {
            let result = try curl(["http://127.0.0.1:\(server.port)/"])
            #expect(result.status == 200, "\(result.stderr)")
            #expect(result.stdout == "\(max(7, processNice))")
        }
        #expect(slaprobe_thread_nice() == processNice, "the test's own thread was lowered too")
    }

    @Test("Without a nice value, handlers keep the process's priority")
    func defaultLeavesThePriorityAlone() throws {
        let server = try HTTPServer(options: ServerOptions(threading: .threadPool(2))) { _ in
            .text("\(slaprobe_thread_nice())")
        }
        defer { server.stop() }
        let result = try curl(["http://127.0.0.1:\(server.port)/"])
        #expect(result.stdout == "\(processNice)")
    }
}

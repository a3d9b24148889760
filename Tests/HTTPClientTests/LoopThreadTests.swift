import CThreads
import Foundation
import Locking
import Testing

@testable import HTTPClient

@Suite("Loop threads: names and time slices")
struct LoopThreadTests {
    /// Runs `body` on `loop`'s thread and returns what it returned.
    private func onLoop<T: Sendable>(_ loop: TransferLoop, _ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            loop.schedule(at: MonotonicTime.now()) { continuation.resume(returning: body()) }
        }
    }

    /// The running kernel's major and minor version.
    private var kernel: (Int, Int) {
        var name = utsname()
        uname(&name)
        let release = withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let parts = release.split(separator: ".").prefix(2).map { Int($0.prefix { $0.isNumber }) ?? 0 }
        return (parts.first ?? 0, parts.count > 1 ? parts[1] : 0)
    }

    @Test("A latency-sensitive loop runs with a 0.1 ms slice where the kernel has custom slices (6.12+)")
    func latencySensitiveLoopGetsAShortSlice() async {
        let sensitive = TransferLoop(name: "test-sensitive", latencySensitive: true)
        let ordinary = TransferLoop(name: "test-ordinary")
        sensitive.start()
        ordinary.start()
        defer {
            sensitive.shutdown()
            ordinary.shutdown()
        }
        let short = await onLoop(sensitive) { slaprobe_thread_slice() }
        let normal = await onLoop(ordinary) { slaprobe_thread_slice() }
        if kernel >= (6, 12) {
            #expect(short == TransferLoop.shortSlice, "slice \(short) ns")
            #expect(normal != TransferLoop.shortSlice && normal > 0, "slice \(normal) ns")
        } else {
            #expect(short == normal, "an older kernel keeps one slice for all")
        }
    }

    @Test("Loop threads carry their loop's name, cut to the 15 bytes Linux keeps")
    func loopThreadsAreNamed() async {
        let loop = TransferLoop(name: "slaprobe-probes-0-and-more")
        loop.start()
        defer { loop.shutdown() }
        let name = await onLoop(loop) { () -> String in
            let comm = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
            return comm.trimmingCharacters(in: .newlines)
        }
        #expect(name == "slaprobe-probes")
    }
}

import Exposition
import Foundation
import Testing

@Suite struct ProcessMetricsTests {
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/stat"), "needs Linux /proc"))
    func valuesArePlausible() throws {
        let metrics = ProcessMetrics.collect()
        let now = Date().timeIntervalSince1970
        #expect(try #require(metrics.residentMemoryBytes) > 1_000_000)
        #expect(try #require(metrics.virtualMemoryBytes) >= metrics.residentMemoryBytes!)
        #expect(try #require(metrics.cpuSeconds) >= 0)
        let openFDs = try #require(metrics.openFDs)
        #expect(openFDs > 0)
        #expect(try #require(metrics.maxFDs) >= openFDs)
        let start = try #require(metrics.startTimeSeconds)
        #expect(start <= now + 1 && start > now - 86_400, "start \(start) now \(now)")
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/stat"), "needs Linux /proc"))
    func writesAllFamilies() {
        var writer = ExpositionWriter(format: .text)
        ProcessMetrics.write(into: &writer, startTime: 1234.5)
        let text = String(decoding: writer.finish(), as: UTF8.self)
        let samples = text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { $0.split(separator: " ")[0] }
        #expect(
            samples == [
                "process_cpu_seconds_total", "process_resident_memory_bytes", "process_virtual_memory_bytes",
                "process_start_time_seconds", "process_open_fds", "process_max_fds",
            ]
        )
        #expect(text.contains("process_start_time_seconds 1234.5\n"))
    }

    @Test func missingValuesWriteNothing() {
        var writer = ExpositionWriter(format: .openMetrics)
        ProcessMetrics().write(into: &writer)
        #expect(writer.bytes.isEmpty)
    }
}

import Foundation
import Locking
import SlaprobeTesting

/// Runs external reference tools (Python's prometheus_client, promtool) on exposition output.
enum ExternalTool {
    struct Result {
        var status: Int32
        var output: String
        var error: String
    }

    /// Runs `executable` (looked up in PATH) with `arguments`, feeding `input` on stdin.
    static func run(_ executable: String, _ arguments: [String], input: String) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Harness.executable(executable))
        process.arguments = arguments
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Drain the pipes on other threads so large outputs cannot dead-lock against stdin.
        let outputData = LockedData()
        let errorData = LockedData()
        let group = DispatchGroup()
        for (pipe, sink) in [(stdout, outputData), (stderr, errorData)] {
            group.enter()
            DispatchQueue.global().async {
                sink.set(pipe.fileHandleForReading.readDataToEndOfFile())
                group.leave()
            }
        }
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        process.waitUntilExit()
        group.wait()
        return Result(
            status: process.terminationStatus,
            output: String(decoding: outputData.get(), as: UTF8.self),
            error: String(decoding: errorData.get(), as: UTF8.self)
        )
    }

    /// Whether `executable` runs successfully with `arguments` (used to skip tests when a tool is missing).
    static func available(_ executable: String, _ arguments: [String]) -> Bool {
        (try? run(executable, arguments, input: ""))?.status == 0
    }

    static let pythonClientAvailable = available("python3", ["-c", "import prometheus_client"])
    static let promtoolAvailable = available("promtool", ["--version"])

    /// Parses `exposition` with prometheus_client's reference parser for `format` and prints
    /// `<families> <samples>`; exits non-zero if parsing fails.
    static func pythonParse(_ exposition: String, openMetrics: Bool) throws -> Result {
        let module = openMetrics ? "prometheus_client.openmetrics.parser" : "prometheus_client.parser"
        let script = """
            import sys
            from \(module) import text_string_to_metric_families
            families = list(text_string_to_metric_families(sys.stdin.read()))
            print(len(families), sum(len(f.samples) for f in families))
            """
        return try run("python3", ["-c", script], input: exposition)
    }
}

/// A `Data` box written by one reader thread and read after `DispatchGroup.wait()`.
private final class LockedData: Sendable {
    private let data = Locked(Data())

    func set(_ data: Data) {
        self.data.withLock { $0 = data }
    }

    func get() -> Data {
        data.withLock { $0 }
    }
}

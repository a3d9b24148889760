import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A child process started by a test: output captured, killed when the test is done (even when it fails).
package final class ManagedProcess: Sendable {
    package let process: Process
    private let output = OutputBuffer()
    package let name: String

    /// Starts `executable` (a path, or a name looked up on `PATH`) with `arguments`; `environment` is added to
    /// this process's environment, or to an empty one when `inheritEnvironment` is false.
    package init(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String] = [:],
        name: String? = nil,
        inheritEnvironment: Bool = true
    ) throws {
        self.name = name ?? URL(fileURLWithPath: executable).lastPathComponent
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Harness.executable(executable))
        process.arguments = arguments
        var env = inheritEnvironment ? ProcessInfo.processInfo.environment : [:]
        env["PATH"] = env["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        self.process = process
        pipe.fileHandleForReading.readabilityHandler = { [output] handle in
            let data = handle.availableData
            guard !data.isEmpty else {
                handle.readabilityHandler = nil
                output.end()
                return
            }
            output.append(data)
        }
        try process.run()
    }

    /// Everything the process printed so far (stdout and stderr).
    package var text: String { output.text }

    /// Waits until `predicate` holds for the output, up to `timeout` seconds.
    package func waitForOutput(timeout: Double, _ predicate: (String) -> Bool) async throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let current = text
            if predicate(current) { return current }
            if !process.isRunning {
                throw TestFailure("\(name) exited with \(process.terminationStatus):\n\(current)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestFailure("\(name): timed out after \(timeout)s waiting for output; got:\n\(text)")
    }

    /// The port from the first log line `msg="<message>" ... address=host:port`.
    package func listeningPort(message: String, timeout: Double = 15) async throws -> Int {
        let text = try await waitForOutput(timeout: timeout) { Self.port(in: $0, message: message) != nil }
        return Self.port(in: text, message: message)!
    }

    package static func port(in text: String, message: String) -> Int? {
        for line in text.split(separator: "\n") where line.contains("msg=\"\(message)\"") {
            if let match = line.firstMatch(of: /address=\S+:(\d+)/) { return Int(match.1) }
        }
        return nil
    }

    /// Sends a signal.
    package func signal(_ signal: Int32) {
        Glibc.kill(process.processIdentifier, signal)
    }

    /// Waits for exit up to `timeout` seconds and returns the status, or nil if it is still running.
    package func waitForExit(timeout: Double) async -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        guard !process.isRunning else { return nil }
        // The output of a process that just exited may still be in the pipe: wait (briefly) until it is all read.
        let drained = Date().addingTimeInterval(5)
        while !output.ended && Date() < drained { try? await Task.sleep(for: .milliseconds(5)) }
        return process.terminationStatus
    }

    /// Blocks until the process has exited and its output has been read to the end, up to `timeout` seconds; the
    /// exit status, or nil if it is still running.
    package func waitForExitBlocking(timeout: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        guard !process.isRunning else { return nil }
        let drained = Date().addingTimeInterval(5)
        while !output.ended && Date() < drained { usleep(5_000) }
        return process.terminationStatus
    }

    /// Stops the process: SIGTERM, then SIGKILL if it does not exit within 5 s.
    package func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { signal(SIGKILL) }
        process.waitUntilExit()
    }

    /// Stops the process at once with SIGKILL, for children that may have inherited an ignored SIGTERM.
    package func kill() {
        guard process.isRunning else { return }
        signal(SIGKILL)
        process.waitUntilExit()
    }

    deinit { stop() }
}

import Foundation
import HTTPClient
import Locking

/// A child process started by a test: output captured, killed when the test is done (even when it fails).
package final class ManagedProcess: Sendable {
    package let process: Process
    private let output = OutputBuffer()
    package let name: String

    /// Starts `executable` with `arguments`; `environment` is added to a minimal environment.
    package init(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String] = [:],
        name: String? = nil,
        inheritEnvironment: Bool = true
    ) throws {
        self.name = name ?? URL(fileURLWithPath: executable).lastPathComponent
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
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
        kill(process.processIdentifier, signal)
    }

    /// Waits for exit up to `timeout` seconds and returns the status, or nil if it is still running.
    package func waitForExit(timeout: Double) async -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// Stops the process: SIGTERM, then SIGKILL if it does not exit within 5 s.
    package func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { stop() }
}

/// Output collected from a child process's pipe.
package final class OutputBuffer: Sendable {
    private let storage = Locked("")
    package func append(_ data: Data) { storage.withLock { $0 += String(decoding: data, as: UTF8.self) } }
    package var text: String { storage.withLock { $0 } }
}

/// A test failure with a message.
package struct TestFailure: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}

/// Paths and helpers shared by the integration and reliability tests.
package enum Harness {
    /// The `slaprobe` executable built next to the test bundle.
    package static var slaprobe: String {
        if let override = ProcessInfo.processInfo.environment["SLAPROBE_BINARY"] { return override }
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var directory = bundle
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("slaprobe").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            .appendingPathComponent(".build/debug/slaprobe").path
    }

    package static let loop: TransferLoop = {
        let loop = TransferLoop(name: "slaprobe-tests")
        loop.start()
        return loop
    }()

    /// A GET (or other method) over loopback with our own client.
    package static func fetch(
        _ url: String,
        method: String = "GET",
        headers: [(name: String, value: String)] = [],
        body: String? = nil,
        timeout: Duration = .seconds(10)
    ) async -> TransferResult {
        await loop.perform(
            ClientRequest(
                url: url,
                method: method,
                headers: headers,
                body: body.map { Array($0.utf8) },
                timeout: timeout,
                maxBodyBytes: 64 << 20
            )
        )
    }

    /// Polls `url` until `predicate` holds for the response, up to `timeout` seconds.
    package static func poll(
        _ url: String,
        timeout: Double,
        _ predicate: (TransferResult) -> Bool
    ) async throws -> TransferResult {
        let deadline = Date().addingTimeInterval(timeout)
        var last = TransferResult()
        while Date() < deadline {
            last = await fetch(url, timeout: .seconds(2))
            if predicate(last) { return last }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw TestFailure(
            "timed out after \(timeout)s polling \(url); last status \(last.status): \(last.bodyString.prefix(2000))"
        )
    }

    /// A fresh temporary directory.
    package static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("slaprobe-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A port nothing listens on right now.
    package static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw TestFailure("cannot find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Runs a command to completion and returns (status, combined output).
    package static func run(
        _ executable: String,
        _ arguments: [String],
        input: String? = nil,
        environment: [String: String] = [:]
    )
        throws -> (Int32, String)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The value of the first sample line of `/metrics` text matching `name{labels}` exactly as rendered.
    package static func sample(_ metrics: String, _ series: String) -> Double? {
        for line in metrics.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1).split(separator: " ")[0])
        }
        return nil
    }
}

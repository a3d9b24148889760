import Foundation
import HTTPClient

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

    /// Polls `url` (sending `headers`) until `predicate` holds for the response, up to `timeout` seconds.
    package static func poll(
        _ url: String,
        timeout: Double,
        headers: [(name: String, value: String)] = [],
        _ predicate: (TransferResult) -> Bool
    ) async throws -> TransferResult {
        let deadline = Date().addingTimeInterval(timeout)
        var last = TransferResult()
        while Date() < deadline {
            last = await fetch(url, headers: headers, timeout: .seconds(2))
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

    /// The path of `name`: itself when it holds a `/`, else the first executable file of that name in a folder
    /// of `PATH`. Tests name tools (`curl`, `openssl`, `promtool`) and find them wherever the machine keeps them.
    package static func executable(_ name: String) throws -> String {
        guard !name.contains("/") else { return name }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw TestFailure("\(name) is not on PATH (\(path)); scripts/install-deps installs the test tools")
    }

    /// Runs a command (a path, or a name looked up on `PATH`) to completion and returns (status, combined output).
    package static func run(
        _ executable: String,
        _ arguments: [String],
        input: String? = nil,
        environment: [String: String] = [:]
    )
        throws -> (Int32, String)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.executable(executable))
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

    /// ``run(_:_:input:environment:)`` on a thread of its own, for a command that takes seconds (a browser, a CLI
    /// that talks to a server): waiting for it blocks that thread, not one of the cooperative pool's few, which
    /// every other test running in parallel needs.
    package static func runOffPool(
        _ executable: String,
        _ arguments: [String],
        input: String? = nil,
        environment: [String: String] = [:]
    ) async throws -> (Int32, String) {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(
                    with: Result { try run(executable, arguments, input: input, environment: environment) }
                )
            }
            thread.start()
        }
    }

    /// The value of the first sample line of `/metrics` text matching `name{labels}` exactly as rendered.
    package static func sample(_ metrics: String, _ series: String) -> Double? {
        for line in metrics.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1).split(separator: " ")[0])
        }
        return nil
    }
}

import Foundation
import SlaprobeTesting
import Testing

/// `slaprobe once` stops at once on Ctrl-C or SIGTERM, even while a probe waits for a target that never answers.
@Suite(.serialized) struct OnceInterruptTests {
    /// Starts `once` against a target that accepts requests and never answers, with a 20 s timeout. With
    /// `ignoringInterrupt`, it is started as a shell script starts a background job: with SIGINT ignored.
    private func startOnce(against port: Int, in directory: URL, ignoringInterrupt: Bool) throws -> ManagedProcess {
        let file = directory.appendingPathComponent("slaprobe.yml")
        try """
        global:
          interval: 30s
          timeout: 20s
        probes:
          - name: hanging
            kind: http
            url: http://127.0.0.1:\(port)/api/v1/entitlements
        """.write(to: file, atomically: true, encoding: .utf8)
        let arguments = ["once", "--config.file", file.path]
        if ignoringInterrupt {
            return try ManagedProcess(
                "/bin/sh",
                ["-c", #"trap '' INT; exec "$0" "$@""#, Harness.slaprobe] + arguments,
                name: "slaprobe"
            )
        }
        return try ManagedProcess(Harness.slaprobe, arguments)
    }

    /// Sends `signal` and times the exit from a thread of its own, so that test tasks busy elsewhere cannot delay
    /// noticing it. Nil when the process still runs after `timeout` seconds.
    private static func signalAndTimeExit(_ once: ManagedProcess, _ signal: Int32, timeout: Double) async -> Double? {
        await withCheckedContinuation { continuation in
            Thread {
                let sent = Date()
                once.signal(signal)
                while once.process.isRunning && Date().timeIntervalSince(sent) < timeout { usleep(5_000) }
                continuation.resume(returning: once.process.isRunning ? nil : Date().timeIntervalSince(sent))
            }.start()
        }
    }

    @Test(arguments: [(SIGINT, false), (SIGINT, true), (SIGTERM, false)])
    func aSignalStopsOnceWithinASecondWithANonZeroStatus(signal: Int32, ignoringInterrupt: Bool) async throws {
        let target = try SilentListener()
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let once = try startOnce(against: target.port, in: directory, ignoringInterrupt: ignoringInterrupt)
        defer { once.stop() }
        // The probe is in flight once its connection arrives; the answer never comes.
        try await target.waitForConnection(timeout: 15)
        #expect(once.process.isRunning, "\(once.text)")

        let elapsed = await Self.signalAndTimeExit(once, signal, timeout: 5)
        let status = once.process.isRunning ? nil : once.process.terminationStatus
        let exitStatus = try #require(status, "still running 5 s after the signal")
        #expect(try #require(elapsed) < 1, "took \(elapsed ?? 0) s")
        #expect(once.process.terminationReason == .exit, "exits with a status rather than dying of the signal")
        #expect(exitStatus == 128 + signal, "\(once.text)")
        #expect(once.text.contains("interrupted"))
    }
}

/// A TCP port on 127.0.0.1 that takes connections and never reads or answers.
private final class SilentListener {
    let port: Int
    private let fd: Int32
    private var accepted: [Int32] = []

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && listen(descriptor, 16) == 0
                    && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard listening else {
            close(descriptor)
            throw TestFailure("cannot listen on 127.0.0.1")
        }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        fd = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// Waits until a client has connected, and keeps the connection open without answering.
    func waitForConnection(timeout: Double) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let connection = accept(fd, nil, nil)
            if connection >= 0 {
                accepted.append(connection)
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestFailure("no connection to port \(port) within \(timeout) s")
    }

    deinit {
        for connection in accepted { close(connection) }
        close(fd)
    }
}

import Foundation
import SlaprobeTesting
import Testing

/// What the service's log says about failing probes, a failed start and a real stop.
@Suite struct ServiceLogTests {
    /// A config with one entitlement probe against `target`, its key read from `keyFile`.
    static func config(targetPort: Int, keyFile: URL, secretFile: URL) -> String {
        """
        global:
          interval: 200ms
          timeout: 150ms
          jitter: 0%
        target:
          url: http://127.0.0.1:\(targetPort)
          api_key_file: \(keyFile.path)
          webhook_secret_file: \(secretFile.path)
        probes:
          - name: entitlement
            kind: entitlement

        """
    }

    static func lines(_ text: String, containing message: String) -> [Substring] {
        text.split(separator: "\n").filter { $0.contains("msg=\"\(message)\"") }
    }

    @Test func aProbeAnswered401LogsOneLineWhenItStartsFailingAndOneWhenItRecovers() async throws {
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (target, targetPort) = try await FaultTests.startTarget()
        defer { target.stop() }
        let keyFile = directory.appendingPathComponent("api_key")
        let secretFile = directory.appendingPathComponent("webhook_secret")
        let wrongKey = "sk_test_wrong_key_91ab"
        try wrongKey.write(to: keyFile, atomically: true, encoding: .utf8)
        try FaultTests.secret.write(to: secretFile, atomically: true, encoding: .utf8)
        let file = directory.appendingPathComponent("slaprobe.yml")
        try Self.config(targetPort: targetPort, keyFile: keyFile, secretFile: secretFile)
            .write(to: file, atomically: true, encoding: .utf8)
        let slaprobe = try ManagedProcess(
            Harness.slaprobe,
            [
                "--config.file", file.path, "--web.listen-address", "127.0.0.1:0", "--alert.storage-path",
                directory.path,
            ],
            name: "slaprobe"
        )
        defer { slaprobe.stop() }
        let port = try await slaprobe.listeningPort(message: "slaprobe listening")

        // The first run already fails: one warning, with the reason, status, request ID and message.
        _ = try await slaprobe.waitForOutput(timeout: 10) { !Self.lines($0, containing: "probe failing").isEmpty }
        // Several more failed runs change nothing in the log.
        _ = try await Harness.poll("http://127.0.0.1:\(port)/metrics", timeout: 10) {
            (Harness.sample($0.bodyString, #"slaprobe_probes_total{probe="entitlement",result="failure"}"#) ?? 0) >= 4
        }
        let failing = Self.lines(slaprobe.text, containing: "probe failing")
        #expect(failing.count == 1, "\(failing)")
        let line = String(failing.first ?? "")
        #expect(line.contains(" level=warning "), "\(line)")
        #expect(line.contains("probe=entitlement"), "\(line)")
        #expect(line.contains("reason=http_status"), "\(line)")
        #expect(line.contains("status=401"), "\(line)")
        #expect(line.contains("first_run=true"), "\(line)")
        #expect(line.firstMatch(of: /request_id=[0-9a-f-]{36}/) != nil, "\(line)")
        #expect(line.contains("error="), "\(line)")
        #expect(!slaprobe.text.contains(wrongKey), "the key leaked into the log")

        // The right key, reloaded: one info line says it recovered.
        try FaultTests.key.write(to: keyFile, atomically: true, encoding: .utf8)
        slaprobe.signal(SIGHUP)
        _ = try await slaprobe.waitForOutput(timeout: 10) { !Self.lines($0, containing: "probe recovered").isEmpty }
        let recovered = Self.lines(slaprobe.text, containing: "probe recovered")
        #expect(recovered.count == 1, "\(recovered)")
        #expect(recovered.first?.contains(" level=info ") == true, "\(recovered)")
        #expect(recovered.first?.contains("probe=entitlement") == true, "\(recovered)")
        #expect(Self.lines(slaprobe.text, containing: "probe failing").count == 1)
        #expect(!slaprobe.text.contains(FaultTests.key), "the key leaked into the log")
    }

    @Test func aStartOnAnAddressInUseLogsOnlyTheErrorAndExits1() async throws {
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (target, targetPort) = try await FaultTests.startTarget()
        defer { target.stop() }
        let slaprobe = try ManagedProcess(
            Harness.slaprobe,
            [
                "--target.url", "http://127.0.0.1:\(targetPort)", "--web.listen-address", "127.0.0.1:\(targetPort)",
                "--alert.storage-path", directory.path, "--log.level", "debug",
            ],
            environment: ["SLAPROBE_API_KEY": FaultTests.key, "SLAPROBE_WEBHOOK_SECRET": FaultTests.secret],
            name: "slaprobe"
        )
        defer { slaprobe.stop() }
        #expect(await slaprobe.waitForExit(timeout: 10) == 1)
        let output = slaprobe.text
        #expect(
            output.contains("slaprobe: cannot listen on 127.0.0.1:\(targetPort): address already in use"),
            "\(output)"
        )
        #expect(!output.contains("slaprobe stopped"), "\(output)")
        #expect(!output.contains("slaprobe listening"), "\(output)")
        #expect(!output.contains("probe failing"), "probes ran before the start failed:\n\(output)")
    }

    @Test func aStartWithoutItsSecretLogsOnlyTheErrorAndExits1() async throws {
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var environment = ProcessInfo.processInfo.environment
        environment["SLAPROBE_API_KEY"] = nil
        environment["SLAPROBE_WEBHOOK_SECRET"] = "whsec_x"
        let slaprobe = try ManagedProcess(
            Harness.slaprobe,
            [
                "--target.url", "http://127.0.0.1:1", "--web.listen-address", "127.0.0.1:0",
                "--alert.storage-path", directory.path,
            ],
            environment: environment,
            name: "slaprobe",
            inheritEnvironment: false
        )
        defer { slaprobe.stop() }
        #expect(await slaprobe.waitForExit(timeout: 10) == 1)
        let output = slaprobe.text
        #expect(output.hasPrefix("slaprobe: "), "\(output)")
        #expect(output.contains("SLAPROBE_API_KEY"), "\(output)")
        #expect(!output.contains("slaprobe stopped"), "\(output)")
        #expect(!output.contains("level="), "a failed start logs only the error:\n\(output)")
    }

    @Test func aRealStopLogsThatSlaprobeStopped() async throws {
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let slaprobe = try ManagedProcess(
            Harness.slaprobe,
            [
                "--target.url", "http://127.0.0.1:1", "--web.listen-address", "127.0.0.1:0",
                "--alert.storage-path", directory.path,
            ],
            environment: ["SLAPROBE_API_KEY": "sk_x", "SLAPROBE_WEBHOOK_SECRET": "whsec_x"],
            name: "slaprobe"
        )
        defer { slaprobe.stop() }
        _ = try await slaprobe.listeningPort(message: "slaprobe listening")
        slaprobe.signal(SIGTERM)
        #expect(await slaprobe.waitForExit(timeout: 10) == 0)
        #expect(Self.lines(slaprobe.text, containing: "slaprobe stopped").count == 1, "\(slaprobe.text)")
    }

    @Test func aCorruptAlertStateFileIsMovedAsideAndTheServiceStarts() async throws {
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let state = directory.appendingPathComponent("alerts-state.json")
        try "{\"version\": 1, \"savedAt\": 17".write(to: state, atomically: true, encoding: .utf8)
        let slaprobe = try ManagedProcess(
            Harness.slaprobe,
            [
                "--target.url", "http://127.0.0.1:1", "--web.listen-address", "127.0.0.1:0",
                "--alert.storage-path", directory.path,
            ],
            environment: ["SLAPROBE_API_KEY": "sk_x", "SLAPROBE_WEBHOOK_SECRET": "whsec_x"],
            name: "slaprobe"
        )
        defer { slaprobe.stop() }
        let port = try await slaprobe.listeningPort(message: "slaprobe listening")
        #expect(await Harness.fetch("http://127.0.0.1:\(port)/healthz").status == 200)
        let warnings = Self.lines(
            slaprobe.text,
            containing: "alert state file is unreadable, moved it aside and starting with no alert state"
        )
        #expect(warnings.count == 1, "\(slaprobe.text)")
        #expect(warnings.first?.contains(" level=warning ") == true)
        #expect(warnings.first?.contains("reason=\"not valid JSON\"") == true, "\(warnings)")
        #expect(!slaprobe.text.contains("DecodingError"), "\(slaprobe.text)")
        let aside = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasPrefix("alerts-state.json.corrupt-") }
        #expect(aside.count == 1, "\(aside)")
        let kept = try aside.first.map { try String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8) }
        #expect(kept == "{\"version\": 1, \"savedAt\": 17")
    }
}

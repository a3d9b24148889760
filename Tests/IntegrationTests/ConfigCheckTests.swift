import Foundation
import SlaprobeTesting
import Testing

/// `check-config` and the service as an operator sees them: refused intervals, warnings on stderr and in the log,
/// and `--syntax-only` without secrets.
@Suite(.serialized) struct ConfigCheckTests {
    /// Runs slaprobe to completion with only `environment` (no SLAPROBE_* from the test's own environment) and
    /// returns its status, stdout and stderr apart.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (
        status: Int32, stdout: String, stderr: String
    ) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Harness.slaprobe)
        process.arguments = arguments
        process.environment = ["PATH": "/usr/bin:/bin"].merging(environment) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus,
            String(decoding: stdout, as: UTF8.self),
            String(decoding: stderr, as: UTF8.self)
        )
    }

    static func write(_ text: String, in directory: URL) throws -> String {
        let file = directory.appendingPathComponent("slaprobe.yml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    static let probe = "probes:\n  - name: status\n    kind: http\n    url: http://127.0.0.1:1/health\n"

    @Test func aOneMillisecondIntervalIsRefusedInAFileAndOnTheCommandLine() throws {
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = try Self.write("global:\n  interval: 1ms\n" + Self.probe, in: directory)
        let checked = try Self.run(["check-config", file])
        #expect(checked.status == 1)
        #expect(checked.stdout.isEmpty)
        #expect(
            checked.stderr
                == "\(file):2:13: global.interval: interval 1ms is shorter than the minimum 10ms: "
                + "it would flood the target\n"
        )

        let once = try Self.run(
            ["once", "--target.url", "http://127.0.0.1:1", "--probe.interval", "1ms"],
            environment: ["SLAPROBE_API_KEY": "k", "SLAPROBE_WEBHOOK_SECRET": "s"]
        )
        #expect(once.status != 0)
        #expect(once.stderr.contains("<command line>: global.interval: interval 1ms is shorter than the minimum 10ms"))
    }

    @Test func checkConfigPrintsWarningsOnStderrAndStillSucceeds() throws {
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = try Self.write("global:\n  interval: 500ms\n" + Self.probe, in: directory)
        let checked = try Self.run(["check-config", file])
        #expect(checked.status == 0, "\(checked.stderr)")
        #expect(checked.stdout.hasPrefix("\(file): OK, 1 probe"))
        #expect(
            checked.stderr.split(separator: "\n") == [
                "warning: \(file):2:13: global.interval: interval 500ms is under 1s: slaprobe is a low-rate prober; "
                    + "make sure the target can take this load",
                "warning: \(file):2:13: global.interval: the default timeout 2s is shortened to the interval 500ms; "
                    + "set timeout to choose it",
            ]
        )
    }

    @Test func syntaxOnlyNeedsNoSecrets() throws {
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = try Self.write(
            """
            target:
              url: http://127.0.0.1:1
              api_key_file: /run/secrets/billing-key
              webhook_secret_env: HOOK_SECRET
            alerting:
              receivers:
                - name: oncall
                  url_file: /run/secrets/oncall-url

            """,
            in: directory
        )
        let full = try Self.run(["check-config", file])
        #expect(full.status == 1)
        #expect(full.stderr.contains("target.api_key_file"))
        #expect(full.stderr.contains("HOOK_SECRET"))

        let syntax = try Self.run(["check-config", "--syntax-only", file])
        #expect(syntax.status == 0, "\(syntax.stderr)")
        #expect(syntax.stdout.hasPrefix("\(file): OK, 3 probes"))
        #expect(syntax.stderr.isEmpty)

        try "global:\n  interval: [5s\n".write(toFile: file, atomically: true, encoding: .utf8)
        let broken = try Self.run(["check-config", "--syntax-only", file])
        #expect(broken.status == 1)
        #expect(broken.stderr.hasPrefix("\(file):3:1: YAML syntax error:"))
    }

    @Test func theServiceLogsWarningsAtStartAndOnReload() async throws {
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = try Self.write("global:\n  interval: 500ms\n  timeout: 100ms\n" + Self.probe, in: directory)
        let slaprobe = try ManagedProcess(
            Harness.slaprobe,
            ["--config.file", file, "--web.listen-address", "127.0.0.1:0"]
        )
        defer { slaprobe.stop() }
        let port = try await slaprobe.listeningPort(message: "slaprobe listening")
        let started = slaprobe.text.split(separator: "\n").filter { $0.contains("configuration warning") }
        #expect(started.count == 1, "\(slaprobe.text)")
        #expect(started.first?.contains("level=warning") == true)
        #expect(started.first?.contains("\(file):2:13: global.interval: interval 500ms is under 1s") == true)

        _ = try Self.write("global:\n  interval: 800ms\n  timeout: 100ms\n" + Self.probe, in: directory)
        #expect(await Harness.fetch("http://127.0.0.1:\(port)/-/reload", method: "POST").status == 200)
        let reloaded = try await slaprobe.waitForOutput(timeout: 5) { $0.contains("interval 800ms is under 1s") }
        #expect(reloaded.split(separator: "\n").filter { $0.contains("configuration warning") }.count == 2)
    }
}

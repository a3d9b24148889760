import Config
import Foundation
import HTTPClient
import Logging
import Synchronization
import Testing

@testable import Alerting

/// A log handler that keeps every line it is given, for assertions.
final class RecordedLog: Sendable {
    struct Line: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    private let storage = Mutex<[Line]>([])

    var lines: [Line] { storage.withLock { $0 } }

    var logger: Logger {
        Logger(label: "test") { _ in Handler(log: self) }
    }

    struct Handler: LogHandler {
        let log: RecordedLog
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let fields = (event.metadata ?? [:]).mapValues { "\($0)" }
            log.storage.withLock {
                $0.append(Line(level: event.level, message: "\(event.message)", metadata: fields))
            }
        }
    }
}

@Suite("An unreadable alert state file")
struct AlertStateFileTests {
    private func config(_ directory: String) -> AlertingConfig {
        AlertingConfig(
            defaultRules: false,
            rules: [Fixtures.latencyRule()],
            receivers: [ReceiverConfig(name: "oncall", url: "http://127.0.0.1:9/hook")],
            outbox: OutboxConfig(directory: directory + "/outbox"),
            stateFile: directory + "/alerts-state.json"
        )
    }

    @Test func isMovedAsideWithAPlainWarningAndTheEngineStartsWithNoState() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/alerts-state.json"
        try "{\"version\": 1, \"savedAt\": ".write(toFile: path, atomically: true, encoding: .utf8)
        let log = RecordedLog()
        let engine = try AlertEngine(
            config: config(directory),
            transfers: TransferLoop(),
            logger: log.logger,
            clock: { 1_700_000_000.5 }
        )
        #expect(engine.alerts().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: path))
        let aside = path + ".corrupt-1700000000"
        #expect(try String(contentsOfFile: aside, encoding: .utf8) == "{\"version\": 1, \"savedAt\": ")
        let warnings = log.lines.filter { $0.level == .warning }
        #expect(warnings.count == 1)
        #expect(
            warnings.first?.message == "alert state file is unreadable, moved it aside and starting with no alert state"
        )
        #expect(warnings.first?.metadata == ["file": path, "moved_to": aside, "reason": "not valid JSON"])
        // The engine saves fresh state where the bad file was.
        engine.evaluate([Fixtures.probe(over: 10)], now: 1_700_000_015)
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test(arguments: [
        ("{", "not valid JSON"),
        ("[]", "a value of the wrong type"),
        (
            #"{"savedAt": 1, "evaluator": {"alerts": [], "missingSince": {}}, "dispatchers": {}}"#,
            #"the field "version" is missing"#
        ),
        (
            #"{"version": 1, "savedAt": 1, "evaluator": {"alerts": [{"rule": 3}], "missingSince": {}}, "dispatchers": {}}"#,
            "a value of the wrong type at evaluator.alerts.0.rule"
        ),
        (
            #"{"version": 2, "savedAt": 1, "evaluator": {"alerts": [], "missingSince": {}}, "dispatchers": {}}"#,
            "unknown version 2"
        ),
    ])
    func reasonsAreWordedForAUser(text: String, reason: String) throws {
        let directory = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/alerts-state.json"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: AlertingError.unreadableState(path: path, reason: reason)) {
            try AlertStateStore(path: path).load()
        }
        let message = AlertingError.unreadableState(path: path, reason: reason).description
        #expect(!message.contains("DecodingError") && !message.contains("CodingKeys") && !message.contains("Swift."))
    }
}

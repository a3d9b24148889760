import Foundation
import SlaprobeTesting
import Testing

/// Mistakes a new user makes on the command line get messages that say what went wrong.
@Suite struct CommandLineUsageTests {
    @Test func aMisspeltOptionIsNamedWithTheRightSpelling() throws {
        for arguments in [["--target-url", "http://127.0.0.1:1"], ["once", "--target-url", "http://127.0.0.1:1"]] {
            let (status, output) = try Harness.run(Harness.slaprobe, arguments)
            #expect(status == 64)
            #expect(output.contains("Unknown option '--target-url'"), "\(output)")
            #expect(output.contains("--target.url"))
            #expect(!output.contains("give --config.file"), "\(output)")
        }
    }

    @Test func anUnknownCommandIsCalledOneAndVersionPointsToTheFlag() throws {
        let (status, output) = try Harness.run(Harness.slaprobe, ["version"])
        #expect(status == 64)
        #expect(output.contains(#"unknown command "version""#), "\(output)")
        #expect(output.contains("--version"))
        #expect(!output.contains("give --config.file"))
        let (typoStatus, typo) = try Harness.run(Harness.slaprobe, ["chek-config", "slaprobe.yml"])
        #expect(typoStatus == 64)
        #expect(
            typo.contains(#"unknown command "chek-config" (commands: run, demo, target, check-config, once, gate)"#)
        )
        let (_, help) = try Harness.run(Harness.slaprobe, ["help", "once"])
        #expect(help.contains("OVERVIEW"))
    }

    @Test func noConfigurationAtAllStillExplainsWhatToGive() throws {
        let (status, output) = try Harness.run(Harness.slaprobe, [])
        #expect(status == 64)
        #expect(output.contains("give --config.file FILE, or --target.url URL"), "\(output)")
    }

    @Test(arguments: [["--probe.interval", "-1s"], ["--probe.interval=-1s"]])
    func aNegativeIntervalIsCalledNegativeInBothSpellings(interval: [String]) throws {
        for command in [[], ["once"]] {
            let (status, output) = try Harness.run(
                Harness.slaprobe,
                command + ["--target.url", "http://127.0.0.1:1"] + interval
            )
            #expect(status == 64)
            #expect(output.contains(#"--probe.interval: duration "-1s" must not be negative"#), "\(output)")
        }
    }

    @Test func checkConfigCountsManyProbesInsteadOfListingThem() throws {
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("many.yml")
        try
            ("probes:\n"
            + (0..<500).map { "  - name: status-\($0)\n    kind: http\n    url: http://127.0.0.1:1/healthz\n" }.joined())
            .write(to: file, atomically: true, encoding: .utf8)
        let (status, output) = try Harness.run(Harness.slaprobe, ["check-config", file.path])
        #expect(status == 0)
        #expect(output == "\(file.path): OK, 500 probes\n")
    }

    @Test func onceWithAShardThatSelectsNoProbeSaysSoAndFails() throws {
        let environment = ["SLAPROBE_API_KEY": "k", "SLAPROBE_WEBHOOK_SECRET": "s"]
        // entitlement, checkout, purchase and webhook fall into shards 0, 1, 2 and 6 of 8; shard 3 holds none.
        let (status, output) = try Harness.run(
            Harness.slaprobe,
            ["once", "--target.url", "http://127.0.0.1:1", "--shard", "3/8"],
            environment: environment
        )
        #expect(status == 1)
        #expect(output.contains("no probe selected: shard 3/8 owns none of the 4 configured probes"), "\(output)")
        #expect(!output.contains("PROBE"))
    }

    @Test func onceShowsNoTLSPhaseForPlainHTTPAndKeepsADNSFailureOutOfProcessing() throws {
        let environment = ["SLAPROBE_API_KEY": "k", "SLAPROBE_WEBHOOK_SECRET": "s"]
        let (status, output) = try Harness.run(
            Harness.slaprobe,
            ["once", "--target.url", "http://unresolvable.invalid"],
            environment: environment
        )
        #expect(status == 1)
        let rows = output.split(separator: "\n").map { $0.split(separator: " ") }
        // The three probes, the purchase journey, and its checkout step (indented, where it stopped).
        #expect(rows.count == 6, "\(output)")
        #expect(
            rows.map { $0.first.map(String.init) } == [
                "PROBE", "entitlement", "checkout", "webhook", "purchase", "checkout",
            ]
        )
        for row in rows.dropFirst(1).prefix(3) {
            // PROBE RESULT "(dns)" STATUS DNS CONNECT TLS PROCESSING TRANSFER TOTAL
            #expect(row[1] == "FAIL" && row[2] == "(dns)", "\(output)")
            #expect(Array(row[3...8]).map(String.init) == ["-", String(row[9]), "-", "-", "-", "-"], "\(output)")
        }
        for row in rows.suffix(2) {
            // The journey's TOTAL is its whole run, its step's is the step; either spent its phases in DNS alone.
            #expect(row[1] == "FAIL" && row[2] == "(dns)", "\(output)")
            #expect(row[3] == "-" && row[4].hasSuffix("ms") && row[5...8].allSatisfy { $0 == "-" }, "\(output)")
        }

        let (_, json) = try Harness.run(
            Harness.slaprobe,
            ["once", "--target.url", "http://unresolvable.invalid", "--output", "json"],
            environment: environment
        )
        let results = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(results.count == 4)
        for result in results {
            #expect(result["status"] is NSNull, "\(json)")
            let phases = try #require(result["phases"] as? [String: Any])
            #expect(phases["processing_seconds"] is NSNull, "\(json)")
            #expect(phases["tls_seconds"] is NSNull, "\(json)")
        }
        #expect(overlyPreciseNumbers(in: json).isEmpty, "\(json)")
    }
}

/// The JSON number literals in `text` that have more than six decimals or an exponent.
func overlyPreciseNumbers(in text: String) -> [String] {
    text.split { ",:{}[]\n ".contains($0) }.map(String.init).filter { token in
        guard Double(token) != nil else { return false }
        let decimals = token.split(separator: ".").dropFirst().first?.count ?? 0
        return decimals > 6 || token.contains("e") || token.contains("E")
    }
}

import Foundation
import Testing

@testable import SlaprobeService

/// `--log.format json` writes numbers and booleans as JSON numbers and booleans.
@Suite struct JSONLogFormatTests {
    @Test func numbersAndBooleansAreTypedAndNamesStayStrings() throws {
        let line = LineLogHandler.json([
            ("msg", "slaprobe listening"), ("probes", "3"), ("tls", "false"), ("basic_auth", "true"),
            ("delay", "0.25"), ("offset", "-2"), ("probe", "42"), ("address", "127.0.0.1:9330"), ("shard", "0/1"),
            ("count", "007"), ("big", "12345678901234567890"),
        ])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["probes"] as? Int == 3)
        #expect(object["tls"] as? Bool == false)
        #expect(object["basic_auth"] as? Bool == true)
        #expect(object["delay"] as? Double == 0.25)
        #expect(object["offset"] as? Int == -2)
        #expect(object["probe"] as? String == "42")
        #expect(object["address"] as? String == "127.0.0.1:9330")
        #expect(object["shard"] as? String == "0/1")
        #expect(object["count"] as? String == "007")
        #expect(object["big"] as? String == "12345678901234567890")
        #expect(line.contains(#""probes":3,"#))
        #expect(line.contains(#""tls":false"#))
    }
}

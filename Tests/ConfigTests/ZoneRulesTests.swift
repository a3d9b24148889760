import Config
import Foundation
import SlaprobeTesting
import Testing

@Suite("Zone rules read from the system's TZif files agree with Python's zoneinfo reading the same files")
struct ZoneRulesTests {
    /// Zones with daylight saving time north and south, negative and 30-minute DST, offsets of :30 and :45, DST
    /// abolished, a day skipped, transitions at 24:00, 26:00 and -1:00, and fixed zones.
    static let zones = [
        "Europe/Berlin", "America/New_York", "America/Sao_Paulo", "Australia/Lord_Howe", "Asia/Kolkata",
        "Asia/Kathmandu", "Pacific/Chatham", "America/St_Johns", "Africa/Casablanca", "Europe/Dublin", "Pacific/Apia",
        "UTC", "Etc/GMT+5", "America/Los_Angeles", "Asia/Tehran", "Asia/Jerusalem", "America/Nuuk",
        "America/Santiago", "Antarctica/Troll", "Australia/Sydney", "Pacific/Kiritimati", "GMT", "Etc/UTC",
        "Etc/GMT-14",
    ]

    static let start1900 = -2_208_988_800
    static let start2020 = 1_577_836_800
    static let start2041 = 2_240_611_200
    static let start2101 = 4_133_980_800

    /// Python's `zoneinfo` (PEP 615) reading the same TZif files: an independent parser of the same data. Foundation's
    /// own zones would not do as the reference: they come from the tz release built into ICU, which drifts from the
    /// system's tzdata as Debian updates it.
    private static let referenceScript = #"""
        import json, sys
        from datetime import datetime, timezone
        from zoneinfo import ZoneInfo

        def changes(offset, low, high):
            found, time, current = [], low, offset(low)
            while time < high:
                following = time + 3 * 3600
                following_offset = offset(following)
                if following_offset != current:
                    a, b = time, following
                    while b - a > 1:
                        middle = (a + b) // 2
                        if offset(middle) == current: a = middle
                        else: b = middle
                    found.append(b)
                time, current = following, following_offset
            return found

        answers = []
        for query in json.load(sys.stdin):
            zone = ZoneInfo.from_file(open(query["file"], "rb")) if "file" in query else ZoneInfo(query["zone"])
            def offset(t):
                return int(datetime.fromtimestamp(t, timezone.utc).astimezone(zone).utcoffset().total_seconds())
            low, high = query["range"]
            found = changes(offset, low, high)
            instants = query["instants"] + [t + d for t in found for d in (-1, 0, 1)]
            answers.append({"changes": found, "instants": instants, "offsets": [offset(t) for t in instants]})
        json.dump(answers, sys.stdout)
        """#

    /// What the reference says for a zone (a system identifier, or a TZif file): its offset changes in `range`, and
    /// its offsets at `instants` and 1 s around each of those changes.
    private static func reference(
        zone: String? = nil,
        file: String? = nil,
        instants: [Int],
        range: Range<Int>
    ) throws -> (changes: [Int], offsets: [(instant: Int, offset: Int)]) {
        var query: [String: Any] = ["instants": instants, "range": [range.lowerBound, range.upperBound]]
        if let zone { query["zone"] = zone }
        if let file { query["file"] = file }
        let input = String(decoding: try JSONSerialization.data(withJSONObject: [query]), as: UTF8.self)
        let (status, output) = try Harness.run("python3", ["-c", referenceScript], input: input)
        try #require(status == 0, "python3 zoneinfo: \(output)")
        let answers = try #require(
            try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: [Int]]],
            "python3 zoneinfo printed \(output.prefix(200))"
        )
        let answer = try #require(answers.first)
        let times = answer["instants"] ?? []
        let offsets = answer["offsets"] ?? []
        return (answer["changes"] ?? [], Array(zip(times, offsets)).map { ($0, $1) })
    }

    /// The instants in `range` where `offset` changes, each the first second of the new offset. Offsets are
    /// sampled every 3 hours (no zone changes twice within that), then each change is narrowed to the second.
    private static func changes(in range: Range<Int>, _ offset: (Int) -> Int) -> [Int] {
        var found: [Int] = []
        var time = range.lowerBound
        var current = offset(time)
        while time < range.upperBound {
            let next = time + 3 * 3600
            let nextOffset = offset(next)
            if nextOffset != current {
                var low = time
                var high = next
                while high - low > 1 {
                    let middle = (low + high) / 2
                    if offset(middle) == current { low = middle } else { high = middle }
                }
                found.append(high)
            }
            time = next
            current = nextOffset
        }
        return found
    }

    @Test(
        "the same offset at random instants from 1900 to 2100 and around every change from 2020 to 2040",
        arguments: zones
    )
    func agreesWithZoneinfo(_ identifier: String) throws {
        let ours = try ZoneRules(identifier: identifier, directory: ZoneRules.defaultDirectory)
        var random = SplitMix64(seed: FNV1a.hash(identifier))
        let instants = (0..<4000).map { _ in
            Self.start1900 + Int(random.next() % UInt64(Self.start2101 - Self.start1900))
        }
        let theirs = try Self.reference(zone: identifier, instants: instants, range: Self.start2020..<Self.start2041)
        let ourChanges = Self.changes(in: Self.start2020..<Self.start2041) { ours.utcOffset(at: $0) }
        var mismatches: [String] = []
        for (instant, expected) in theirs.offsets + ourChanges.map({ ($0, -1) }) where expected != -1 {
            let actual = ours.utcOffset(at: instant)
            if actual != expected {
                mismatches.append("\(RFC3339Timestamp.format(Double(instant))): \(actual) instead of \(expected)")
            }
        }
        #expect(theirs.offsets.count >= 4000)
        #expect(
            mismatches.isEmpty,
            "\(identifier), \(mismatches.count) of \(theirs.offsets.count): \(mismatches.prefix(10))"
        )
        let differing = Set(theirs.changes).symmetricDifference(ourChanges).sorted()
        #expect(differing.isEmpty, "\(identifier): changes only one side has: \(Self.formatted(differing.prefix(10)))")
    }

    @Test(
        "a footer alone decides every instant when a file has no transitions, as Python's zoneinfo reads the same file",
        arguments: [
            ("CET-1CEST,M3.5.0,M10.5.0/3", 1997),
            ("EST5EDT,M3.2.0,M11.1.0", 2008),
            ("IST-2IDT,M3.4.4/26,M10.5.0", 2014),
            ("<-04>4<-03>,M9.1.6/24,M4.1.6/24", 2024),
            ("<-02>2<-01>,M3.5.0/-1,M10.5.0/0", 2025),
            ("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", 2009),
            ("<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45", 2009),
            ("IST-1GMT0,M10.5.0,M3.5.0/1", 1997),
            ("NST3:30NDT,M3.2.0,M11.1.0", 2012),
            ("<+0545>-5:45", 1987),
            ("<+0330>-3:30", 2023),
        ]
    )
    func footerOnly(_ footer: String, _ fromYear: Int) throws {
        let directory = try TemporaryZoneDirectory()
        try directory.write("Test/Footer", TZifFile(types: [(-3600, false)], footer: footer).bytes)
        let ours = try ZoneRules(identifier: "Test/Footer", directory: directory.path)
        let from = Int(try #require(RFC3339Timestamp.parse("\(fromYear)-01-01T00:00:00Z")))
        let theirs = try Self.reference(
            file: directory.path + "/Test/Footer",
            instants: [],
            range: from..<Self.start2101
        )
        let ourChanges = Self.changes(in: from..<Self.start2101) { ours.utcOffset(at: $0) }
        let differing = Set(theirs.changes).symmetricDifference(ourChanges).sorted()
        #expect(differing.isEmpty, "\(footer): changes only one side has: \(Self.formatted(differing.prefix(10)))")
        let mismatches = theirs.offsets.filter { ours.utcOffset(at: $0.instant) != $0.offset }.map(\.instant)
        #expect(mismatches.isEmpty, "\(footer): other offsets at \(Self.formatted(mismatches.prefix(10)))")
        #expect(theirs.changes.count > 0 || footer.firstIndex(of: ",") == nil)
    }

    private static func formatted(_ instants: some Sequence<Int>) -> [String] {
        instants.map { RFC3339Timestamp.format(Double($0)) }
    }

    /// Unix seconds of an RFC 3339 time.
    private static func time(_ text: String) -> Int { Int(RFC3339Timestamp.parse(text)!) }

    @Test(
        "footer day forms Jn (February 29 never counted) and n (counted), and daylight saving all year",
        arguments: [
            // J60 is March 1 in every year; DST starts at 02:00 local (-03), 05:00 UTC.
            ("<-03>3<-02>,J60,J300", "2024-03-01T04:59:59Z", -10800),
            ("<-03>3<-02>,J60,J300", "2024-03-01T05:00:00Z", -7200),
            ("<-03>3<-02>,J60,J300", "2023-03-01T05:00:00Z", -7200),
            // Day 59 counting from 0 is February 29 in a leap year, March 1 otherwise.
            ("<-03>3<-02>,59,300", "2024-02-29T05:00:00Z", -7200),
            ("<-03>3<-02>,59,300", "2024-02-29T04:59:59Z", -10800),
            ("<-03>3<-02>,59,300", "2023-02-28T23:00:00Z", -10800),
            ("<-03>3<-02>,59,300", "2023-03-01T05:00:00Z", -7200),
            // J300 is October 27; DST ends at 02:00 local (-02), 04:00 UTC.
            ("<-03>3<-02>,J60,J300", "2024-10-27T03:59:59Z", -7200),
            ("<-03>3<-02>,J60,J300", "2024-10-27T04:00:00Z", -10800),
            // tzcode's spelling of daylight saving time all year.
            ("EST5EDT4,0/0,J365/25", "2030-01-01T00:00:00Z", -14400),
            ("EST5EDT4,0/0,J365/25", "2030-07-01T00:00:00Z", -14400),
            ("EST5EDT4,0/0,J365/25", "2030-12-31T23:59:59Z", -14400),
            // Without a rule the United States' applies; the DST offset defaults to an hour ahead.
            ("EST5EDT", "2030-03-10T06:59:59Z", -18000),
            ("EST5EDT", "2030-03-10T07:00:00Z", -14400),
            ("UTC0", "2030-07-01T00:00:00Z", 0),
            ("<+0330>-3:30", "2030-07-01T00:00:00Z", 12600),
            ("<+14>-14", "2030-07-01T00:00:00Z", 14 * 3600),
            ("XXX24:00:00", "2030-07-01T00:00:00Z", -24 * 3600),
            ("<+01>-1<+02>,M3.5.0/167,M10.5.0/-167", "2030-04-06T21:59:59Z", 3600),
            ("<+01>-1<+02>,M3.5.0/167,M10.5.0/-167", "2030-04-06T22:00:00Z", 7200),
            ("<+01>-1<+02>,M3.5.0/167,M10.5.0/-167", "2030-10-19T22:59:59Z", 7200),
            ("<+01>-1<+02>,M3.5.0/167,M10.5.0/-167", "2030-10-19T23:00:00Z", 3600),
        ]
    )
    func footerDayForms(_ footer: String, _ utc: String, _ offset: Int) throws {
        let directory = try TemporaryZoneDirectory()
        try directory.write("Footer", TZifFile(types: [(0, false)], footer: footer).bytes)
        let rules = try ZoneRules(identifier: "Footer", directory: directory.path)
        #expect(rules.utcOffset(at: Self.time(utc)) == offset, "\(footer) at \(utc)")
    }

    @Test("transitions before the footer, and a version 1 file without one")
    func transitionsAndVersion1() throws {
        let directory = try TemporaryZoneDirectory()
        let change = Self.time("2000-01-01T00:00:00Z")
        let file = TZifFile(types: [(100, false), (3600, false), (7200, true)], transitions: [(change, 1)])
        try directory.write("V2", file.bytes)
        var version1 = file
        version1.version = 0
        try directory.write("V1", version1.bytes)
        let v2 = try ZoneRules(identifier: "V2", directory: directory.path)
        let v1 = try ZoneRules(identifier: "V1", directory: directory.path)
        for rules in [v1, v2] {
            // Type 0 holds before the first transition, the last transition's type after it (there is no footer).
            #expect(rules.utcOffset(at: change - 1) == 100)
            #expect(rules.utcOffset(at: change) == 3600)
            #expect(rules.utcOffset(at: Self.start2101) == 3600)
        }
        try directory.write(
            "WithFooter",
            TZifFile(types: file.types, transitions: file.transitions, footer: "<+02>-2").bytes
        )
        let withFooter = try ZoneRules(identifier: "WithFooter", directory: directory.path)
        #expect(withFooter.utcOffset(at: change - 1) == 100)
        #expect(withFooter.utcOffset(at: change) == 7200)
    }

    @Test(
        "identifiers that are not names inside the zone directory are refused before any file is read",
        arguments: [
            "", "/etc/passwd", "../../../etc/passwd", "Europe/../../etc/passwd", "Europe/Berlin\0", "Europe/Ber lin",
            "Europe\\Berlin", "Europe/Berlin;", "Ünïcode/Zone", "Europe/Berlin\n", "~/zone", "..",
        ]
    )
    func invalidIdentifiers(_ identifier: String) {
        #expect(throws: ZoneRules.LoadError.invalidIdentifier(identifier)) {
            try ZoneRules(identifier: identifier, directory: ZoneRules.defaultDirectory)
        }
        #expect(ZoneRules.named(identifier) == nil)
    }

    @Test("files that are not TZif, are cut short, are directories or are missing are refused")
    func unusableFiles() throws {
        let directory = try TemporaryZoneDirectory()
        try directory.write("Text", Array("Europe/Berlin\n".utf8))
        try directory.write("Empty", [])
        let whole = TZifFile(types: [(3600, false)], transitions: [(0, 0)], footer: "CET-1").bytes
        try directory.write("Short", Array(whole.prefix(whole.count - 20)))
        try directory.write("BadFooter", TZifFile(types: [(0, false)], footer: "not a rule").bytes)
        try directory.write("HugeOffset", TZifFile(types: [(0, false)], footer: "XXX-25").bytes)
        try directory.write("NoRuleEnd", TZifFile(types: [(0, false)], footer: "CET-1CEST,M3.5.0").bytes)
        try FileManager.default.createDirectory(atPath: directory.path + "/Folder", withIntermediateDirectories: true)
        for name in ["Text", "Empty"] {
            #expect(throws: ZoneRules.LoadError.notTZif(path: directory.path + "/" + name)) {
                try ZoneRules(identifier: name, directory: directory.path)
            }
        }
        for name in ["Short", "BadFooter", "HugeOffset", "NoRuleEnd"] {
            #expect {
                try ZoneRules(identifier: name, directory: directory.path)
            } throws: {
                guard case .malformed = $0 as? ZoneRules.LoadError else { return false }
                return true
            }
        }
        for name in ["Folder", "Missing"] {
            #expect {
                try ZoneRules(identifier: name, directory: directory.path)
            } throws: {
                guard case .unreadable = $0 as? ZoneRules.LoadError else { return false }
                return true
            }
        }
        #expect(ZoneRules.named("Mars/Olympus") == nil)
        #expect(ZoneRules.named("Europe") == nil)
    }

    @Test(
        "where no file has the name, GMT and UTC with an offset are accepted and refused as Foundation's TimeZone did",
        arguments: [
            "GMT+5", "GMT-5", "GMT+05", "GMT+0530", "GMT+5:30", "GMT+05:30", "UTC+1", "UTC-09:30", "UTC+0", "GMT+14",
            "GMT+18", "GMT+18:00", "GMT-00", "GMT+0000", "GMT+530", "GMT+19", "GMT+18:30", "GMT+1830", "GMT-18:59",
            "GMT+24", "GMT+5:60", "gmt+5", "GMT5", "GMT+5:3", "GMT+05:3", "GMT+005", "UT+1", "UTC+", "GMT+", "GMT+5:",
        ]
    )
    func fixedOffsets(_ identifier: String) throws {
        let empty = try TemporaryZoneDirectory()
        let theirs = TimeZone(identifier: identifier)
        // Through the cached loader, with the files and with no files at all.
        for directory in [ZoneRules.defaultDirectory, empty.path] {
            let loaded = ZoneRules.named(identifier, directory: directory)
            #expect(loaded?.utcOffset(at: 1_800_000_000) == theirs?.secondsFromGMT(), "\(identifier) in \(directory)")
        }
        #expect(ZoneRules.named("UTC", directory: empty.path)?.utcOffset(at: 0) == 0)
        #expect(ZoneRules.named("GMT", directory: empty.path)?.utcOffset(at: 0) == 0)
        #expect(ZoneRules.named("Europe/Berlin", directory: empty.path) == nil)
    }

    @Test("named zones are loaded once and kept")
    func cached() throws {
        let berlin = try #require(ZoneRules.named("Europe/Berlin"))
        #expect(ZoneRules.named("Europe/Berlin") == berlin)
        #expect(berlin.identifier == "Europe/Berlin")
        #expect(berlin.utcOffset(at: Self.time("2026-03-29T00:59:59Z")) == 3600)
        #expect(berlin.utcOffset(at: Self.time("2026-03-29T01:00:00Z")) == 7200)
    }
}

/// A TZif file (RFC 8536) written byte by byte: version 2 by default, with the same data in its version 1 block.
struct TZifFile {
    var version: UInt8 = UInt8(ascii: "2")
    var types: [(offset: Int32, isDaylight: Bool)]
    var transitions: [(time: Int, type: UInt8)] = []
    var footer = ""

    init(
        types: [(offset: Int32, isDaylight: Bool)],
        transitions: [(time: Int, type: UInt8)] = [],
        footer: String = ""
    ) {
        self.types = types
        self.transitions = transitions
        self.footer = footer
    }

    var bytes: [UInt8] {
        var bytes = block(timeSize: 4)
        if version >= UInt8(ascii: "2") {
            bytes += block(timeSize: 8) + Array("\n\(footer)\n".utf8)
        }
        return bytes
    }

    private func block(timeSize: Int) -> [UInt8] {
        func bigEndian(_ value: Int, _ size: Int) -> [UInt8] {
            (0..<size).reversed().map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
        }
        var bytes = Array("TZif".utf8) + [version] + [UInt8](repeating: 0, count: 15)
        // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt; every type's designation is "ZZ".
        for count in [0, 0, 0, transitions.count, types.count, 3] { bytes += bigEndian(count, 4) }
        for transition in transitions { bytes += bigEndian(transition.time, timeSize) }
        bytes += transitions.map(\.type)
        for type in types { bytes += bigEndian(Int(type.offset), 4) + [type.isDaylight ? 1 : 0, 0] }
        bytes += Array("ZZ\0".utf8)
        return bytes
    }
}

/// A directory of zone files for one test, removed when the test's value goes away.
final class TemporaryZoneDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "zones-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ bytes: [UInt8]) throws {
        let file = URL(fileURLWithPath: path).appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: file)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

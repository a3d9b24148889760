import Foundation
import Testing

/// Every input the fuzzers ever crashed on (kept under `fuzz/regressions/<target>/`), and the seed corpus, replayed
/// through the same functions the fuzz targets call: none may crash again.
@Suite struct FuzzRegressionTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("fuzz")

    static let targets: [(name: String, run: @Sendable ([UInt8]) -> Void)] = [
        ("config", ConfigFuzzInput.run),
        ("routing", RoutingFuzzInput.run),
        ("listen-address", ListenAddressFuzzInput.run),
    ]

    static func inputs(_ folder: String, _ target: String) -> [URL] {
        let directory = root.appendingPathComponent(folder).appendingPathComponent(target)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasPrefix(".") && $0 != "README.md" }.sorted().map {
            directory.appendingPathComponent($0)
        }
    }

    @Test(arguments: ["config", "routing", "listen-address"])
    func crashingInputsFoundByTheFuzzerNoLongerCrash(target: String) throws {
        let run = try #require(Self.targets.first { $0.name == target }?.run)
        for file in Self.inputs("regressions", target) {
            run(Array(try Data(contentsOf: file)))
        }
    }

    @Test(arguments: ["config", "routing", "listen-address"])
    func theSeedCorpusRunsCleanly(target: String) throws {
        let run = try #require(Self.targets.first { $0.name == target }?.run)
        let seeds = Self.inputs("corpus", target)
        #expect(!seeds.isEmpty, "no seeds under fuzz/corpus/\(target)")
        for file in seeds {
            run(Array(try Data(contentsOf: file)))
        }
    }
}

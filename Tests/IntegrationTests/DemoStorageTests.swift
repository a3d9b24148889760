import Foundation
import SlaprobeTesting
import Testing

/// Each `slaprobe demo` keeps its alert state in a temporary directory of its own, removed when it exits.
@Suite(.serialized) struct DemoStorageTests {
    @Test func twoDemosGetTheirOwnDirectoriesAndBothAreRemovedAtExit() async throws {
        let temporary = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: temporary) }
        // What an earlier demo of the old layout left behind must not be loaded or removed.
        let leftover = temporary.appendingPathComponent("slaprobe-demo")
        try FileManager.default.createDirectory(at: leftover, withIntermediateDirectories: true)
        func contents() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: temporary.path).filter { $0 != "slaprobe-demo" }
        }

        let demos = try (0..<2).map { _ in
            try ManagedProcess(
                Harness.slaprobe,
                ["demo", "--web.listen-address", "127.0.0.1:0"],
                environment: ["TMPDIR": temporary.path]
            )
        }
        defer { for demo in demos { demo.stop() } }
        for demo in demos { _ = try await demo.listeningPort(message: "slaprobe listening") }
        let directories = try contents()
        #expect(directories.count == 2, "\(directories)")
        #expect(directories.allSatisfy { $0.hasPrefix("slaprobe-demo-") }, "\(directories)")

        for demo in demos {
            demo.signal(SIGINT)
            #expect(await demo.waitForExit(timeout: 10) == 0, "\(demo.text)")
        }
        #expect(try contents() == [])
        #expect(FileManager.default.fileExists(atPath: leftover.path))
    }
}

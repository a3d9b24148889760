import Foundation
import SlaprobeTesting
import Testing

/// What the built `slaprobe` executable links. The debug build links the Swift libraries dynamically, so `ldd`
/// shows every Swift library a module imports: FoundationEssentials may be there, full Foundation,
/// FoundationInternationalization and ICU (about 30 MB of code and tables) must not. `scripts/release-check` checks
/// the static release build the same way.
@Suite enum BinaryLinksTests {
    @Test("The binary links FoundationEssentials only: no Foundation, FoundationInternationalization or ICU")
    static func noFoundationInternationalizationOrICU() throws {
        let (status, output) = try Harness.run("ldd", [Harness.slaprobe])
        #expect(status == 0, "ldd: \(output)")
        let libraries = output.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(!libraries.isEmpty, "ldd printed no libraries: \(output)")
        let forbidden = libraries.filter {
            $0.hasPrefix("libFoundation.so") || $0.hasPrefix("libFoundationInternationalization")
                || $0.hasPrefix("lib_FoundationICU") || $0.hasPrefix("libicu")
                || $0.hasPrefix("libFoundationNetworking")
                || $0.hasPrefix("libFoundationXML")
        }
        #expect(forbidden.isEmpty, "slaprobe links \(forbidden)")
    }
}

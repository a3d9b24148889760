import Config
import Foundation
import Testing

@Suite("Text helpers: printf formats, percent-encoding, trimming, whole matches")
struct TextFormatTests {
    @Test("printf formats print as Foundation's String(format:) did")
    func printfAgreesWithFoundation() {
        var random = SystemRandomNumberGenerator()
        let formats = ["%.0f", "%.1f", "%.2fms", "%.3f", "%.4g", "%.6f", "%.1f %%"]
        var values: [Double] = [0, -0.0, 1, 0.05, 0.15, 2.5, 1e-7, 123456789.125, .infinity, -.infinity]
        for _ in 0..<300 { values.append(Double.random(in: -1e6...1e6, using: &random)) }
        for format in formats {
            for value in values {
                #expect(PrintfFormat.string(format, value) == String(format: format, value), "\(format) \(value)")
            }
        }
        let long = PrintfFormat.string("%.200f", 1.0)
        #expect(long.count == 202)
        #expect("ab".padded(to: 4) == "ab  ")
        #expect("abcdef".padded(to: 3) == "abc")
    }

    @Test("Percent-encoding and decoding round-trip, and match Foundation's")
    func percentEncoding() {
        for text in ["plain", "a b&c=d", "é😀/?#", "%41", "", "~-._"] {
            let encoded = PercentEncoding.encode(text, keeping: PercentEncoding.unreserved)
            #expect(
                encoded
                    == text.addingPercentEncoding(
                        withAllowedCharacters: .alphanumerics.intersection(
                            CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
                        ).union(CharacterSet(charactersIn: "-._~"))
                    )
            )
            #expect(PercentEncoding.decode(encoded) == text)
        }
        #expect(PercentEncoding.decode("a%2") == nil)
        #expect(PercentEncoding.decode("%zz") == nil)
        #expect(PercentEncoding.decode("%C3") == nil, "a lone lead byte is not UTF-8")
        #expect(PercentEncoding.decode("a+b%20c") == "a+b c")
    }

    @Test("Trimming and whole matches")
    func trimmingAndMatching() {
        #expect(" \t x y \r\n".trimmed() == "x y")
        #expect("   ".trimmed() == "")
        #expect("GET".wholeMatches("^[A-Za-z]+$"))
        #expect(!"GET\n".wholeMatches("^[A-Za-z]+$"), "a trailing newline is not part of a name")
        #expect(!"GE T".wholeMatches("[A-Za-z]+"))
    }
}

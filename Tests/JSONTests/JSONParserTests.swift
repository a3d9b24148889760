import Foundation
import JSON
import Testing

@Suite("JSON parser")
struct JSONParserTests {
    private func parse(_ text: String) -> JSONNode? { JSONNode(parsing: Array(text.utf8)) }

    @Test("Documents parse to the values they hold, with members in order and numbers as written")
    func documentsParse() throws {
        let node = try #require(
            parse(
                #" {"id": "cs_1", "n": -1.50e+2, "ok": true, "none": null, "items": [0, {"a": "\u00e9\ud83d\ude00\n"}], "id": "cs_2"} "#
            )
        )
        #expect(node["id"]?.string == "cs_2", "the last of a repeated key wins")
        #expect(node["n"] == .number(-150, text: "-1.50e+2"))
        #expect(node.lookup("items[1].a")?.string == "é😀\n")
        #expect(node.lookup("items[0]") == .number(0, text: "0"))
        #expect(node.lookup("items[2]") == nil)
        #expect(node.lookup("ok") == .bool(true))
        #expect(node.lookup("none") == .null)
        #expect(node.lookup("missing.deeper") == nil)
        #expect(node.lookup("items[1]")?.text == #"{"a":"é😀\n"}"#)
        #expect(parse("42")?.text == "42")
        #expect(parse(#""top""#)?.string == "top")
        #expect(parse("[]") == .array([]))
        #expect(parse("{}") == .object([]))
    }

    @Test(
        "What RFC 8259 refuses is refused",
        arguments: [
            "", " ", "[1,]", "{\"a\":1,}", "[01]", "[1.]", "[.5]", "[1e]", "[+1]", "['a']", "{a:1}", "[1 2]",
            "{\"a\" 1}", "[\"tab\there\"]", "[\"\\x\"]", "[\"\\ud800\"]", "[\"\\udc00\"]", "[\"\\u12\"]", "[nul]",
            "[true false]", "[1]]", "[1] x", "/* c */ 1", "[NaN]", "[Infinity]", "[-]", "\"open", "{\"a\":1",
        ]
    )
    func invalidDocumentsAreRefused(text: String) {
        #expect(parse(text) == nil, "\(text)")
    }

    @Test("Invalid UTF-8 inside a string is refused")
    func invalidUTF8IsRefused() {
        #expect(JSONNode(parsing: [0x22, 0xC3, 0x28, 0x22]) == nil)
        #expect(JSONNode(parsing: [0x22, 0xED, 0xA0, 0x80, 0x22]) == nil)
        #expect(JSONNode(parsing: [0x22, 0xC3, 0xA9, 0x22])?.string == "é")
    }

    @Test("Nesting is bounded, so a hostile body cannot exhaust the stack")
    func nestingIsBounded() {
        let limit = JSONParser.maximumDepth
        #expect(parse(String(repeating: "[", count: limit) + String(repeating: "]", count: limit)) != nil)
        #expect(parse(String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)) == nil)
        #expect(parse(String(repeating: "[", count: 100_000)) == nil)
        #expect(parse(String(repeating: "{\"a\":", count: 100_000)) == nil)
    }

    @Test("It agrees with Foundation's JSONSerialization on which documents are JSON, and on their values")
    func agreesWithFoundation() throws {
        let documents = [
            #"{"a":[1,2.5,-0,1e3,"x",null,true,false,{"b":{}}]}"#, #"[1e-7, 123456789012345678901234567890]"#,
            #""\"\\\/\b\f\n\r\t\u0041""#, "  [ 1 , 2 ]  ", #"{"":""}"#, "[1,,2]", "{\"a\":}", "[\"\u{7f}\"]",
            "-0.0e-0", "1E+2", "[-01]", "[1.e1]", "[\"\\uD834\\uDD1E\"]", "{\"a\":1}{",
        ]
        for document in documents {
            let ours = parse(document)
            let theirs = try? JSONSerialization.jsonObject(with: Data(document.utf8), options: [.fragmentsAllowed])
            #expect((ours != nil) == (theirs != nil), "\(document): ours \(String(describing: ours))")
            if let ours, let theirs {
                let reparsed = try JSONSerialization.jsonObject(
                    with: Data(ours.text.utf8),
                    options: [.fragmentsAllowed]
                )
                let options: JSONSerialization.WritingOptions = [.sortedKeys, .fragmentsAllowed]
                let a = try JSONSerialization.data(withJSONObject: reparsed, options: options)
                let b = try JSONSerialization.data(withJSONObject: theirs, options: options)
                #expect(a == b, "\(document) -> \(ours.text)")
            }
        }
    }
}

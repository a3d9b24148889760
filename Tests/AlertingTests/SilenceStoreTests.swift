import Alerting
import Config
import Foundation
import Testing

@Suite("Silences: states, updates, expiry and persistence")
struct SilenceStoreTests {
    private func request(
        id: String? = nil,
        _ matchers: [String] = [#"probe="entitlement""#],
        startsAt: Double = 1000,
        endsAt: Double = 4600,
        comment: String = "deploy"
    ) throws -> SilenceRequest {
        SilenceRequest(
            id: id,
            matchers: try matchers.map { try LabelMatcher(parsing: $0) },
            startsAt: startsAt,
            endsAt: endsAt,
            createdBy: "ops",
            comment: comment
        )
    }

    @Test("pending before its start, active until its end, expired from its end on")
    func states() throws {
        let store = SilenceStore(path: nil, now: 0)
        let id = try store.upsert(request(startsAt: 2000, endsAt: 3000), now: 1000)
        let silence = try store.silence(id: id)
        #expect(silence.state(at: 1999) == .pending)
        #expect(silence.state(at: 2000) == .active)
        #expect(silence.state(at: 2999) == .active)
        #expect(silence.state(at: 3000) == .expired)
        #expect(store.counts(at: 2500) == [.pending: 0, .active: 1, .expired: 0])
        #expect(store.muting(["probe": "entitlement", "alertname": "A"], at: 2500) == [id])
        #expect(store.muting(["probe": "checkout"], at: 2500).isEmpty)
        #expect(store.muting(["probe": "entitlement"], at: 1500).isEmpty)
    }

    @Test("a past start is now; expiring ends an active silence now, a pending one unstarted, an expired one no more")
    func expire() throws {
        let store = SilenceStore(path: nil, now: 0)
        let active = try store.upsert(request(startsAt: 10), now: 1000)
        #expect(try store.silence(id: active).startsAt == 1000)
        let pending = try store.upsert(request(startsAt: 2000, endsAt: 3000), now: 1000)
        try store.expire(id: active, now: 1500)
        try store.expire(id: pending, now: 1500)
        #expect(try store.silence(id: active).endsAt == 1500)
        #expect(try store.silence(id: pending).state(at: 2500) == .expired)
        #expect(store.counts(at: 1500) == [.pending: 0, .active: 0, .expired: 2])
        try store.expire(id: active, now: 1600)
        #expect(try store.silence(id: active).endsAt == 1500, "expiring again changes nothing")
        #expect(throws: SilenceError.notFound("nope")) { try store.expire(id: "nope", now: 1600) }
    }

    @Test("updating the comment or end keeps the id; changing an active silence's matchers expires it for a new one")
    func update() throws {
        let store = SilenceStore(path: nil, now: 0)
        let id = try store.upsert(request(), now: 1000)
        let same = try store.upsert(request(id: id, endsAt: 9000, comment: "longer"), now: 1100)
        #expect(same == id)
        #expect(try store.silence(id: id).comment == "longer")
        #expect(try store.silence(id: id).endsAt == 9000)
        #expect(try store.silence(id: id).startsAt == 1000)
        let replaced = try store.upsert(request(id: id, [#"probe="checkout""#]), now: 1200)
        #expect(replaced != id)
        #expect(try store.silence(id: id).state(at: 1200) == .expired)
        #expect(try store.silence(id: replaced).state(at: 1200) == .active)
        #expect(throws: SilenceError.notFound("missing")) { try store.upsert(request(id: "missing"), now: 1200) }
    }

    @Test(
        "invalid silences are refused with the reason",
        arguments: [
            (#"probe="x""#, 3000.0, 2000.0, "must not be before the start"),
            (#"probe="x""#, 100.0, 500.0, "must be in the future"),
            (#"probe=~".*""#, 1000.0, 2000.0, "must not match the empty value"),
        ]
    )
    func invalid(_ matcher: String, _ startsAt: Double, _ endsAt: Double, _ phrase: String) throws {
        let store = SilenceStore(path: nil, now: 0)
        let request = try request([matcher], startsAt: startsAt, endsAt: endsAt)
        #expect {
            _ = try store.upsert(request, now: 1000)
        } throws: { error in
            (error as? SilenceError)?.status == 400 && "\(error)".contains(phrase)
        }
    }

    @Test("the JSON body is read as Alertmanager's postableSilence, and bad bodies are named")
    func json() throws {
        let body = #"""
            {"comment":"c","createdBy":"me","endsAt":"2026-12-03T19:25:40.435Z","startsAt":"2026-12-03T18:25:40Z",
             "matchers":[{"isEqual":false,"isRegex":true,"name":"alertname","value":"Foo.*"}]}
            """#
        let request = try SilenceRequest(json: Array(body.utf8))
        #expect(request.matchers.map(\.description) == [#"alertname!~"Foo.*""#])
        #expect(abs(request.endsAt - request.startsAt - 3600.435) < 0.001)
        #expect(request.id == nil)
        for (bad, phrase) in [
            ("{", "not a silence in JSON"), (#"{"matchers":[]}"#, "at least one matcher"),
            (#"{"matchers":[{"name":"a","value":"b","isRegex":false}],"endsAt":"x","startsAt":"x"}"#, "RFC 3339"),
            (#"{"matchers":[{"name":"a","value":"b"}]}"#, "isRegex are required"),
        ] {
            #expect {
                _ = try SilenceRequest(json: Array(bad.utf8))
            } throws: { error in
                "\(error)".contains(phrase)
            }
        }
    }

    @Test("writes from many threads at once all land, each saved, while readers keep reading")
    func concurrentWrites() async throws {
        let directory = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = SilenceStore(path: directory + "/silences.json", now: 1000)
        let request = try request()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<16 {
                group.addTask {
                    let id = try store.upsert(request, now: 1000)
                    if index.isMultiple(of: 2) { try store.expire(id: id, now: 1001) }
                    _ = store.muting(["probe": "entitlement"], at: 1001)
                    _ = store.counts(at: 1001)
                }
            }
            try await group.waitForAll()
        }
        #expect(store.counts(at: 1001) == [.pending: 0, .active: 8, .expired: 8])
        #expect(SilenceStore(path: directory + "/silences.json", now: 1001).counts(at: 1001) == store.counts(at: 1001))
    }

    @Test("silences survive a restart; expired ones are dropped after the retention; a corrupt file is set aside")
    func persistence() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/silences.json"
        let first = SilenceStore(path: path, now: 1000)
        let kept = try first.upsert(request(), now: 1000)
        let old = try first.upsert(request(comment: "old"), now: 1000)
        try first.expire(id: old, now: 1100)
        let reopened = SilenceStore(path: path, now: 2000)
        #expect(reopened.all(at: 2000) == first.all(at: 2000))
        #expect(reopened.all(at: 2000).map(\.id) == [kept, old])
        let later = 1100 + SilenceStore.retention + 1
        reopened.prune(now: later)
        #expect(reopened.all(at: later).map(\.id) == [kept])
        #expect(SilenceStore(path: path, now: later).all(at: later).map(\.id) == [kept])

        try Data("{not json".utf8).write(to: URL(fileURLWithPath: path))
        let fresh = SilenceStore(path: path, now: 5000)
        #expect(fresh.all(at: 5000).isEmpty)
        #expect(FileManager.default.fileExists(atPath: path + ".corrupt-5000"))
    }
}

import Config
import Foundation
import HTTPClient
import SlaprobeTesting
import Testing

@testable import Probing

@Suite struct UserPoolRequestTests {
    private static let url = "http://127.0.0.1:1/api/v1/entitlements?user_id={{user_id}}&project_id=p"

    private static func user(in request: ClientRequest) -> String? {
        URLComponents(string: request.url)?.queryItems?.first { $0.name == "user_id" }?.value
    }

    @Test("each run asks for one user of the pool, and over many runs for most of them")
    func requestsRotateOverThePool() throws {
        let pooled = probe(.entitlement, url: Self.url) { $0.userPool = UserPool(size: 10) }
        let builder = ProbeRequests(probe: pooled, userAgent: "slaprobe/test")
        var seen: [String: Int] = [:]
        for _ in 0..<300 {
            let user = try #require(Self.user(in: builder.main(identity: RequestIdentity())))
            seen[user, default: 0] += 1
        }
        #expect(Set(seen.keys) == Set((0..<10).map { "slaprobe-pool-\($0)" }))
        // Uniform: each of ten users gets about 30 of 300 runs.
        #expect(seen.values.allSatisfy { $0 >= 8 })
    }

    @Test("a listed pool sends only its own ids, and an explicit user wins")
    func listedPoolAndExplicitUser() throws {
        let pooled = probe(.entitlement, url: Self.url) { $0.userPool = UserPool(ids: ["alice", "bob"]) }
        let builder = ProbeRequests(probe: pooled, userAgent: "slaprobe/test")
        var seen = Set<String>()
        for _ in 0..<100 { seen.insert(try #require(Self.user(in: builder.main(identity: RequestIdentity())))) }
        #expect(seen == ["alice", "bob"])
        #expect(Self.user(in: builder.main(identity: RequestIdentity(), user: "carol")) == "carol")
    }

    @Test("without a pool every run asks for the probe's user")
    func noPoolKeepsTheFixedUser() throws {
        let fixed = probe(.entitlement, url: Self.url) { $0.userID = "slaprobe-synthetic" }
        let builder = ProbeRequests(probe: fixed, userAgent: "slaprobe/test")
        for _ in 0..<20 { #expect(Self.user(in: builder.main(identity: RequestIdentity())) == "slaprobe-synthetic") }
    }

    @Test("a seeded draw is reproducible and uniform over the pool")
    func seededDraw() {
        let pool = UserPool(size: 500)
        var first = SplitMix64(seed: 42)
        var second = SplitMix64(seed: 42)
        let a = (0..<2000).map { _ in pool.user(using: &first) }
        let b = (0..<2000).map { _ in pool.user(using: &second) }
        #expect(a == b)
        #expect(Set(a).count > 450)
        #expect(a.allSatisfy { $0.hasPrefix("slaprobe-pool-") && Int($0.dropFirst(14))! < 500 })
    }
}

import Config
import Testing

@Suite("user_pool")
struct UserPoolConfigTests {
    static func probe(_ lines: String) -> String {
        Fixtures.target + "probes:\n" + lines
    }

    @Test("user_pool {size: N} names slaprobe-pool-0 to N-1 and puts {{user_id}} in the default url")
    func sizedPool() throws {
        let config = try Fixtures.parse(Self.probe("  - name: entitlement\n    user_pool: {size: 500}\n"))
        let probe = try #require(config.probes.first)
        let pool = try #require(probe.userPool)
        #expect(pool.count == 500)
        #expect(pool[0] == "slaprobe-pool-0")
        #expect(pool[499] == "slaprobe-pool-499")
        #expect(probe.url.hasPrefix("http://127.0.0.1:8080/api/v1/entitlements?user_id={{user_id}}&project_id="))
    }

    @Test("user_pool as a list keeps its ids in order")
    func listedPool() throws {
        let config = try Fixtures.parse(Self.probe("  - name: entitlement\n    user_pool: [alice, bob.2, c_3~x]\n"))
        let pool = try #require(config.probes.first?.userPool)
        #expect(pool.count == 3)
        #expect((0..<pool.count).map { pool[$0] } == ["alice", "bob.2", "c_3~x"])
    }

    @Test("without user_pool the entitlement url carries the fixed user and no pool")
    func noPool() throws {
        let probe = try #require(try Fixtures.parse(Self.probe("  - name: entitlement\n")).probes.first)
        #expect(probe.userPool == nil)
        #expect(!probe.url.contains("{{user_id}}"))
        #expect(probe.url.contains("user_id=\(probe.userID)"))
    }

    @Test("an http probe whose url uses {{user_id}} may have a pool")
    func httpProbeWithPlaceholder() throws {
        let yaml = Self.probe(
            "  - name: lookup\n    kind: http\n    url: http://127.0.0.1:8080/u?id={{user_id}}\n"
                + "    user_pool: {size: 3}\n"
        )
        let probe = try #require(try Fixtures.parse(yaml).probes.first)
        #expect(probe.userPool?.count == 3)
    }

    @Test(
        "pool errors name their line and key",
        arguments: [
            ("    user_pool: {size: 0}\n", 7, "probes[0].user_pool.size", "must be at least 1"),
            ("    user_pool: {size: two}\n", 7, "probes[0].user_pool.size", "expected a whole number"),
            ("    user_pool: {}\n", 7, "probes[0].user_pool.size", "size is required"),
            ("    user_pool: {size: 3, count: 3}\n", 7, "probes[0].user_pool.count", "unknown key \"count\""),
            ("    user_pool: []\n", 7, "probes[0].user_pool", "at least one user id"),
            ("    user_pool:\n      - a\n      - \"\"\n", 9, "probes[0].user_pool[1]", "must not be empty"),
            ("    user_pool: [a, \"b c\"]\n", 7, "probes[0].user_pool[1]", "invalid user id \"b c\""),
            ("    user_pool: [a, a]\n", 7, "probes[0].user_pool[1]", "duplicate user id \"a\""),
            ("    user_pool: 12\n", 7, "probes[0].user_pool", "expected {size: N} or a list of user ids"),
            ("    user_pool: {size: 2000000}\n", 7, "probes[0].user_pool.size", "at most 1000000"),
        ]
    )
    func refused(_ lines: String, _ line: Int, _ key: String, _ phrase: String) throws {
        let errors = Fixtures.errors(Self.probe("  - name: entitlement\n" + lines))
        let error = try #require(errors.first)
        #expect(errors.count == 1, "expected exactly one error, got:\n\(ConfigErrors(errors))")
        #expect(error.line == line)
        #expect(error.key == key)
        #expect(error.message.contains(phrase), "message was: \(error.message)")
    }

    @Test(
        "a pool is refused where no {{user_id}} would use it",
        arguments: [
            ("  - name: checkout\n    user_pool: {size: 3}\n", "applies only to entitlement probes"),
            ("  - name: webhook\n    user_pool: {size: 3}\n", "applies only to entitlement probes"),
            (
                "  - name: plain\n    kind: http\n    url: http://127.0.0.1:8080/x\n    user_pool: {size: 3}\n",
                "applies only to entitlement probes"
            ),
            (
                "  - name: entitlement\n    url: http://127.0.0.1:8080/e?user_id=u\n    user_pool: {size: 3}\n",
                "needs {{user_id}} in the probe's url"
            ),
        ]
    )
    func refusedWithoutPlaceholder(_ lines: String, _ phrase: String) throws {
        let errors = Fixtures.errors(Self.probe(lines))
        let error = try #require(errors.first)
        #expect(errors.count == 1, "expected exactly one error, got:\n\(ConfigErrors(errors))")
        #expect(error.key == "probes[0].user_pool")
        #expect(error.message.contains(phrase), "message was: \(error.message)")
    }

    @Test("a probe label named cache is refused: the cache latency family uses that label")
    func cacheLabelIsReserved() throws {
        let errors = Fixtures.errors(Self.probe("  - name: entitlement\n    labels: {cache: x}\n"))
        #expect(errors.first?.message.contains("reserved") == true)
    }
}

import Config
import Testing

@Suite("Interval floor and warnings")
struct IntervalTests {
    @Test("a global interval under 10ms is refused where it is written")
    func globalFloor() {
        let errors = Fixtures.errors(Fixtures.target + "global:\n  interval: 1ms\n")
        #expect(
            errors.map(\.description) == [
                "config.yml:6:13: global.interval: interval 1ms is shorter than the minimum 10ms: "
                    + "it would flood the target"
            ]
        )
    }

    @Test("a probe interval under 10ms is refused where it is written")
    func probeFloor() {
        let errors = Fixtures.errors(
            Fixtures.target + "probes:\n  - name: entitlement\n    interval: 9ms\n    timeout: 5ms\n"
        )
        #expect(errors.map(\.key) == ["probes[0].interval"])
        #expect(errors.first?.line == 7)
        #expect(errors.first?.column == 15)
        #expect(errors.first?.message.contains("shorter than the minimum 10ms") == true)
    }

    @Test("10ms is accepted, with a warning that it is under 1s")
    func floorAccepted() throws {
        let config = try Fixtures.parse(Fixtures.target + "global:\n  interval: 10ms\n  timeout: 5ms\n")
        #expect(config.global.interval == .milliseconds(10))
        #expect(
            config.warnings.map(\.description) == [
                "config.yml:6:13: global.interval: interval 10ms is under 1s: slaprobe is a low-rate prober; "
                    + "make sure the target can take this load"
            ]
        )
    }

    @Test("a shortened default timeout is a warning, never silent")
    func shortenedTimeout() throws {
        let config = try Fixtures.parse(
            Fixtures.target + "global:\n  interval: 1s\nprobes:\n  - name: entitlement\n    interval: 500ms\n"
        )
        #expect(config.global.timeout == .seconds(1))
        #expect(config.probes[0].timeout == .milliseconds(500))
        #expect(
            config.warnings.map(\.description) == [
                "config.yml:6:13: global.interval: the default timeout 2s is shortened to the interval 1s; "
                    + "set timeout to choose it",
                "config.yml:9:15: probes[0].interval: interval 500ms is under 1s: slaprobe is a low-rate prober; "
                    + "make sure the target can take this load",
                "config.yml:9:15: probes[0].interval: the default timeout 2s is shortened to the interval 500ms; "
                    + "set timeout to choose it",
            ]
        )
    }

    @Test("an explicit timeout and intervals of 1s and more give no warning")
    func noWarnings() throws {
        let config = try Fixtures.parse(
            Fixtures.target + "global:\n  interval: 1s\n  timeout: 800ms\nprobes:\n  - name: entitlement\n"
                + "    interval: 5s\n  - name: checkout\n    interval: 900ms\n    timeout: 300ms\n"
        )
        #expect(config.warnings.map(\.key) == ["probes[1].interval"])
        #expect(config.warnings.allSatisfy { !$0.message.contains("timeout") })
        let plain = try Fixtures.parse(Fixtures.target)
        #expect(plain.warnings.isEmpty)
    }

    @Test("--probe.interval under 10ms is refused on the command line")
    func flagFloor() {
        #expect {
            _ = try ConfigLoader.defaultConfig(
                targetURL: "http://127.0.0.1:8080",
                apiKey: Secret("k"),
                webhookSecret: Secret("w"),
                interval: .milliseconds(1),
                environment: [:]
            )
        } throws: { error in
            (error as? ConfigErrors)?.description
                == "<command line>: global.interval: interval 1ms is shorter than the minimum 10ms: "
                + "it would flood the target"
        }
    }

    @Test("a short --probe.interval warns, and says the timeout was shortened")
    func flagWarnings() throws {
        let config = try ConfigLoader.defaultConfig(
            targetURL: "http://127.0.0.1:8080",
            apiKey: Secret("k"),
            webhookSecret: Secret("w"),
            interval: .milliseconds(200),
            environment: [:]
        )
        #expect(config.global.timeout == .milliseconds(200))
        #expect(config.warnings.map(\.file) == ["<command line>", "<command line>"])
        #expect(config.warnings[0].message.contains("interval 200ms is under 1s"))
        #expect(
            config.warnings[1].message
                == "the default timeout 2s is shortened to the interval 200ms; "
                + "use a configuration file to set a timeout"
        )
    }

    @Test("a configuration built in code is held to the same floor")
    func codeBuilt() throws {
        var config = try Fixtures.parse(Fixtures.target)
        config.probes[1].interval = .milliseconds(1)
        config.probes[1].timeout = .milliseconds(1)
        #expect {
            _ = try ConfigLoader.validate(config)
        } throws: { error in
            (error as? ConfigErrors)?.errors.map(\.key) == ["probes[1].interval"]
        }
    }
}

import Config

/// What the `config` fuzz target does with one input, shared by `fuzz/Sources/FuzzConfig` (through a symlink) and
/// the regression replays in ``FuzzRegressionTests``: the bytes, as UTF-8 (invalid sequences repaired), are a
/// configuration file. Any outcome but a crash or a hang is fine; errors are expected.
enum ConfigFuzzInput {
    static func run(_ bytes: [UInt8]) {
        let yaml = String(decoding: bytes, as: UTF8.self)
        // *_file paths resolve against a directory that does not exist, so no input reads the machine's files
        // through a relative path; *_env names find only FUZZ_SECRET.
        _ = try? ConfigLoader.parse(
            yaml: yaml,
            file: "fuzz.yml",
            baseDirectory: "/nonexistent-slaprobe-fuzz",
            environment: ["FUZZ_SECRET": "fuzz-secret-value"]
        )
    }
}

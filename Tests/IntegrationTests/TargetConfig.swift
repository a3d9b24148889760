/// The configuration the integration tests run `slaprobe` with against `slaprobe target`: probes every 250 ms, a
/// 10 s window, the secrets from `TEST_KEY` and `TEST_SECRET` (``environment``), the given probes and, after them,
/// any other sections.
enum TargetConfig {
    /// The environment that holds the target's API key and webhook secret.
    static let environment = ["TEST_KEY": FaultTests.key, "TEST_SECRET": FaultTests.secret]

    /// The YAML document; `probes` holds the list items of `probes:`, indented by two spaces.
    static func yaml(targetPort: Int, probes: String, then sections: String = "") -> String {
        """
        global:
          interval: 250ms
          windows: [10s]
        target:
          url: http://127.0.0.1:\(targetPort)
          api_key_env: TEST_KEY
          webhook_secret_env: TEST_SECRET
        probes:
        \(probes)
        \(sections)
        """
    }

    /// `probes:` items for billing probes named after their kinds.
    static func billingProbes(_ kinds: String...) -> String {
        kinds.map { "  - name: \($0)\n    kind: \($0)" }.joined(separator: "\n")
    }
}

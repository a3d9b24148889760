import Config
import Testing

/// One configuration that must be refused, with where and why.
struct InvalidCase: CustomTestStringConvertible, Sendable {
    let name: String
    let yaml: String
    let line: Int?
    let key: String
    let phrase: String
    var environment: [String: String] = Fixtures.environment

    var testDescription: String { name }
}

extension InvalidCase {
    static let t = Fixtures.target

    /// Every refused configuration of the table, each with where and why.
    static let all: [InvalidCase] = [
        InvalidCase(
            name: "unknown top-level key",
            yaml: t + "prob:\n  - name: x\n",
            line: 5,
            key: "prob",
            phrase: "unknown key \"prob\"; did you mean \"probes\"?"
        ),
        InvalidCase(
            name: "unknown top-level key without a close match",
            yaml: t + "zebra: 1\n",
            line: 5,
            key: "zebra",
            phrase: "unknown key \"zebra\" (allowed: global, target, probes, alerting)"
        ),
        InvalidCase(
            name: "unknown probe key with a suggestion",
            yaml: t + "probes:\n  - name: entitlement\n    timout: 1s\n",
            line: 7,
            key: "probes[0].timout",
            phrase: "did you mean \"timeout\"?"
        ),
        InvalidCase(
            name: "wrong type: list for interval",
            yaml: t + "global:\n  interval: [5s]\n",
            line: 6,
            key: "global.interval",
            phrase: "expected a duration such as 5s or 1m30s, got a list"
        ),
        InvalidCase(
            name: "wrong type: string for interval",
            yaml: t + "global:\n  interval: fast\n",
            line: 6,
            key: "global.interval",
            phrase: "\"fast\" is not a duration"
        ),
        InvalidCase(
            name: "wrong type: string for a boolean",
            yaml: t + "probes:\n  - name: entitlement\n    reuse_connections: \"yes\"\n",
            line: 7,
            key: "probes[0].reuse_connections",
            phrase: "expected true or false, got the string \"yes\""
        ),
        InvalidCase(
            name: "duration without unit",
            yaml: t + "global:\n  interval: 5\n",
            line: 6,
            key: "global.interval",
            phrase: "has no unit"
        ),
        InvalidCase(
            name: "bad duration unit",
            yaml: t + "global:\n  timeout: 5x\n",
            line: 6,
            key: "global.timeout",
            phrase: "unknown unit \"x\""
        ),
        InvalidCase(
            name: "zero timeout",
            yaml: t + "global:\n  timeout: 0\n",
            line: 6,
            key: "global.timeout",
            phrase: "must be greater than 0"
        ),
        InvalidCase(
            name: "timeout greater than the probe interval",
            yaml: t + "probes:\n  - name: entitlement\n    interval: 5s\n    timeout: 10s\n",
            line: 8,
            key: "probes[0].timeout",
            phrase: "timeout 10s must not exceed the probe interval 5s"
        ),
        InvalidCase(
            name: "global timeout greater than a probe's interval",
            yaml: t + "global:\n  timeout: 3s\nprobes:\n  - name: entitlement\n    interval: 1s\n",
            line: 9,
            key: "probes[0].interval",
            phrase: "shorter than global.timeout 3s"
        ),
        InvalidCase(
            name: "global timeout greater than the global interval",
            yaml: t + "global:\n  interval: 1s\n  timeout: 2s\n",
            line: 7,
            key: "global.timeout",
            phrase: "timeout 2s must not exceed the interval 1s"
        ),
        InvalidCase(
            name: "duplicate probe name",
            yaml: t + "probes:\n  - name: entitlement\n  - name: entitlement\n",
            line: 7,
            key: "probes[1].name",
            phrase: "duplicate probe name \"entitlement\" (first defined on line 6)"
        ),
        InvalidCase(
            name: "bad probe name",
            yaml: t + "probes:\n  - name: 9lives\n    kind: http\n    url: http://127.0.0.1/\n",
            line: 6,
            key: "probes[0].name",
            phrase: "invalid probe name \"9lives\""
        ),
        InvalidCase(
            name: "missing probe name",
            yaml: t + "probes:\n  - kind: http\n    url: http://127.0.0.1/\n",
            line: 6,
            key: "probes[0].name",
            phrase: "name is required"
        ),
        InvalidCase(
            name: "unknown kind",
            yaml: t + "probes:\n  - name: p\n    kind: entitelment\n",
            line: 7,
            key: "probes[0].kind",
            phrase: "unknown kind \"entitelment\"; expected one of entitlement, checkout, webhook, http"
        ),
        InvalidCase(
            name: "http probe without url",
            yaml: t + "probes:\n  - name: p\n    kind: http\n",
            line: 6,
            key: "probes[0].url",
            phrase: "url is required for http probes"
        ),
        InvalidCase(
            name: "bad URL scheme",
            yaml: t + "probes:\n  - name: p\n    kind: http\n    url: ftp://example.com/x\n",
            line: 8,
            key: "probes[0].url",
            phrase: "must use http or https"
        ),
        InvalidCase(
            name: "bad target URL",
            yaml: "target:\n  url: not a url\n",
            line: 2,
            key: "target.url",
            phrase: "is not an absolute URL"
        ),
        InvalidCase(
            name: "bad status matcher",
            yaml: t + "probes:\n  - name: entitlement\n    expect_status: [200, \"6xx\"]\n",
            line: 7,
            key: "probes[0].expect_status[1]",
            phrase: "invalid status \"6xx\""
        ),
        InvalidCase(
            name: "status code out of range",
            yaml: t + "probes:\n  - name: entitlement\n    expect_status:\n      - 99\n",
            line: 8,
            key: "probes[0].expect_status[0]",
            phrase: "expected a code 100..599 or a class 1xx..5xx"
        ),
        InvalidCase(
            name: "invalid regex",
            yaml: t + "probes:\n  - name: entitlement\n    assertions:\n      - regex: '(unclosed'\n",
            line: 8,
            key: "probes[0].assertions[0].regex",
            phrase: "invalid regular expression \"(unclosed\""
        ),
        InvalidCase(
            name: "invalid JSON path",
            yaml: t + "probes:\n  - name: entitlement\n    assertions:\n      - json_path: items[x]\n",
            line: 8,
            key: "probes[0].assertions[0].json_path",
            phrase: "invalid JSON path"
        ),
        InvalidCase(
            name: "missing secret file",
            yaml:
                "target:\n  url: http://127.0.0.1:8080\n  api_key_file: missing.key\n  webhook_secret_env: HOOK_SECRET\n",
            line: 3,
            key: "target.api_key_file",
            phrase: "cannot read secret file \"/nonexistent/missing.key\""
        ),
        InvalidCase(
            name: "unset environment variable",
            yaml:
                "target:\n  url: http://127.0.0.1:8080\n  api_key_env: NOT_SET_ANYWHERE\n  webhook_secret_env: HOOK_SECRET\n",
            line: 3,
            key: "target.api_key_env",
            phrase: "environment variable NOT_SET_ANYWHERE is not set"
        ),
        InvalidCase(
            name: "empty environment variable",
            yaml: t + "probes:\n  - name: webhook\n    webhook_secret_env: EMPTY\n",
            line: 7,
            key: "probes[0].webhook_secret_env",
            phrase: "environment variable EMPTY is empty",
            environment: ["BILLING_KEY": "k", "HOOK_SECRET": "h", "EMPTY": ""]
        ),
        InvalidCase(
            name: "inline secret",
            yaml: t + "probes:\n  - name: entitlement\n    api_key: abc\n",
            line: 7,
            key: "probes[0].api_key",
            phrase: "inline secrets are not allowed; use api_key_file"
        ),
        InvalidCase(
            name: "both file and env for one secret",
            yaml: "target:\n  url: http://h\n  api_key_file: k\n  api_key_env: K\n  webhook_secret_env: HOOK_SECRET\n",
            line: 4,
            key: "target.api_key_env",
            phrase: "set only one of api_key_file and api_key_env"
        ),
        InvalidCase(
            name: "billing probe without an API key",
            yaml: "target:\n  url: http://127.0.0.1:8080\nprobes:\n  - name: entitlement\n",
            line: 4,
            key: "probes[0]",
            phrase: "probe \"entitlement\" needs an API key: set api_key_file or api_key_env on the probe or in "
                + "target, or the environment variable SLAPROBE_API_KEY",
            environment: [:]
        ),
        InvalidCase(
            name: "webhook probe without a secret",
            yaml: "target:\n  url: http://127.0.0.1:8080\nprobes:\n  - name: hook\n    kind: webhook\n",
            line: 4,
            key: "probes[0]",
            phrase: "needs a webhook signing secret: set webhook_secret_file or webhook_secret_env",
            environment: [:]
        ),
        InvalidCase(
            name: "jitter out of range",
            yaml: t + "global:\n  jitter: 60%\n",
            line: 6,
            key: "global.jitter",
            phrase: "jitter 60% is out of range 0%..50%"
        ),
        InvalidCase(
            name: "jitter as a number out of range",
            yaml: t + "probes:\n  - name: entitlement\n    jitter: 10\n",
            line: 7,
            key: "probes[0].jitter",
            phrase: "jitter 10 (1000%) is out of range"
        ),
        InvalidCase(
            name: "window too short",
            yaml: t + "global:\n  windows: [1m, 5s]\n",
            line: 6,
            key: "global.windows[1]",
            phrase: "window 5s is shorter than the minimum 10s"
        ),
        InvalidCase(
            name: "window listed twice",
            yaml: t + "global:\n  windows:\n    - 1m\n    - 60s\n",
            line: 8,
            key: "global.windows[1]",
            phrase: "window 1m is listed twice"
        ),
        InvalidCase(
            name: "bad label name",
            yaml: t + "probes:\n  - name: entitlement\n    labels: {1team: x}\n",
            line: 7,
            key: "probes[0].labels.1team",
            phrase: "invalid label name \"1team\""
        ),
        InvalidCase(
            name: "reserved label name",
            yaml: t + "probes:\n  - name: entitlement\n    labels:\n      team: a\n      probe: b\n",
            line: 9,
            key: "probes[0].labels.probe",
            phrase: "label name \"probe\" is reserved"
        ),
        InvalidCase(
            name: "cache metrics without url",
            yaml: t + "probes:\n  - name: entitlement\n    cache:\n      source: metrics\n",
            line: 8,
            key: "probes[0].cache.metrics_url",
            phrase: "metrics_url is required when cache.source is metrics"
        ),
        InvalidCase(
            name: "unknown cache source",
            yaml: t + "probes:\n  - name: entitlement\n    cache: {source: prometheus}\n",
            line: 7,
            key: "probes[0].cache.source",
            phrase: "unknown cache source \"prometheus\""
        ),
        InvalidCase(
            name: "negative cases on a checkout probe",
            yaml: t + "probes:\n  - name: checkout\n    negative_cases: true\n",
            line: 7,
            key: "probes[0].negative_cases",
            phrase: "negative_cases applies only to webhook probes"
        ),
        InvalidCase(
            name: "unknown placeholder",
            yaml: t + "probes:\n  - name: entitlement\n    headers:\n      X-Id: \"{{uid}}\"\n",
            line: 8,
            key: "probes[0].headers.X-Id",
            phrase: "unknown placeholder {{uid}}"
        ),
        InvalidCase(
            name: "bad byte size",
            yaml: t + "global:\n  max_body_bytes: 10XB\n",
            line: 6,
            key: "global.max_body_bytes",
            phrase: "unknown unit \"XB\""
        ),
        InvalidCase(
            name: "missing CA file",
            yaml: t + "probes:\n  - name: entitlement\n    ca_file: ca.pem\n",
            line: 7,
            key: "probes[0].ca_file",
            phrase: "file \"/nonexistent/ca.pem\" does not exist"
        ),
        InvalidCase(
            name: "YAML syntax error",
            yaml: t + "global:\n  interval: [5s\n  timeout: 1s\n",
            line: 7,
            key: "",
            phrase: "YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence at line 6"
        ),
        InvalidCase(
            name: "duplicate YAML key",
            yaml: t + "global:\n  interval: 5s\n  interval: 6s\n",
            line: 6,
            key: "",
            phrase: "duplicate key \"interval\""
        ),
        InvalidCase(
            name: "probes not a list",
            yaml: t + "probes:\n  name: entitlement\n",
            line: 6,
            key: "probes",
            phrase: "expected a list of probes, got a mapping"
        ),
        InvalidCase(
            name: "probe entry not a mapping",
            yaml: t + "probes:\n  - entitlement\n",
            line: 6,
            key: "probes[0]",
            phrase: "expected a probe mapping with a name, got the string \"entitlement\""
        ),
        InvalidCase(
            name: "document not a mapping",
            yaml: "- a\n- b\n",
            line: 1,
            key: "",
            phrase: "the configuration must be a mapping"
        ),
        InvalidCase(
            name: "no probes and no target url",
            yaml: "global:\n  interval: 5s\n",
            line: nil,
            key: "target.url",
            phrase: "target.url is required when no probes are listed"
        ),
        InvalidCase(
            name: "billing probe without url or target url",
            yaml: "probes:\n  - name: checkout\n    api_key_env: BILLING_KEY\n",
            line: 2,
            key: "probes[0].url",
            phrase: "probe \"checkout\" has no url and target.url is not set"
        ),
        InvalidCase(
            name: "unknown alert rule kind",
            yaml: t + "alerting:\n  rules:\n    - name: X\n      kind: latncy\n",
            line: 8,
            key: "alerting.rules[0].kind",
            phrase: "\"latncy\" is not one of latency, cache_hit_ratio, error_ratio, no_data, burn_rate"
        ),
        InvalidCase(
            name: "signed receiver without a secret",
            yaml: t
                + "alerting:\n  receivers:\n    - name: oncall\n      url: https://h.example\n      signing: stripe\n",
            line: 9,
            key: "alerting.receivers[0].signing",
            phrase: "stripe signing needs secret_file or secret_env"
        ),
        InvalidCase(
            name: "alerting ratio above 100%",
            yaml: t + "alerting:\n  burn_rate_objective: 150%\n",
            line: 6,
            key: "alerting.burn_rate_objective",
            phrase: "expected a ratio between 0 and 1 (or 0% to 100%), got 150%"
        ),
    ]
}

import FoundationEssentials

/// Parsing of a `kind: journey` probe: its built-in journey or its `steps`, each step like a probe's request plus
/// `extract`, `poll`, `sign` and a per-step `latency_threshold`.
extension ConfigParser {
    static let journeyKeys = ["steps", "journey", "step_thresholds"]
    /// Keys of a single-request probe that a journey sets per step instead.
    static let singleRequestKeys = [
        "method", "headers", "body", "expect_status", "assertions", "cache", "negative_cases", "idempotency_replay",
    ]
    static let stepKeys = [
        "name", "method", "url", "path", "headers", "body", "expect_status", "assertions", "sign", "extract", "poll",
        "latency_threshold", "timeout",
    ]
    static let pollKeys = ["interval", "deadline"]
    static let extractKeys = ["json_path", "header"]
    static let variablePattern = "^[a-zA-Z_][a-zA-Z0-9_]*$"

    /// Refuses journey keys on other kinds and single-request keys on journeys.
    func checkJourneyKeys(_ fields: Fields, kind: ProbeKind?) {
        guard let kind else { return }
        if kind == .journey {
            for key in Self.singleRequestKeys {
                if let node = fields.keyNode(key) {
                    error(node, fields.path(key), "\(key) is set per step in a journey (under steps)")
                }
            }
        } else {
            for key in Self.journeyKeys {
                if let node = fields.keyNode(key) {
                    error(node, fields.path(key), "\(key) applies only to journey probes (kind: journey)")
                }
            }
        }
    }

    /// Reads the journey of a `kind: journey` probe into `probe` (its base URL and steps), and checks the
    /// cross-step rules, each located at its node.
    func parseJourney(_ probe: inout ProbeConfig, _ fields: Fields, global: GlobalConfig, target: TargetDefaults) {
        var base = target.url
        if let value = fields["url"] {
            base = url(value, fields.path("url"))
        }
        probe.url = base ?? ""
        // A missing base is reported once: not again when `url` or `target.url` was already refused.
        let baseKnown = fields["url"] != nil || target.urlInvalid
        let stepTimeout = min(global.timeout, probe.timeout)
        var stepFields: [Fields?] = []
        switch (fields["journey"], fields["steps"]) {
        case (let node?, nil):
            guard let name = string(node, fields.path("journey")) else { return }
            guard name == ConfigDefaults.purchaseJourney else {
                error(
                    node,
                    fields.path("journey"),
                    "unknown built-in journey \"\(name)\" (known: \(ConfigDefaults.purchaseJourney)); "
                        + "write your own with steps"
                )
                return
            }
            guard let base else {
                if !baseKnown {
                    error(node, fields.path("journey"), "the purchase journey needs target.url or the journey's url")
                }
                return
            }
            // The ids are read again by applyTarget, which reports their errors; here only their values matter.
            probe.journey = PurchaseJourney.journey(
                base: base,
                projectID: fields["project_id"]?.string ?? target.projectID,
                priceID: fields["price_id"]?.string ?? target.priceID,
                stepTimeout: stepTimeout
            )
            stepFields = Array(repeating: nil, count: PurchaseJourney.stepNames.count)
        case (nil, let node?):
            let parsed = steps(node, fields.path("steps"), base: base, baseKnown: baseKnown, timeout: stepTimeout)
            probe.journey = JourneyConfig(steps: parsed.map(\.step))
            stepFields = parsed.map(\.fields)
        case (let node?, _?):
            error(node, fields.path("journey"), "set either journey (a built-in) or steps, not both")
            return
        case (nil, nil):
            error(
                fields.node,
                fields.path("steps"),
                "a journey needs steps (or journey: \(ConfigDefaults.purchaseJourney))"
            )
            return
        }
        if let node = fields["step_thresholds"] {
            applyStepThresholds(&probe, node, fields.path("step_thresholds"))
        }
        guard let journey = probe.journey else { return }
        for problem in journey.problems(timeout: probe.timeout) {
            let located = stepFields.indices.contains(problem.step) ? stepFields[problem.step] : nil
            let (node, key) = locate(problem, in: located)
            let prefix = located == nil ? fields.path("journey") : fields.path("steps[\(problem.step)]")
            error(
                node ?? fields["timeout"] ?? fields["journey"],
                located == nil ? prefix : "\(prefix).\(key)",
                problem.message
            )
        }
    }

    /// The parsed steps with the fields they came from (for locating cross-step problems).
    private func steps(
        _ node: YAMLNode,
        _ path: String,
        base: String?,
        baseKnown: Bool,
        timeout: Duration
    ) -> [(step: JourneyStep, fields: Fields)] {
        guard case .sequence(let list) = node, !list.isEmpty else {
            error(node, path, "expected a non-empty list of steps, got \(describe(node))")
            return []
        }
        var result: [(JourneyStep, Fields)] = []
        for (index, item) in list.enumerated() {
            let itemPath = "\(path)[\(index)]"
            guard let fields = mapping(item, path: itemPath, allowed: Self.stepKeys, expected: "a step mapping") else {
                continue
            }
            if let step = step(fields, base: base, baseKnown: baseKnown, timeout: timeout) {
                result.append((step, fields))
            }
        }
        return result
    }

    /// One step; nil when it has no usable name or URL.
    private func step(_ fields: Fields, base: String?, baseKnown: Bool, timeout: Duration) -> JourneyStep? {
        let name: String?
        if let value = fields["name"] {
            name = string(value, fields.path("name"))
            if let name, !name.wholeMatches(Self.namePattern) {
                error(
                    value,
                    fields.path("name"),
                    "invalid step name \"\(name)\": it must match [a-zA-Z_][a-zA-Z0-9_.-]{0,63}"
                )
            }
        } else {
            error(fields.node, fields.path("name"), "name is required")
            name = nil
        }
        inJourneyStep = true
        defer { inJourneyStep = false }
        var step = JourneyStep(name: name ?? "", url: "", timeout: timeout, line: fields.node?.mark?.line)
        if let value = fields["headers"] {
            step.headers = headers(value, fields.path("headers"))
        }
        if let value = fields["body"], let body = string(value, fields.path("body"), allowEmpty: true) {
            checkPlaceholders(body, value, fields.path("body"))
            step.body = body
            step.method = "POST"
        }
        if let value = fields["method"], let method = string(value, fields.path("method")) {
            if !method.wholeMatches("^[A-Za-z]+$") {
                error(value, fields.path("method"), "invalid HTTP method \"\(method)\"")
            }
            step.method = method.uppercased()
        }
        if let value = fields["expect_status"] {
            step.expectStatus = statusMatchers(value, fields.path("expect_status")) ?? step.expectStatus
        }
        if let value = fields["assertions"] {
            step.assertions = assertions(value, fields.path("assertions"))
        }
        if let value = fields["sign"], let text = string(value, fields.path("sign")) {
            if let signing = JourneyStep.Signing(rawValue: text) {
                step.sign = signing
            } else {
                error(value, fields.path("sign"), "unknown signing \"\(text)\" (known: stripe, none)")
            }
        }
        if let value = fields["extract"] {
            step.extract = extractions(value, fields.path("extract"))
        }
        if let value = fields["poll"] {
            step.poll = poll(value, fields.path("poll"))
        }
        if let value = fields["latency_threshold"], let threshold = duration(value, fields.path("latency_threshold")) {
            step.latencyThreshold = threshold
        }
        if let value = fields["timeout"], let limit = duration(value, fields.path("timeout")) {
            step.timeout = limit
        }
        step.url = stepURL(fields, base: base, baseKnown: baseKnown) ?? ""
        return name == nil ? nil : step
    }

    /// The step's URL template: `url`, or `path` joined to the journey's base URL.
    private func stepURL(_ fields: Fields, base: String?, baseKnown: Bool) -> String? {
        switch (fields["url"], fields["path"]) {
        case (let node?, nil):
            guard let text = string(node, fields.path("url")) else { return nil }
            checkPlaceholders(text, node, fields.path("url"))
            let sample = Self.withoutPlaceholders(text)
            guard let components = URLComponents(string: sample), let scheme = components.scheme?.lowercased(),
                ["http", "https"].contains(scheme), components.host?.isEmpty == false
            else {
                error(
                    node,
                    fields.path("url"),
                    "\"\(URLRedaction.userInfo.apply(to: text))\" is not an absolute http or https URL"
                )
                return nil
            }
            return text
        case (nil, let node?):
            guard let text = string(node, fields.path("path")) else { return nil }
            checkPlaceholders(text, node, fields.path("path"))
            guard text.hasPrefix("/"), URLComponents(string: Self.withoutPlaceholders(text)) != nil else {
                error(node, fields.path("path"), "path \"\(text)\" must start with / (e.g. /api/v1/entitlements)")
                return nil
            }
            guard var root = base else {
                if !baseKnown {
                    error(
                        node,
                        fields.path("path"),
                        "path needs target.url or the journey's url; or give the step a url"
                    )
                }
                return nil
            }
            while root.hasSuffix("/") { root.removeLast() }
            return root + text
        case (let node?, _?):
            error(node, fields.path("url"), "set either url or path, not both")
            return nil
        case (nil, nil):
            error(fields.node, fields.path("url"), "a step needs a url or a path")
            return nil
        }
    }

    /// `extract`: a mapping of variable names to `{json_path: a.b}` or `{header: Name}`.
    private func extractions(_ node: YAMLNode, _ path: String) -> [JourneyStep.Extraction] {
        guard case .mapping(let entries) = node else {
            error(
                node,
                path,
                "expected a mapping of variable names to {json_path: ...} or {header: ...}, got \(describe(node))"
            )
            return []
        }
        var result: [JourneyStep.Extraction] = []
        for (key, value) in entries {
            guard let name = key.scalar?.string,
                name.wholeMatches(Self.variablePattern)
            else {
                error(key, path, "invalid variable name \(describe(key)): it must match [a-zA-Z_][a-zA-Z0-9_]*")
                continue
            }
            let itemPath = "\(path).\(name)"
            guard let fields = mapping(value, path: itemPath, allowed: Self.extractKeys) else { continue }
            switch (fields["json_path"], fields["header"]) {
            case (let node?, nil):
                guard let paths = jsonPaths(node, fields.path("json_path")) else { continue }
                result.append(.init(name: name, source: paths.count == 1 ? .jsonPath(paths[0]) : .firstJSONPath(paths)))
            case (nil, let node?):
                guard let text = string(node, fields.path("header")) else { continue }
                guard text.wholeMatches("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$") else {
                    error(node, fields.path("header"), "invalid header name \"\(text)\"")
                    continue
                }
                result.append(.init(name: name, source: .header(text)))
            default:
                error(value, itemPath, "an extraction needs exactly one of json_path or header")
            }
        }
        return result
    }

    /// One JSON path, or a non-empty list of them (the first present wins); nil after an error.
    private func jsonPaths(_ node: YAMLNode, _ path: String) -> [String]? {
        let items: [(YAMLNode, String)]
        if case .sequence(let list) = node, !list.isEmpty {
            items = list.enumerated().map { ($0.element, "\(path)[\($0.offset)]") }
        } else {
            items = [(node, path)]
        }
        var paths: [String] = []
        for (item, itemPath) in items {
            guard let text = string(item, itemPath) else { return nil }
            guard Self.isValidJSONPath(text) else {
                error(
                    item,
                    itemPath,
                    "invalid JSON path \"\(text)\" (expected dotted names with optional [index], e.g. data.items[0].id)"
                )
                return nil
            }
            paths.append(text)
        }
        return paths
    }

    /// `poll`: `{interval, deadline}`, defaulting to 100ms and 10s; the interval at most the deadline.
    private func poll(_ node: YAMLNode, _ path: String) -> JourneyStep.Poll? {
        guard let fields = mapping(node, path: path, allowed: Self.pollKeys) else { return nil }
        var poll = JourneyStep.Poll(
            interval: ConfigDefaults.entitledPollInterval,
            deadline: ConfigDefaults.entitledPollDeadline
        )
        if let value = fields["interval"], let interval = duration(value, fields.path("interval")) {
            guard interval > .zero else {
                error(value, fields.path("interval"), "the poll interval must be greater than 0")
                return nil
            }
            poll.interval = interval
        }
        if let value = fields["deadline"], let deadline = duration(value, fields.path("deadline")) {
            poll.deadline = deadline
        }
        if poll.interval > poll.deadline {
            error(
                fields["interval"] ?? node,
                fields.path("interval"),
                "the poll interval \(formatDuration(poll.interval)) is longer than its deadline "
                    + formatDuration(poll.deadline)
            )
            return nil
        }
        return poll
    }

    /// `step_thresholds`: step name to p95 threshold, overriding each named step's own.
    private func applyStepThresholds(_ probe: inout ProbeConfig, _ node: YAMLNode, _ path: String) {
        guard case .mapping(let mapping) = node else {
            error(node, path, "expected a mapping of step names to durations, got \(describe(node))")
            return
        }
        for (key, value) in mapping {
            let name = key.scalar?.string ?? ""
            guard let index = probe.journey?.steps.firstIndex(where: { $0.name == name }) else {
                let known = probe.journey?.steps.map(\.name).joined(separator: ", ") ?? ""
                error(key, "\(path).\(name)", "no step named \"\(name)\" (steps: \(known))")
                continue
            }
            if let threshold = duration(value, "\(path).\(name)") {
                probe.journey?.steps[index].latencyThreshold = threshold
            }
        }
    }

    /// The node and key (relative to the step) of a cross-step problem.
    private func locate(_ problem: JourneyConfig.Problem, in fields: Fields?) -> (YAMLNode?, String) {
        guard let fields else { return (nil, problem.key) }
        let parts = problem.key.split(separator: ".", maxSplits: 1).map(String.init)
        switch parts.first {
        case "url":
            return fields["url"] != nil ? (fields["url"], "url") : (fields["path"], "path")
        case "headers":
            let header = parts.count > 1 ? parts[1] : ""
            let value = fields["headers"]?.mapping?.first { $0.key.string == header }?.value
            return (value ?? fields["headers"], problem.key)
        case "poll":
            return (
                fields["poll"]?.mapping?.first { $0.key.string == "deadline" }?.value ?? fields["poll"], problem.key
            )
        default:
            return (fields[parts.first ?? ""] ?? fields.node, problem.key)
        }
    }

    /// `text` with every `{{...}}` replaced by `x`, to check the shape of a URL template.
    static func withoutPlaceholders(_ text: String) -> String {
        text.replacing(#/\{\{[^}]*\}\}/#, with: "x")
    }
}

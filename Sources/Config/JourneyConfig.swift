/// The steps of a `journey` probe, run in order as one probe run.
///
/// The cross-step rules live in ``problems(timeout:)``, which both the parser (locating each problem at its YAML
/// node) and ``SlaprobeConfig/validate()`` (for journeys built in code) apply.
package struct JourneyConfig: Sendable, Equatable {
    /// A broken cross-step rule: the step's index, the key inside the step, and what is wrong.
    package struct Problem: Sendable, Equatable {
        /// The index of the offending step.
        package var step: Int
        /// The key inside the step (`name`, `url`, `headers.X`, `body`, `poll.deadline`).
        package var key: String
        /// What is wrong.
        package var message: String
    }

    /// The steps, in run order.
    package var steps: [JourneyStep]
    /// The built-in journey these steps came from (`purchase`), nil for a custom one.
    package var builtIn: String?

    /// Creates a journey.
    package init(steps: [JourneyStep], builtIn: String? = nil) {
        self.steps = steps
        self.builtIn = builtIn
    }

    /// Whether a step signs its body, so the journey needs a webhook secret.
    package var signs: Bool { steps.contains { $0.sign == .stripe } }

    /// Duplicate step names, variables used before an earlier step extracts them, and poll deadlines longer than
    /// the journey's `timeout`; empty when the journey is sound.
    package func problems(timeout: Duration) -> [Problem] {
        var problems: [Problem] = []
        var names: [String: Int] = [:]
        var defined: Set<String> = []
        for (index, step) in steps.enumerated() {
            if let first = names[step.name] {
                problems.append(
                    Problem(
                        step: index,
                        key: "name",
                        message: "duplicate step name \"\(step.name)\" (first is steps[\(first)])"
                    )
                )
            } else {
                names[step.name] = index
            }
            for template in step.templates {
                for variable in Self.variables(in: template.text) where !defined.contains(variable) {
                    problems.append(
                        Problem(
                            step: index,
                            key: template.key,
                            message: "undefined variable {{vars.\(variable)}}: no earlier step extracts \"\(variable)\""
                        )
                    )
                }
            }
            if let poll = step.poll, poll.deadline > timeout {
                problems.append(
                    Problem(
                        step: index,
                        key: "poll.deadline",
                        message: "poll deadline \(formatDuration(poll.deadline)) is longer than the journey's timeout "
                            + formatDuration(timeout)
                    )
                )
            }
            defined.formUnion(step.extract.map(\.name))
        }
        return problems
    }

    /// The names `NAME` of every `{{vars.NAME}}` in `text`, in order.
    package static func variables(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let open = rest.firstRange(of: "{{") {
            guard let close = rest[open.upperBound...].firstRange(of: "}}") else { break }
            let name = rest[open.upperBound..<close.lowerBound].trimmed()
            if name.hasPrefix("vars.") { names.append(String(name.dropFirst(5))) }
            rest = rest[close.upperBound...]
        }
        return names
    }
}

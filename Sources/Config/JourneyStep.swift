/// One request of a journey (``JourneyConfig``): built like a probe's request, then judged, mined for values
/// (``extract``) and, with ``poll``, repeated until its assertions hold.
///
/// `url`, header values and `body` may hold the probe placeholders, `{{journey_user}}` (the run's fresh synthetic
/// user) and `{{vars.NAME}}` (a value an earlier step extracted).
package struct JourneyStep: Sendable, Equatable {
    /// How a step's request is authenticated besides the journey's bearer API key.
    package enum Signing: String, Sendable, Equatable {
        /// No signature.
        case none
        /// A `Stripe-Signature` header over the body with the journey's webhook secret, as the webhook probe sends.
        case stripe
    }

    /// A value taken from a response for later steps.
    package struct Extraction: Sendable, Equatable {
        /// Where the value comes from.
        package enum Source: Sendable, Equatable {
            /// A dotted JSON path of the response body (`data.items[0].id`); strings as they are, other values
            /// as JSON text.
            case jsonPath(String)
            /// A response header, by case-insensitive name.
            case header(String)
        }

        /// The variable name, used as `{{vars.NAME}}`.
        package var name: String
        /// Where the value comes from.
        package var source: Source

        /// Creates an extraction.
        package init(name: String, source: Source) {
            self.name = name
            self.source = source
        }
    }

    /// Repeat the request every `interval` until the step's assertions hold, for at most `deadline`.
    package struct Poll: Sendable, Equatable {
        /// Time between the starts of two attempts.
        package var interval: Duration
        /// Time from the step's start after which it fails with `timeout`.
        package var deadline: Duration

        /// Creates a poll setting.
        package init(interval: Duration, deadline: Duration) {
            self.interval = interval
            self.deadline = deadline
        }
    }

    /// The step name, unique in its journey; the `step` label.
    package var name: String
    /// The HTTP method, upper-case.
    package var method: String
    /// The absolute request URL template.
    package var url: String
    /// Extra request headers in configuration order (templates).
    package var headers: [HeaderField]
    /// The request body template, if any.
    package var body: String?
    /// Accepted statuses.
    package var expectStatus: [StatusMatcher]
    /// Body assertions, in configuration order.
    package var assertions: [BodyAssertion]
    /// How the body is signed.
    package var sign: Signing
    /// Values this step takes for later steps, in configuration order.
    package var extract: [Extraction]
    /// Repeat until the assertions hold, when set.
    package var poll: Poll?
    /// The step's p95 latency SLA, when it has one.
    package var latencyThreshold: Duration?
    /// The limit of each request of this step (the journey's remaining time shortens it).
    package var timeout: Duration
    /// The line where the step is defined, for messages; nil for built-in steps.
    package var line: Int?

    /// Creates a step; the method defaults to `POST` with a body and `GET` without one.
    package init(
        name: String,
        method: String? = nil,
        url: String,
        headers: [HeaderField] = [],
        body: String? = nil,
        expectStatus: [StatusMatcher] = [.cls(2)],
        assertions: [BodyAssertion] = [],
        sign: Signing = .none,
        extract: [Extraction] = [],
        poll: Poll? = nil,
        latencyThreshold: Duration? = nil,
        timeout: Duration = ConfigDefaults.timeout,
        line: Int? = nil
    ) {
        self.name = name
        self.method = method ?? (body == nil ? "GET" : "POST")
        self.url = url
        self.headers = headers
        self.body = body
        self.expectStatus = expectStatus
        self.assertions = assertions
        self.sign = sign
        self.extract = extract
        self.poll = poll
        self.latencyThreshold = latencyThreshold
        self.timeout = timeout
        self.line = line
    }

    /// Every template of the step's request, with the key (relative to the step) it was read from.
    package var templates: [(key: String, text: String)] {
        [("url", url)] + headers.map { ("headers.\($0.name)", $0.value) } + (body.map { [("body", $0)] } ?? [])
    }
}

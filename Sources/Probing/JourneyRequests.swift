import Config
import FoundationEssentials
import HTTPClient
import JSON

/// Builds the request of one journey step: the step's templates expanded with the probe placeholders, the run's
/// `{{journey_user}}` and the `{{vars.NAME}}` extracted so far, the request identity headers, and (for
/// `sign: stripe`) a `Stripe-Signature` over the expanded body.
package struct JourneyRequests: Sendable {
    /// The journey probe being run.
    package let probe: ProbeConfig
    /// The `User-Agent` every request carries.
    package let userAgent: String

    /// Creates a builder.
    package init(probe: ProbeConfig, userAgent: String) {
        self.probe = probe
        self.userAgent = userAgent
    }

    /// The request of `step` with `identity`, limited to `timeout`. A variable in the URL is percent-encoded
    /// where a URL query needs it; in headers and body it is used as it is.
    package func request(
        for step: JourneyStep,
        identity: RequestIdentity,
        user: String,
        vars: [String: String],
        timeout: Duration,
        now: Date = Date()
    ) -> ClientRequest {
        var placeholders = Placeholders(
            requestID: identity.requestID,
            userID: probe.userID,
            projectID: probe.projectID,
            priceID: probe.priceID,
            now: now
        )
        placeholders.values["journey_user"] = user
        var encoded = placeholders
        for (name, value) in vars {
            placeholders.values["vars.\(name)"] = value
            encoded.values["vars.\(name)"] =
                Self.percentEncoded(value)
        }
        var headers: [(name: String, value: String)] = [
            ("User-Agent", userAgent), ("X-Request-ID", identity.requestID), ("traceparent", identity.traceparent),
        ]
        // A signed step is authenticated by its signature; the API key goes only to the others.
        if step.sign == .none, let key = probe.apiKey {
            headers.append(("Authorization", "Bearer \(key.value)"))
        }
        let body = step.body.map { Array(placeholders.expand($0).utf8) }
        for field in step.headers {
            headers.removeAll { $0.name.lowercased() == field.name.lowercased() }
            headers.append((field.name, placeholders.expand(field.value)))
        }
        if body != nil, !headers.contains(where: { $0.name.lowercased() == "content-type" }) {
            headers.append(("Content-Type", "application/json"))
        }
        if step.sign == .stripe, let secret = probe.webhookSecret {
            let signature = StripeSignature.header(
                body: body ?? [],
                secret: secret.value,
                timestamp: Int(now.timeIntervalSince1970)
            )
            headers.removeAll { $0.name.lowercased() == "stripe-signature" }
            headers.append(("Stripe-Signature", signature))
        }
        return ClientRequest(
            url: encoded.expand(step.url),
            method: step.method,
            headers: headers,
            body: body,
            timeout: timeout,
            maxBodyBytes: probe.maxBodyBytes,
            freshConnection: !probe.reuseConnections,
            insecureSkipVerify: probe.tls.insecureSkipVerify,
            caFile: probe.tls.caFile
        )
    }

    /// The values `step` extracts from `transfer`, or a description of the first it cannot find.
    package static func extract(
        _ step: JourneyStep,
        from transfer: TransferResult
    ) -> Result<[String: String], ExtractionFailure> {
        var values: [String: String] = [:]
        var document: JSONNode??
        for extraction in step.extract {
            switch extraction.source {
            case .header(let name):
                guard let value = transfer.header(name) else {
                    return .failure(ExtractionFailure(message: "extract \(extraction.name): no \(name) header"))
                }
                values[extraction.name] = value
            case .jsonPath, .firstJSONPath:
                let paths = extraction.source.jsonPaths
                if document == nil { document = .some(JSONNode(parsing: transfer.body)) }
                let found = document!.flatMap { parsed in
                    paths.lazy.compactMap { parsed.lookup($0) }.first { $0 != .null }
                }
                guard let found else {
                    let path = paths.joined(separator: " or ")
                    return .failure(
                        ExtractionFailure(message: "extract \(extraction.name): json_path \(path) is missing")
                    )
                }
                values[extraction.name] = text(of: found)
            }
        }
        return .success(values)
    }

    /// Why a step's extraction failed.
    package struct ExtractionFailure: Error, Sendable {
        /// What is missing.
        package var message: String
    }

    /// Strings as they are, other JSON values as JSON text.
    private static func text(of value: JSONNode) -> String {
        value.string ?? value.text
    }

    /// `value` with every byte percent-encoded (as UTF-8, `%XX`) but those a variable may keep in a URL: the
    /// characters of a query (RFC 3986), less the ones that would split it (`&`, `+`, `=`, `#`, `?`).
    static func percentEncoded(_ value: String) -> String {
        PercentEncoding.encode(value, keeping: PercentEncoding.queryValue)
    }
}

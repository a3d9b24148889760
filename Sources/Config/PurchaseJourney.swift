import FoundationEssentials
import JSON

/// The built-in `purchase` journey: checkout, a signed `checkout.session.completed`, entitlement polled until
/// granted, and a signed `customer.subscription.deleted` to revoke.
///
/// Every run uses a fresh synthetic user (`{{journey_user}}`, `slaprobe-journey-<uuid>`), so an entitlement can
/// only come from that run. The `entitled` step's latency is the time to entitlement. The checkout's session is read
/// from `session_id`, or from `id` as Stripe names it.
package enum PurchaseJourney {
    /// The step names, in run order.
    package static let stepNames = ["checkout", "webhook", "entitled", "revoke"]

    /// The journey against `base` (the target URL), for `projectID` and `priceID`, with the default SLA and
    /// poll settings; each request limited to `stepTimeout`.
    package static func journey(
        base: String,
        projectID: String,
        priceID: String,
        stepTimeout: Duration = ConfigDefaults.timeout
    ) -> JourneyConfig {
        var root = base
        while root.hasSuffix("/") { root.removeLast() }
        let json = [HeaderField(name: "Content-Type", value: "application/json")]
        let project = JSONText.quoted(projectID)
        let metadata = #""metadata":{"user_id":"{{journey_user}}","project_id":\#(project)"#
        let checkout = JourneyStep(
            name: "checkout",
            method: "POST",
            url: root + ConfigDefaults.checkoutPath,
            headers: json + [HeaderField(name: "Idempotency-Key", value: "{{uuid}}")],
            body: #"{"user_id":"{{journey_user}}","project_id":\#(project),"price_id":\#(JSONText.quoted(priceID)),"#
                + #""mode":"subscription","success_url":"https://slaprobe.invalid/checkout/success","#
                + #""cancel_url":"https://slaprobe.invalid/checkout/cancel"}"#,
            // The contract names it session_id; a Stripe-shaped answer names the session id.
            extract: [.init(name: "session_id", source: .firstJSONPath(["session_id", "id"]))],
            timeout: stepTimeout
        )
        let webhook = JourneyStep(
            name: "webhook",
            method: "POST",
            url: root + ConfigDefaults.webhookPath,
            headers: json,
            body: event(
                type: "checkout.session.completed",
                object: #"{"id":"{{vars.session_id}}","object":"checkout.session","mode":"subscription","#
                    + #""status":"complete",\#(metadata)}}"#
            ),
            sign: .stripe,
            timeout: stepTimeout
        )
        let entitled = JourneyStep(
            name: "entitled",
            method: "GET",
            url: root + ConfigDefaults.entitlementPath + "?user_id={{journey_user}}&project_id="
                + ConfigParser.queryEncode(projectID),
            headers: [HeaderField(name: "Accept", value: "application/json")],
            expectStatus: [.exact(200)],
            assertions: [.jsonEquals(path: "entitled", value: .bool(true))],
            poll: .init(interval: ConfigDefaults.entitledPollInterval, deadline: ConfigDefaults.entitledPollDeadline),
            latencyThreshold: ConfigDefaults.entitledLatency,
            timeout: stepTimeout
        )
        let revoke = JourneyStep(
            name: "revoke",
            method: "POST",
            url: root + ConfigDefaults.webhookPath,
            headers: json,
            body: event(
                type: "customer.subscription.deleted",
                object: #"{"id":"sub_slaprobe_{{uuid}}","object":"subscription","status":"canceled","#
                    + #""metadata":{"user_id":"{{journey_user}}","project_id":\#(project),"#
                    + #""session_id":"{{vars.session_id}}"}}"#
            ),
            sign: .stripe,
            timeout: stepTimeout
        )
        return JourneyConfig(steps: [checkout, webhook, entitled, revoke], builtIn: ConfigDefaults.purchaseJourney)
    }

    /// A Stripe event envelope around `object` (JSON text).
    private static func event(type: String, object: String) -> String {
        #"{"id":"evt_slaprobe_{{uuid}}","object":"event","type":"\#(type)","created":{{unix}},"livemode":false,"#
            + #""data":{"object":\#(object)}}"#
    }
}

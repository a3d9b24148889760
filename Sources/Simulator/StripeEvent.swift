import JSON

/// The parts of a Stripe event the simulated event processor reads: its `type`, `data.object.id` and
/// `data.object.metadata.user_id`. Any of them may be missing; a body that is not a JSON object has none.
struct StripeEvent {
    var type: String?
    var objectID: String?
    var userID: String?

    init(body: [UInt8]) {
        guard let event = JSONNode(parsing: body), case .object = event else { return }
        type = event["type"]?.string
        let object = event.lookup("data.object")
        objectID = object?["id"]?.string
        let user = object?.lookup("metadata.user_id")?.string
        userID = user?.isEmpty == false ? user : nil
    }
}

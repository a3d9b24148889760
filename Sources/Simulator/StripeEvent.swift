import Foundation

/// The parts of a Stripe event the simulated event processor reads: its `type`, `data.object.id` and
/// `data.object.metadata.user_id`. Any of them may be missing; a body that is not a JSON object has none.
struct StripeEvent {
    var type: String?
    var objectID: String?
    var userID: String?

    init(body: [UInt8]) {
        guard let event = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return }
        type = event["type"] as? String
        let object = (event["data"] as? [String: Any])?["object"] as? [String: Any]
        objectID = object?["id"] as? String
        let user = (object?["metadata"] as? [String: Any])?["user_id"] as? String
        userID = user?.isEmpty == false ? user : nil
    }
}

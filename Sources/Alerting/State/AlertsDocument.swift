import FoundationEssentials

/// The JSON of `/api/v1/alerts`, shaped like Prometheus' (`{"status":"success","data":{"alerts":[…]}}`) with
/// slaprobe's extra fields.
struct AlertsDocument: Encodable {
    struct Entry: Encodable {
        var alertname: String
        var probe: String
        var state: String
        var heldState: String?
        var labels: [String: String]
        var annotations: [String: String]
        var fingerprint: String
        var activeAt: String?
        var firedAt: String?
        var resolvedAt: String?
        var value: String?
        var values: [Double]
        var noDataReason: String?
        var silencedBy: [String]?
        var mutedBy: [String]?
    }

    struct Data: Encodable {
        var alerts: [Entry]
    }

    var status = "success"
    var data: Data

    init(_ snapshots: [AlertStateSnapshot]) {
        data = Data(
            alerts: snapshots.map { snapshot in
                Entry(
                    alertname: snapshot.alertname,
                    probe: snapshot.probe,
                    state: snapshot.state.rawValue,
                    heldState: snapshot.heldState?.rawValue,
                    labels: snapshot.labels,
                    annotations: snapshot.annotations,
                    fingerprint: snapshot.fingerprint,
                    activeAt: snapshot.activeAt.map(RFC3339.format),
                    firedAt: snapshot.firedAt.map(RFC3339.format),
                    resolvedAt: snapshot.resolvedAt.map(RFC3339.format),
                    value: snapshot.annotations["value"],
                    values: snapshot.values.map { $0.isFinite ? $0 : 0 },
                    noDataReason: snapshot.noDataReason,
                    silencedBy: snapshot.silencedBy.isEmpty ? nil : snapshot.silencedBy,
                    mutedBy: snapshot.mutedBy.isEmpty ? nil : snapshot.mutedBy
                )
            }
        )
    }

    func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(self)) ?? FoundationEssentials.Data(#"{"status":"error"}"#.utf8))
    }
}

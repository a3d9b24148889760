extension AlertEvaluator {
    /// Every (rule, probe) pair the last evaluation judged, for `/api/v1/alerts`: alerts and no-data pairs ordered
    /// by alert name, probe and fingerprint, then the inactive pairs in the same order.
    package func stateSnapshots() -> [AlertStateSnapshot] {
        var entries: [AlertStateSnapshot] = []
        for (fingerprint, alert) in alerts {
            if alert.state == .resolved, noDataPairs[fingerprint] != nil { continue }
            entries.append(
                AlertStateSnapshot(
                    alertname: alert.rule,
                    probe: alert.probe,
                    state: alert.noData ? .nodata : alert.state,
                    heldState: alert.noData ? alert.state : nil,
                    labels: alert.labels,
                    annotations: alert.annotations,
                    activeAt: alert.activeAt,
                    firedAt: alert.firedAt,
                    resolvedAt: alert.resolvedAt,
                    values: alert.values,
                    noDataReason: alert.noData ? alert.noDataReason : nil
                )
            )
        }
        for (fingerprint, pair) in noDataPairs {
            guard let alert = alerts[fingerprint] else {
                entries.append(pair)
                continue
            }
            if alert.state == .resolved {
                var entry = pair
                entry.resolvedAt = alert.resolvedAt
                entry.firedAt = alert.firedAt
                entries.append(entry)
            }
        }
        func ordered(_ list: [AlertStateSnapshot]) -> [AlertStateSnapshot] {
            list.sorted { ($0.alertname, $0.probe, $0.fingerprint) < ($1.alertname, $1.probe, $1.fingerprint) }
        }
        let inactive = inactivePairs.filter { alerts[$0.key] == nil && noDataPairs[$0.key] == nil }.map(\.value)
        return ordered(entries) + ordered(inactive)
    }

    /// The series of `slaprobe_alerts`: one per pending or firing alert (also while it has no data).
    package func gaugeRows() -> [AlertGaugeRow] {
        alerts.values.compactMap { alert -> AlertGaugeRow? in
            guard alert.state == .pending || alert.state == .firing else { return nil }
            return AlertGaugeRow(alertname: alert.rule, probe: alert.probe, alertstate: alert.state.rawValue)
        }
        .sorted { ($0.alertname, $0.probe, $0.alertstate) < ($1.alertname, $1.probe, $1.alertstate) }
        // A journey's step alerts share the rule and probe: one series each.
        .reduce(into: [AlertGaugeRow]()) { rows, row in if rows.last != row { rows.append(row) } }
    }
}

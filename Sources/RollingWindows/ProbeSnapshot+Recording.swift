import Exposition
import HTTPClient
import Probing

extension ProbeSnapshot {
    /// Adds one result to the counters, histograms and recent list.
    package mutating func add(_ result: ProbeResult) {
        let trace = result.traceID.flatMap(TraceID.init)
        duration.observe(result.latency, traceID: trace, at: result.startedAt)
        let tlsIndex = PhaseTimings.phaseNames.firstIndex(of: "tls")
        for (index, phase) in result.timings.named.enumerated() {
            // A plain-HTTP run has no TLS phase; recording 0 would drag the TLS histogram down.
            if index == tlsIndex && definition.plainHTTP { continue }
            phases[index].observe(phase.seconds)
        }
        if let failure = result.failure {
            failures += 1
            failuresByReason[FailureReason.index(of: failure)] += 1
        } else {
            successes += 1
        }
        switch result.cache {
        case .hit: cacheHits += 1
        case .miss: cacheMisses += 1
        case .unknown: break
        }
        if let lookups = result.cacheLookups {
            cacheHits += UInt64(max(0, lookups.hits))
            cacheMisses += UInt64(max(0, lookups.misses))
        }
        for step in result.steps {
            guard let index = steps.firstIndex(where: { $0.name == step.name }) else { continue }
            steps[index].duration.observe(step.latency, traceID: trace, at: result.startedAt)
            if let failure = step.failure { steps[index].failuresByReason[FailureReason.index(of: failure)] += 1 }
        }
        if let expiry = result.certificateExpiry { certificateExpiry = expiry }
        lastMonotonic = result.monotonicStart + result.latency
        history.append(RunHistory.Run(startedAt: result.startedAt, latency: result.latency, success: result.success))
        recent.insert(result)
    }
}

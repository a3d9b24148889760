"""The journeys section: what a purchase journey run costs slaprobe, and whether journeys disturb the schedule.

  cost   built-in `purchase` journeys against `slaprobe target` (its default grant delay, 20 ms + 0-30 ms), nothing
         else in the process: CPU per journey run and per request, requests per run (from the simulator's own
         request counters), failures
  lag    1,000 generic `http` probes at 1/s alone, then the same beside 100 purchase journeys at 1/s, one process
         after the other: scheduler lag p50/p99 (`slaprobe_scheduler_lag_seconds`), runs, failures, skipped ticks

Called by bench.py (section `journeys`); run bench/run instead.
"""

import os
import time

import harness
from harness import log

JOURNEY_PREFIX = "journey-"


def runs_of(samples, journeys, result=None):
    """Runs of the journeys (journeys=True) or of the plain probes (journeys=False), optionally by result."""
    total = 0.0
    for labels, value in harness.select(samples, "slaprobe_probes_total"):
        if labels.get("probe", "").startswith(JOURNEY_PREFIX) != journeys:
            continue
        if result is None or labels.get("result") == result:
            total += value
    return total


def skipped_of(samples):
    return sum(v for _, v in harness.select(samples, "slaprobe_probe_skipped_total"))


def summed_buckets(samples, name, prefix=JOURNEY_PREFIX, **labels):
    """Cumulative buckets [(le, count)] summed over every series of `name` whose probe starts with `prefix`."""
    by_le = {}
    for series, value in harness.select(samples, name + "_bucket", **labels):
        if series.get("probe", "").startswith(prefix):
            le = float(series["le"])
            by_le[le] = by_le.get(le, 0.0) + value
    return sorted(by_le.items())


def simulator_requests(ctx):
    """The simulator's requests so far, by endpoint."""
    samples = harness.parse_metrics(harness.get_metrics(ctx.sim_port))
    return {labels.get("endpoint", "?"): value for labels, value in harness.select(samples, "simulator_requests_total")}


def delta(after, before):
    return {key: after[key] - before.get(key, 0) for key in after}


def cost(ctx):
    journeys = 2 if ctx.smoke else 10
    warmup = 2 if ctx.smoke else 5
    duration = 3 if ctx.smoke else 30
    ctx.set_faults(0)
    log(f"journeys: cost of {journeys} purchase journeys at 1 run/s each for {duration} s")
    slaprobe = ctx.start_slaprobe("cost", 0, "1s", jitter="10%", journeys=journeys)
    time.sleep(warmup)
    before = harness.parse_metrics(harness.get_metrics(slaprobe.port))
    requests_before = simulator_requests(ctx)
    meter = harness.CPUMeter(slaprobe.pid)
    time.sleep(duration)
    used = meter.stop()
    after = harness.parse_metrics(harness.get_metrics(slaprobe.port))
    requests = delta(simulator_requests(ctx), requests_before)
    memory = harness.memory(slaprobe.pid)
    ctx.h.stop(slaprobe)
    runs = runs_of(after, True) - runs_of(before, True)
    failures = runs_of(after, True, "failure") - runs_of(before, True, "failure")
    durations = harness.bucket_delta(summed_buckets(after, "slaprobe_probe_duration_seconds"),
                                     summed_buckets(before, "slaprobe_probe_duration_seconds"))
    entitled = harness.bucket_delta(
        summed_buckets(after, "slaprobe_probe_step_duration_seconds", step="entitled"),
        summed_buckets(before, "slaprobe_probe_step_duration_seconds", step="entitled"),
    )
    total_requests = sum(requests.values())
    return {
        "journeys": journeys,
        "window_s": duration,
        **used,
        **memory,
        "runs": runs,
        "failures": failures,
        "requests": requests,
        "requests_per_run": total_requests / runs if runs else None,
        "cpu_per_run": used["cpu"] / runs if runs else None,
        "cpu_per_request": used["cpu"] / total_requests if total_requests else None,
        "journey_p50": harness.histogram_quantile(0.5, durations),
        "journey_p95": harness.histogram_quantile(0.95, durations),
        "entitled_p50": harness.histogram_quantile(0.5, entitled),
        "entitled_p95": harness.histogram_quantile(0.95, entitled),
    }


def lag_run(ctx, probes, journeys, warmup, window):
    label = f"{probes} probes" + (f" and {journeys} journeys" if journeys else " alone")
    log(f"journeys: scheduler lag with {label} at 1 run/s each; {warmup} s warm-up, {window} s measured")
    slaprobe = ctx.start_slaprobe("lag", probes, "1s", jitter="10%", journeys=journeys)
    time.sleep(warmup)
    before = harness.parse_metrics(harness.get_metrics(slaprobe.port))
    meter = harness.CPUMeter(slaprobe.pid)
    # Scraped every 5 s meanwhile, as in the scale section.
    end = time.monotonic() + window
    while time.monotonic() < end:
        time.sleep(min(5, max(0, end - time.monotonic())))
        harness.get_metrics(slaprobe.port)
    used = meter.stop()
    after = harness.parse_metrics(harness.get_metrics(slaprobe.port))
    memory = harness.memory(slaprobe.pid)
    ctx.h.stop(slaprobe)
    lag = harness.bucket_delta(harness.buckets(after, "slaprobe_scheduler_lag_seconds"),
                               harness.buckets(before, "slaprobe_scheduler_lag_seconds"))
    return {
        "probes": probes,
        "journeys": journeys,
        "window_s": window,
        "cpu": used["cpu"],
        "rss": memory["rss"],
        "probe_runs": runs_of(after, False) - runs_of(before, False),
        "probe_failures": runs_of(after, False, "failure") - runs_of(before, False, "failure"),
        "journey_runs": runs_of(after, True) - runs_of(before, True),
        "journey_failures": runs_of(after, True, "failure") - runs_of(before, True, "failure"),
        "skipped": skipped_of(after) - skipped_of(before),
        "lag_buckets": lag,
        "lag_p50": harness.histogram_quantile(0.5, lag),
        "lag_p99": harness.histogram_quantile(0.99, lag),
    }


def run(ctx):
    probes = 50 if ctx.smoke else 1000
    journeys = 5 if ctx.smoke else 100
    warmup = 3 if ctx.smoke else 20
    window = 4 if ctx.smoke else 30
    ctx.set_faults(0)
    # When and on what this section ran, so that its figures can join a report of an earlier full run.
    started = time.time()
    load_before = os.getloadavg()
    results = {
        "cost": cost(ctx),
        "lag": [lag_run(ctx, probes, 0, warmup, window), lag_run(ctx, probes, journeys, warmup, window)],
    }
    results["run"] = harness.section_run(ctx, started, load_before)
    return results

"""The billing-accuracy section: each of the three billing probes against the `curl` CLI sending the same request.

slaprobe runs its three default billing probes (entitlement, checkout, signed webhook) together, each several
times a second; at the same rate and time, one `curl` loop per endpoint sends the same request (method, headers,
body; a fresh Idempotency-Key for each checkout and a freshly signed event for each webhook), a new process and
connection each time, as slaprobe opens a fresh connection per run. The checkout and webhook endpoints do more
work at the target than the entitlement check (a JSON body to parse, a signature to verify), so a p50 above the
entitlement's may be the target's: the difference between slaprobe's p50 and curl's for the same endpoint is
what is slaprobe's own.

Called by bench.py (section `billing`); run bench/run instead.
"""

import os
import subprocess
import threading
import time
import uuid

import harness
import mission
from harness import log

INTERVAL = 0.2  # seconds between two runs of one probe, and between two curl requests to one endpoint
WINDOW = "1m"


def start_slaprobe(ctx):
    """slaprobe with its three default billing probes every INTERVAL, measured in a 1m window."""
    config = ctx.path("billing-slaprobe.yml")
    milliseconds = int(INTERVAL * 1000)
    with open(config, "w") as f:
        f.write(
            "global:\n"
            f"  interval: {milliseconds}ms\n"
            f"  timeout: {milliseconds}ms\n"
            "  jitter: 10%\n"
            f"  windows: [{WINDOW}]\n"
            "target:\n"
            f"  url: http://127.0.0.1:{ctx.sim_port}\n"
            "  api_key_env: SLAPROBE_API_KEY\n"
            "  webhook_secret_env: SLAPROBE_WEBHOOK_SECRET\n"
        )
    port = harness.free_port()
    process = ctx.h.start(
        "billing-slaprobe",
        [ctx.binary, "--config.file", config, "--web.listen-address", f"127.0.0.1:{port}", "--log.level", "error"],
        env=ctx.env,
    )
    harness.wait_http(port, "/readyz", process, ctx.h, timeout=60)
    process.port = port
    return process


def curl_argv(ctx, probe):
    """The curl command that sends what `probe` sends, built afresh for each request."""
    base = f"http://127.0.0.1:{ctx.sim_port}"
    argv = ["curl", "-q", "-s", "-o", "/dev/null", "-w", "%{time_total} %{http_code}"]
    bearer = f"Authorization: Bearer {ctx.api_key}"
    if probe == "entitlement":
        return argv + ["-H", bearer, "-H", "Accept: application/json",
                       f"{base}/api/v1/entitlements?user_id={mission.USER_ID}&project_id={mission.PROJECT_ID}"]
    if probe == "checkout":
        return argv + ["-X", "POST", "-H", bearer, "-H", "Content-Type: application/json", "-H",
                       f"Idempotency-Key: {uuid.uuid4()}", "--data-binary", mission.checkout_body(),
                       f"{base}/api/v1/checkout/create"]
    event, signature = mission.signed_event(ctx, "curl")
    return argv + ["-X", "POST", "-H", "Content-Type: application/json", "-H", f"Stripe-Signature: {signature}",
                   "--data-binary", event, f"{base}/api/v1/webhooks/stripe"]


def curl_loop(ctx, probe, duration, out):
    """Sends `probe`'s request with curl every INTERVAL (±20 %) for `duration` s; appends each 2xx's total time."""
    def once():
        result = subprocess.run(curl_argv(ctx, probe), capture_output=True, text=True)
        parts = result.stdout.split()
        if result.returncode == 0 and len(parts) == 2 and parts[1].startswith("2"):
            out.append(float(parts[0]))

    harness.paced(INTERVAL, duration, once)


def run(ctx):
    """Runs the section; returns each probe's figures and when and on what it ran."""
    samples = 15 if ctx.smoke else 150
    duration = samples * INTERVAL
    started = time.time()
    load_before = os.getloadavg()
    ctx.set_faults(0)
    log(f"billing: the three billing probes and curl, {1 / INTERVAL:.0f} requests/s each, {duration:.0f} s")
    slaprobe = start_slaprobe(ctx)
    try:
        values = {probe: [] for probe in mission.PROBES}
        threads = [threading.Thread(target=curl_loop, args=(ctx, probe, duration, values[probe]))
                   for probe in mission.PROBES]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        metrics = harness.parse_metrics(harness.get_metrics(slaprobe.port))
    finally:
        ctx.h.stop(slaprobe)
    probes = {}
    for probe in mission.PROBES:
        labels = {"probe": probe, "window": WINDOW}
        curl_values = values[probe][2:]  # a cold curl binary pays one-off costs on its first requests
        probes[probe] = {
            "slaprobe": {
                "samples": harness.value(metrics, "slaprobe_window_samples", **labels),
                "p50": harness.value(metrics, "slaprobe_window_latency_seconds", quantile="0.5", **labels),
                "p95": harness.value(metrics, "slaprobe_window_latency_seconds", quantile="0.95", **labels),
                "failures": harness.value(metrics, "slaprobe_probes_total", probe=probe, result="failure"),
            },
            "curl": {
                "samples": len(curl_values),
                "p50": harness.quantile(curl_values, 0.5),
                "p95": harness.quantile(curl_values, 0.95),
            },
        }
    return {
        "interval_s": INTERVAL,
        "window": WINDOW,
        "probes": probes,
        "run": harness.section_run(ctx, started, load_before),
    }

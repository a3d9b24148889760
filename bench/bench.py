#!/usr/bin/env python3
"""Runs slaprobe's benchmarks on this machine and writes the raw results as JSON.

Sections (see docs/benchmarks.md for what each one measures and why), in the order they run:
  mission   slaprobe's three default billing probes and blackbox_exporter's three equivalent modules, every 5 s
            each, side by side: CPU per HTTP request and per probe run, RSS and what it is made of
            (bench/mission.py)
  accuracy  reported latency vs injected delay: slaprobe, blackbox_exporter and the curl CLI, side by side
  billing   each of the three billing probes against curl sending the same request at the same time
            (bench/billing.py)
  cost      CPU per probe and RSS at aggregate rates, slaprobe vs blackbox_exporter
  scale     1,000 probes: RSS, scheduler lag, /metrics size, render time and scrapes/s vs Prometheus's own
  alerts    breach onset to the first firing webhook: slaprobe's evaluator (for: 0, defaults) and Prometheus +
            Alertmanager with alerts/slaprobe.rules.yml, all against one breach (bench/alerts.py)
  journeys  CPU per purchase journey run against the simulator, and scheduler lag with 100 journeys beside
            1,000 probes (bench/journeys.py)

Nothing here asserts a timing: every figure is recorded, and report.py compares it with the budgets.
Called by bench/run; run that instead.
"""

import argparse
import json
import os
import platform
import random
import secrets
import shutil
import subprocess
import sys
import threading
import time

import alerts
import billing
import harness
import journeys
import loadgen
import mission
from harness import log

WINDOW = "1m"


class Context:
    def __init__(self, args):
        self.args = args
        self.smoke = args.smoke
        self.binary = os.path.abspath(args.binary)
        self.work = os.path.abspath(args.workdir)  # processes run in it (harness.Harness.start)
        self.h = harness.Harness(self.work)
        self.api_key = "bench-" + secrets.token_hex(16)
        self.webhook_secret = "whsec_bench_" + secrets.token_hex(16)
        self.env = {"SLAPROBE_API_KEY": self.api_key, "SLAPROBE_WEBHOOK_SECRET": self.webhook_secret}
        self.sim_port = None
        self.blackbox_port = None
        self.blackbox = None
        self.counter = 0

    # -- processes ---------------------------------------------------------------------------------------------

    def path(self, name):
        return os.path.join(self.work, name)

    def start_simulator(self):
        self.sim_port = harness.free_port()
        process = self.h.start(
            "target",
            [self.binary, "target", "--web.listen-address", f"127.0.0.1:{self.sim_port}", "--latency", "0s",
             "--jitter", "0s", "--miss-latency", "0s", "--log.level", "error"],
            env=self.env,
        )
        harness.wait_http(self.sim_port, "/admin/faults", process, self.h)
        return process

    def set_faults(self, latency_ms):
        code, body = harness.http_request(
            self.sim_port,
            f"/admin/faults?endpoint=all&latency={latency_ms}ms&jitter=0&miss_latency=0&error_rate=0",
            method="POST",
        )
        if code != 200:
            raise RuntimeError(f"POST /admin/faults answered {code}: {body[:200]!r}")

    @property
    def entitlement_url(self):
        return f"http://127.0.0.1:{self.sim_port}/api/v1/entitlements?user_id=u&project_id=p"

    def start_blackbox(self):
        config = self.path("blackbox.yml")
        with open(os.open(config, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
            f.write(
                "modules:\n"
                "  bench_http:\n"
                "    prober: http\n"
                "    timeout: 5s\n"
                "    http:\n"
                "      preferred_ip_protocol: ip4\n"
                "      headers:\n"
                f"        Authorization: Bearer {self.api_key}\n"
            )
        self.blackbox_port = harness.free_port()
        self.blackbox = self.h.start(
            "blackbox",
            ["prometheus-blackbox-exporter", f"--config.file={config}",
             f"--web.listen-address=127.0.0.1:{self.blackbox_port}", "--log.level=error"],
        )
        harness.wait_http(self.blackbox_port, "/-/healthy", self.blackbox, self.h)

    def blackbox_path(self):
        return f"/probe?module=bench_http&target={harness.quote(self.entitlement_url)}"

    def start_slaprobe(self, name, probes, interval, timeout=None, windows="[1m, 5m]", jitter="0%", extra=None,
                       journeys=0):
        """Starts slaprobe with `probes` generic http probes and `journeys` built-in purchase journeys against the
        simulator; waits until ready."""
        self.counter += 1
        config = self.path(f"slaprobe-{self.counter}.yml")
        timeout = timeout or interval
        lines = [
            "global:",
            f"  interval: {interval}",
            f"  timeout: {timeout}",
            f"  jitter: {jitter}",
            f"  windows: {windows}",
            "probes:",
        ]
        for index in range(probes):
            lines += [
                f"  - name: {name if probes == 1 else f'{name}-{index:04d}'}",
                "    kind: http",
                f"    url: \"{self.entitlement_url}\"",
                "    api_key_env: SLAPROBE_API_KEY",
                "    latency_threshold: 100ms",
            ]
        for index in range(journeys):
            lines += [
                f"  - name: journey-{index:04d}",
                "    kind: journey",
                "    journey: purchase",
                f"    url: \"http://127.0.0.1:{self.sim_port}\"",
                "    api_key_env: SLAPROBE_API_KEY",
                "    webhook_secret_env: SLAPROBE_WEBHOOK_SECRET",
            ]
        with open(config, "w") as f:
            f.write("\n".join(lines) + "\n")
        check = subprocess.run([self.binary, "check-config", config], capture_output=True, text=True, env={**os.environ, **self.env})
        if check.returncode != 0:
            raise RuntimeError(f"check-config refused the benchmark config:\n{check.stdout}{check.stderr}")
        port = harness.free_port()
        process = self.h.start(
            f"slaprobe-{self.counter}",
            [self.binary, "--config.file", config, "--web.listen-address", f"127.0.0.1:{port}", "--log.level", "error"]
            + (extra or []),
            env=self.env,
        )
        harness.wait_http(port, "/readyz", process, self.h, timeout=60)
        process.port = port
        return process


# -----------------------------------------------------------------------------------------------------------------
# accuracy


def curl_loop(ctx, interval, duration, out):
    argv = ["curl", "-q", "-s", "-o", "/dev/null", "-w", "%{time_total} %{http_code}", "-H",
            f"Authorization: Bearer {ctx.api_key}", ctx.entitlement_url]

    def once():
        result = subprocess.run(argv, capture_output=True, text=True)
        parts = result.stdout.split()
        if result.returncode == 0 and len(parts) == 2 and parts[1] == "200":
            out.append(float(parts[0]))

    harness.paced(interval, duration, once)


def blackbox_loop(ctx, interval, duration, out):
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", ctx.blackbox_port, timeout=10)
    path = ctx.blackbox_path()

    def once():
        connection.request("GET", path)
        response = connection.getresponse()
        samples = harness.parse_metrics(response.read())
        if harness.value(samples, "probe_success") == 1:
            phases = sum(v for _, v in harness.select(samples, "probe_http_duration_seconds"))
            out.append((harness.value(samples, "probe_duration_seconds"), phases))

    try:
        harness.paced(interval, duration, once)
    finally:
        connection.close()


def accuracy(ctx):
    levels = [0, 50] if ctx.smoke else [0, 10, 50, 100, 200]
    samples = 12 if ctx.smoke else 100
    results = []
    for injected in levels:
        # Same rate for every tool; the interval leaves room for the delay (a probe's timeout is its interval).
        interval = 0.1 if injected < 100 else 0.2 if injected < 200 else 0.3
        duration = samples * interval
        ctx.set_faults(injected)
        log(f"accuracy: {injected} ms injected, {1 / interval:.1f} requests/s per tool for {duration:.0f} s")
        slaprobe = ctx.start_slaprobe("accuracy", 1, f"{int(interval * 1000)}ms", jitter="10%")
        curl_values, blackbox_values = [], []
        threads = [
            threading.Thread(target=curl_loop, args=(ctx, interval, duration, curl_values)),
            threading.Thread(target=blackbox_loop, args=(ctx, interval, duration, blackbox_values)),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        metrics = harness.parse_metrics(harness.get_metrics(slaprobe.port))
        ctx.h.stop(slaprobe)
        labels = {"probe": "accuracy", "window": WINDOW}
        histogram = harness.buckets(metrics, "slaprobe_probe_duration_seconds", probe="accuracy")
        # Skip each loop's first two requests: a cold curl binary and blackbox's first probe pay one-off costs.
        curl_values, blackbox_values = curl_values[2:], blackbox_values[2:]
        results.append({
            "injected_ms": injected,
            "rate_per_s": 1 / interval,
            "slaprobe": {
                "samples": harness.value(metrics, "slaprobe_window_samples", **labels),
                "p50": harness.value(metrics, "slaprobe_window_latency_seconds", quantile="0.5", **labels),
                "p95": harness.value(metrics, "slaprobe_window_latency_seconds", quantile="0.95", **labels),
                "hist_p50": harness.histogram_quantile(0.5, histogram),
                "hist_p95": harness.histogram_quantile(0.95, histogram),
                "failures": harness.value(metrics, "slaprobe_probes_total", probe="accuracy", result="failure"),
            },
            "blackbox": {
                "samples": len(blackbox_values),
                "p50": harness.quantile([d for d, _ in blackbox_values], 0.5),
                "p95": harness.quantile([d for d, _ in blackbox_values], 0.95),
                "phases_p50": harness.quantile([p for _, p in blackbox_values], 0.5),
                "phases_p95": harness.quantile([p for _, p in blackbox_values], 0.95),
            },
            "curl": {
                "samples": len(curl_values),
                "p50": harness.quantile(curl_values, 0.5),
                "p95": harness.quantile(curl_values, 0.95),
            },
        })
    return results


# -----------------------------------------------------------------------------------------------------------------
# cost


def slaprobe_probe_count(port):
    metrics = harness.parse_metrics(harness.get_metrics(port))
    return sum(v for _, v in harness.select(metrics, "slaprobe_probes_total"))


def cost(ctx):
    rates = [10, 100] if ctx.smoke else [10, 100, 1000]
    measure = {10: 30, 100: 20, 1000: 15}
    probes = 10
    ctx.set_faults(0)
    results = []
    for rate in rates:
        duration = 3 if ctx.smoke else measure[rate]
        interval_ms = int(probes * 1000 / rate)
        log(f"cost: {rate} probes/s ({probes} probes every {interval_ms} ms) for {duration} s each tool")
        # slaprobe: the probes at a fixed rate; the process runs nothing else.
        slaprobe = ctx.start_slaprobe("cost", probes, f"{interval_ms}ms", timeout=f"{min(interval_ms, 1000)}ms",
                                      jitter="10%")
        time.sleep(1 if ctx.smoke else 3)
        before = slaprobe_probe_count(slaprobe.port)
        meter = harness.CPUMeter(slaprobe.pid)
        time.sleep(duration)
        used = meter.stop()
        after = slaprobe_probe_count(slaprobe.port)
        memory = harness.memory(slaprobe.pid)
        ctx.h.stop(slaprobe)
        slaprobe_result = {**used, **memory, "probes": after - before}

        # blackbox_exporter: /probe requests at the same rate from the load generator.
        loadgen.run(ctx.blackbox_port, [ctx.blackbox_path()], min(rate, 100), 1)  # warm up
        meter = harness.CPUMeter(ctx.blackbox.pid)
        generator_cpu = time.process_time()
        stats = loadgen.run(ctx.blackbox_port, [ctx.blackbox_path()], rate, duration, max_connections=256)
        generator_cpu = time.process_time() - generator_cpu
        used = meter.stop()
        memory = harness.memory(ctx.blackbox.pid)
        blackbox_result = {**used, **memory, "probes": stats["ok"], "failed": stats["failed"],
                           "dropped": stats["dropped"], "generator_cpu": generator_cpu}
        for r in (slaprobe_result, blackbox_result):
            r["cpu_per_probe"] = r["cpu"] / r["probes"] if r["probes"] else None
            r["achieved_rate"] = r["probes"] / r["wall"]
        results.append({"rate": rate, "slaprobe": slaprobe_result, "blackbox": blackbox_result})
    return results


def default_probes_memory(ctx):
    """RSS with the three built-in billing probes (no config file), at 1 s instead of 5 s to fill windows faster."""
    duration = 5 if ctx.smoke else 20
    log(f"memory: the 3 default probes for {duration} s")
    ctx.set_faults(0)
    port = harness.free_port()
    process = ctx.h.start(
        "slaprobe-default",
        [ctx.binary, "--target.url", f"http://127.0.0.1:{ctx.sim_port}", "--probe.interval", "1s",
         "--web.listen-address", f"127.0.0.1:{port}", "--log.level", "error"],
        env=ctx.env,
    )
    harness.wait_http(port, "/readyz", process, ctx.h, timeout=60)
    meter = harness.CPUMeter(process.pid)
    time.sleep(duration)
    used = meter.stop()
    harness.get_metrics(port)  # a scrape, as Prometheus would, before reading memory
    memory = harness.memory(process.pid)
    probes = slaprobe_probe_count(port)
    ctx.h.stop(process)
    # The floor: the same binary doing nothing but start (argument parsing, runtime and library initialisation).
    floor = subprocess.run([sys.executable, "-c", FLOOR_SCRIPT, ctx.binary], capture_output=True, text=True)
    return {**memory, **used, "probes": probes, "startup_max_rss": int(floor.stdout.strip() or 0)}


FLOOR_SCRIPT = """
import resource, subprocess, sys
subprocess.run([sys.argv[1], "--version"], capture_output=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024)
"""


# -----------------------------------------------------------------------------------------------------------------
# scale


def wrk(port, path, seconds):
    result = subprocess.run(
        ["wrk", "-t1", "-c1", f"-d{seconds}s", "--latency", f"http://127.0.0.1:{port}{path}"],
        capture_output=True, text=True, timeout=seconds + 60,
    )
    requests = None
    for line in result.stdout.splitlines():
        if line.startswith("Requests/sec:"):
            requests = float(line.split()[1])
    return {"requests_per_s": requests, "output": result.stdout}


def timed_scrapes(port, count):
    """Sequential scrapes 150 ms apart: a page of a few probes rendered less than 100 ms ago is served from a
    cache, and the pause makes every scrape render afresh."""
    import http.client

    first_byte, total, size = [], [], 0
    for _ in range(count):
        time.sleep(0.15)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        started = time.perf_counter()
        connection.request("GET", "/metrics")
        response = connection.getresponse()
        first_byte.append(time.perf_counter() - started)
        body = response.read()
        total.append(time.perf_counter() - started)
        size = len(body)
        connection.close()
    return first_byte, total, size


def start_prometheus(ctx):
    port = harness.free_port()
    config = ctx.path("prometheus.yml")
    with open(config, "w") as f:
        f.write(
            "global:\n  scrape_interval: 1s\n"
            "scrape_configs:\n"
            "  - job_name: prometheus\n"
            f"    static_configs: [{{targets: ['127.0.0.1:{port}']}}]\n"
        )
    data = ctx.path("prometheus-data")
    process = ctx.h.start(
        "prometheus",
        ["prometheus", f"--config.file={config}", f"--web.listen-address=127.0.0.1:{port}",
         f"--storage.tsdb.path={data}", "--log.level=error"],
    )
    harness.wait_http(port, "/-/ready", process, ctx.h, timeout=60)
    process.port = port
    return process


def scale(ctx):
    probes = 50 if ctx.smoke else 1000
    warmup = 3 if ctx.smoke else 20
    window = 4 if ctx.smoke else 30
    wrk_seconds = 1 if ctx.smoke else 5
    ctx.set_faults(0)
    prometheus = start_prometheus(ctx)
    log(f"scale: {probes} probes at 1 probe/s each; {warmup} s warm-up, {window} s measured")
    slaprobe = ctx.start_slaprobe("scale", probes, "1s", jitter="10%")
    time.sleep(warmup)
    before = harness.parse_metrics(harness.get_metrics(slaprobe.port))
    meter = harness.CPUMeter(slaprobe.pid)
    # Scraped every 5 s meanwhile, a little more often than Prometheus's usual 15 s.
    end = time.monotonic() + window
    while time.monotonic() < end:
        time.sleep(min(5, max(0, end - time.monotonic())))
        harness.get_metrics(slaprobe.port)
    used = meter.stop()
    after = harness.parse_metrics(harness.get_metrics(slaprobe.port))
    memory = harness.memory(slaprobe.pid)
    # How full the windows were when RSS was read: the samples a probe holds in each window, on average.
    window_samples = {}
    for labels, value in harness.select(after, "slaprobe_window_samples"):
        window_samples[labels["window"]] = window_samples.get(labels["window"], 0) + value / probes
    lag = harness.bucket_delta(harness.buckets(after, "slaprobe_scheduler_lag_seconds"),
                               harness.buckets(before, "slaprobe_scheduler_lag_seconds"))
    runs = (sum(v for _, v in harness.select(after, "slaprobe_probes_total"))
            - sum(v for _, v in harness.select(before, "slaprobe_probes_total")))
    failures = (sum(v for _, v in harness.select(after, "slaprobe_probes_total", result="failure"))
                - sum(v for _, v in harness.select(before, "slaprobe_probes_total", result="failure")))
    skipped = (sum(v for _, v in harness.select(after, "slaprobe_probe_skipped_total"))
               - sum(v for _, v in harness.select(before, "slaprobe_probe_skipped_total")))

    log("scale: /metrics render time and size")
    first_byte, total, size = timed_scrapes(slaprobe.port, 5 if ctx.smoke else 30)
    slaprobe_body = harness.get_metrics(slaprobe.port)
    prometheus_body = harness.get_metrics(prometheus.port)

    # Scrapes/s under wrk, interleaved (slaprobe, Prometheus, slaprobe, Prometheus) so noise hits both.
    log("scale: wrk against slaprobe's and Prometheus's /metrics, interleaved")
    runs_wrk = {"slaprobe": [], "prometheus": []}
    for _ in range(1 if ctx.smoke else 2):
        runs_wrk["slaprobe"].append(wrk(slaprobe.port, "/metrics", wrk_seconds))
        runs_wrk["prometheus"].append(wrk(prometheus.port, "/metrics", wrk_seconds))
    ctx.h.stop(slaprobe)
    ctx.h.stop(prometheus)

    def mean_rps(name):
        values = [r["requests_per_s"] for r in runs_wrk[name] if r["requests_per_s"] is not None]
        return sum(values) / len(values) if values else None

    series = {"slaprobe": harness.series_count(slaprobe_body), "prometheus": harness.series_count(prometheus_body)}
    scrapes = {"slaprobe": mean_rps("slaprobe"), "prometheus": mean_rps("prometheus")}
    return {
        "probes": probes,
        "window_s": window,
        "rss": memory["rss"],
        "hwm": memory["hwm"],
        "rss_anon": memory["rss_anon"],
        "rss_file": memory["rss_file"],
        "window_samples": window_samples,
        "cpu": used["cpu"],
        "cpu_per_probe": used["cpu"] / runs if runs else None,
        "runs": runs,
        "failures": failures,
        "skipped": skipped,
        "lag_buckets": lag,
        "lag_p50": harness.histogram_quantile(0.5, lag),
        "lag_p99": harness.histogram_quantile(0.99, lag),
        "metrics_bytes": size,
        "render_first_byte": sorted(first_byte),
        "render_total": sorted(total),
        "series": series,
        "bytes": {"slaprobe": len(slaprobe_body), "prometheus": len(prometheus_body)},
        "scrapes_per_s": scrapes,
        "series_per_s": {k: (scrapes[k] or 0) * series[k] for k in series},
        "wrk_output": {k: [r["output"] for r in v] for k, v in runs_wrk.items()},
    }


# -----------------------------------------------------------------------------------------------------------------


def alert_support(ctx):
    result = subprocess.run([ctx.binary, "run", "--help"], capture_output=True, text=True)
    return "--alert.webhook-url" in result.stdout + result.stderr


def tool_versions(ctx):
    def first_line(argv):
        try:
            result = subprocess.run(argv, capture_output=True, text=True, timeout=10)
            return (result.stdout + result.stderr).strip().splitlines()[0]
        except (OSError, IndexError, subprocess.TimeoutExpired):
            return "unknown"

    return {
        "slaprobe": first_line([ctx.binary, "--version"]),
        "curl": first_line(["curl", "--version"]),
        "blackbox_exporter": first_line(["prometheus-blackbox-exporter", "--version"]),
        "prometheus": first_line(["prometheus", "--version"]),
        "alertmanager": first_line([alerts.ALERTMANAGER, "--version"]),
        "wrk": first_line(["wrk", "--version"]),
    }


# Sections whose results record their own run (date, revision, load), so they can join an earlier run's report.
MERGEABLE = ("mission", "billing", "journeys")


def merged(path, results, sections):
    """The results already in `path` with the sections just run put in place of theirs."""
    with open(path) as f:
        earlier = json.load(f)
    for section in sections:
        earlier[section] = results[section]
    return earlier


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--output", required=True, help="where to write results.json")
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--sections", default="mission,accuracy,billing,cost,scale,alerts,journeys")
    parser.add_argument("--build", default="release")
    parser.add_argument("--merge", action="store_true",
                        help="keep the other sections of an existing --output and replace only the ones run")
    args = parser.parse_args()
    sections = args.sections.split(",")
    if args.merge and not set(sections) <= set(MERGEABLE):
        parser.error(f"--merge takes only sections that record their own run: {', '.join(MERGEABLE)}")
    ctx = Context(args)
    started = time.time()
    results = {
        "mode": "smoke" if args.smoke else "full",
        "build": args.build,
        "started": time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(started)),
        "machine": {
            "cpus": os.cpu_count(),
            "kernel": platform.release(),
            "load_before": os.getloadavg(),
        },
        "revision": subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True, text=True,
                                   cwd=os.path.dirname(os.path.abspath(__file__))).stdout.strip(),
        "versions": tool_versions(ctx),
    }
    try:
        ctx.start_simulator()
        ctx.start_blackbox()
        # First, on a quiet machine: at 5 s intervals the figures are small and easily disturbed.
        if "mission" in sections:
            results["mission"] = mission.run(ctx)
        if "accuracy" in sections:
            results["accuracy"] = accuracy(ctx)
        if "billing" in sections:
            results["billing"] = billing.run(ctx)
        if "cost" in sections:
            results["cost"] = cost(ctx)
            results["default_probes"] = default_probes_memory(ctx)
        if "scale" in sections:
            results["scale"] = scale(ctx)
        if "alerts" in sections:
            if alert_support(ctx):
                results["alerts"] = alerts.run(ctx)
            else:
                results["alerts"] = {"supported": False}
                log("alerts: this slaprobe has no --alert.webhook-url; skipped")
        if "journeys" in sections:
            results["journeys"] = journeys.run(ctx)
    finally:
        ctx.h.cleanup()
    results["machine"]["load_after"] = os.getloadavg()
    results["duration_s"] = time.time() - started
    if args.merge and os.path.exists(args.output):
        results = merged(args.output, results, sections)
    with open(args.output, "w") as f:
        json.dump(results, f, indent=1)
    log(f"results written to {args.output} after {time.time() - started:.0f} s")


if __name__ == "__main__":
    main()

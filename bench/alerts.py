"""Alert latency: breach onset to the first firing webhook, for slaprobe's built-in evaluator and for Prometheus +
Alertmanager running the shipped rules (alerts/slaprobe.rules.yml), all against the same breach.

Every path runs at once against one simulator: slaprobe instances with different `alerting:` settings, and
Prometheus scraping one of them (the one with the shipped defaults) and pushing to Alertmanager. Each instance
sends its webhooks to its own path on one local receiver, which records arrival times. After a warm-up with
healthy responses, a 150 ms delay is put on the entitlement endpoint at a recorded wall-clock time T0, and each
path's figure is T(first firing webhook for SlaprobeLatencyHigh, probe="entitlement") - T0.

While waiting, the section polls every path so that the total can be split into stages:
  window fill      T0 -> slaprobe's own window first holds > 5 % slow samples (with at least min_samples)
  to pending       -> the alert becomes pending (slaprobe: the next evaluation; Prometheus: the next scrape, then
                      the next evaluation of the rule group, recordings first, then the alert rule)
  for              pending -> firing
  notify           firing -> the webhook arrives (group_wait, the flush tick and the delivery)

Nothing here asserts a timing. Called by bench.py (section `alerts`).
"""

import http.server
import json
import os
import re
import subprocess
import threading
import time
from datetime import datetime, timezone

import harness
from harness import log

ALERT = "SlaprobeLatencyHigh"
PROBE = "entitlement"
INJECTED = "150ms"
RULES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "alerts", "slaprobe.rules.yml")
ALERTMANAGER = "/usr/bin/prometheus-alertmanager"
PROMETHEUS = "prometheus"

# The built-in defaults (README "Default rules", AlertRule.defaultRules, AlertingConfig): recorded with the results
# so the report can name them; the `defaults` path itself sets none of them.
DEFAULTS = {"interval_s": 5, "window_s": 300, "min_samples": 20, "for_s": 60, "evaluation_s": 15, "group_wait_s": 10}


class Receiver:
    """A webhook receiver on 127.0.0.1: records (arrival time, path, JSON body) of every POST and answers 200."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                arrived = time.time()
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                try:
                    payload = json.loads(body)
                except ValueError:
                    payload = None
                with receiver.lock:
                    receiver.requests.append({"at": arrived, "path": self.path, "payload": payload})
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}/{path}"

    def first_firing(self, path):
        """(arrival time, the alert) of the first notification on `path` carrying ALERT for PROBE as firing."""
        with self.lock:
            requests = list(self.requests)
        for request in requests:
            if request["path"].strip("/") != path or not isinstance(request["payload"], dict):
                continue
            for alert in request["payload"].get("alerts") or []:
                labels = alert.get("labels") or {}
                if (alert.get("status") == "firing" and labels.get("alertname") == ALERT
                        and labels.get("probe") == PROBE):
                    return request["at"], alert
        return None

    def count(self):
        with self.lock:
            return len(self.requests)

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


_RFC3339 = re.compile(r"^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def parse_time(text):
    """Unix seconds of an RFC 3339 timestamp (nanosecond fractions and any offset, as Go writes them)."""
    match = _RFC3339.match(text or "")
    if not match:
        return None
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    if year <= 1:  # Go's zero time
        return None
    fraction = float(match.group(7) or 0)
    zone = match.group(8)
    stamp = datetime(year, month, day, hour, minute, second, tzinfo=timezone.utc).timestamp() + fraction
    if zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        stamp -= sign * (int(zone[1:3]) * 3600 + int(zone[4:6]) * 60)
    return stamp


def seconds_text(value):
    return f"{value:g}s"


class Path:
    """One measured path: a slaprobe instance with its own alerting settings, or Prometheus + Alertmanager."""

    def __init__(self, key, kind, label, settings, window_s, min_samples, interval_s, timeout_s=None,
                 evaluation_s=None, group_wait_s=None, for_s=None, defaults=False):
        self.key = key
        self.kind = kind  # "slaprobe" or "prometheus"
        self.label = label
        self.settings = settings
        self.window_s = window_s
        self.min_samples = min_samples
        self.interval_s = interval_s
        self.timeout_s = timeout_s
        self.evaluation_s = evaluation_s
        self.group_wait_s = group_wait_s
        self.for_s = for_s
        self.defaults = defaults
        self.process = None
        self.source = None  # the slaprobe instance whose window stands for this path's data
        # Observations, Unix seconds.
        self.samples_at_t0 = None
        self.condition_at = None
        self.condition_counts = None
        self.pending_at = None
        self.fired_at = None
        self.first_seen = None  # (slow, samples) from the evaluation that first made the alert active
        self.webhook_at = None
        self.webhook_alert = None

    def alerting_yaml(self, receiver_url, storage):
        """The config's `alerting:` section. The defaults path sets only where state goes and where to send."""
        lines = ["alerting:"]
        if not self.defaults:
            lines += [
                f"  evaluation_interval: {seconds_text(self.evaluation_s)}",
                f"  window: {seconds_text(self.window_s)}",
                f"  group_wait: {seconds_text(self.group_wait_s)}",
            ]
        lines += [
            f"  storage_path: {storage}",
            "  receivers:",
            f"    - {{name: bench, kind: webhook, url: \"{receiver_url}\"}}",
        ]
        if not self.defaults:
            lines += [
                "  rules:",
                f"    - {{name: {ALERT}, kind: latency, for: {seconds_text(self.for_s)}, "
                f"min_samples: {self.min_samples}}}",
            ]
        return lines


def paths_for(smoke):
    d = DEFAULTS
    if smoke:
        # Everything short, so the path completes in seconds; the figures mean nothing.
        fast = Path("fast", "slaprobe", "slaprobe, for: 0 (smoke settings)",
                    "interval 250ms, window 1m, min_samples 20, evaluation 1s, group_wait 0, for 0",
                    window_s=60, min_samples=20, interval_s=0.25, timeout_s=0.2, evaluation_s=1, group_wait_s=0,
                    for_s=0)
        prometheus = Path("prometheus", "prometheus", "Prometheus + Alertmanager (smoke settings)",
                          "scrape 1s, evaluation 1s, alerts/slaprobe.rules.yml with for: 0 on "
                          f"{ALERT}, Alertmanager group_wait 1s", window_s=300, min_samples=20, interval_s=0.25,
                          evaluation_s=1, group_wait_s=1, for_s=0)
        prometheus.scrape_s = 1
        prometheus.source_key = "fast"
        return [fast, prometheus]
    for0 = Path("for0", "slaprobe", "(a) slaprobe, `for: 0`",
                f"interval {d['interval_s']}s, window 5m, min_samples {d['min_samples']}, evaluation "
                f"{d['evaluation_s']}s, group_wait {d['group_wait_s']}s, **for 0**",
                window_s=d["window_s"], min_samples=d["min_samples"], interval_s=d["interval_s"],
                evaluation_s=d["evaluation_s"], group_wait_s=d["group_wait_s"], for_s=0)
    defaults = Path("defaults", "slaprobe", "(b) slaprobe, defaults",
                    f"interval {d['interval_s']}s, window 5m, min_samples {d['min_samples']}, evaluation "
                    f"{d['evaluation_s']}s, group_wait {d['group_wait_s']}s, for 1m (no alerting settings)",
                    window_s=d["window_s"], min_samples=d["min_samples"], interval_s=d["interval_s"],
                    evaluation_s=d["evaluation_s"], group_wait_s=d["group_wait_s"], for_s=d["for_s"], defaults=True)
    prometheus = Path("prometheus", "prometheus", "(c) Prometheus + Alertmanager",
                      "scraping (b): scrape_interval 15s, evaluation_interval 15s, alerts/slaprobe.rules.yml as "
                      "shipped (5m, >= 20 runs, for 1m); Alertmanager group_wait 30s (its default)",
                      window_s=300, min_samples=20, interval_s=d["interval_s"], evaluation_s=15, group_wait_s=30,
                      for_s=60)
    prometheus.scrape_s = 15
    prometheus.source_key = "defaults"
    tuned = Path("tuned", "slaprobe", "slaprobe, tuned for speed",
                 "interval 1s, window 1m, min_samples 20, evaluation 5s, group_wait 0, for 0",
                 window_s=60, min_samples=20, interval_s=1, timeout_s=1, evaluation_s=5, group_wait_s=0, for_s=0)
    return [for0, defaults, prometheus, tuned]


def start_slaprobe(ctx, path, receiver):
    config = ctx.path(f"alerts-{path.key}.yml")
    storage = ctx.path(f"alerts-{path.key}-state")
    lines = []
    if path.interval_s != DEFAULTS["interval_s"] or path.timeout_s is not None:
        lines += ["global:", f"  interval: {int(path.interval_s * 1000)}ms"]
        if path.timeout_s is not None:
            lines.append(f"  timeout: {int(path.timeout_s * 1000)}ms")
    # No `probes:`: the three built-in billing probes (entitlement, checkout, webhook), as a user gets them.
    lines += [
        "target:",
        f"  url: http://127.0.0.1:{ctx.sim_port}",
        "  api_key_env: SLAPROBE_API_KEY",
        "  webhook_secret_env: SLAPROBE_WEBHOOK_SECRET",
    ]
    lines += path.alerting_yaml(receiver.url(path.key), storage)
    with open(config, "w") as f:
        f.write("\n".join(lines) + "\n")
    check = subprocess.run([ctx.binary, "check-config", config], capture_output=True, text=True,
                           env={**os.environ, **ctx.env})
    if check.returncode != 0:
        raise RuntimeError(f"check-config refused {config}:\n{check.stdout}{check.stderr}")
    port = harness.free_port()
    process = ctx.h.start(
        f"alerts-{path.key}",
        [ctx.binary, "--config.file", config, "--web.listen-address", f"127.0.0.1:{port}", "--log.level", "info"],
        env=ctx.env,
    )
    harness.wait_http(port, "/readyz", process, ctx.h, timeout=60)
    process.port = port
    path.process = process


def smoke_rules(ctx):
    """A copy of the shipped rules with `for: 0s` on the latency alert, so the smoke run completes the path."""
    with open(RULES) as f:
        text = f.read()
    start = text.index(f"- alert: {ALERT}\n")
    end = text.index("- alert:", start + 1)
    block, count = re.subn(r"\n(\s+)for: \S+\n", r"\n\1for: 0s\n", text[start:end], count=1)
    if count != 1:
        raise RuntimeError(f"no `for:` in {ALERT} in {RULES}")
    path = ctx.path("slaprobe.rules.smoke.yml")
    with open(path, "w") as f:
        f.write(text[:start] + block + text[end:])
    return path


def start_alertmanager(ctx, path, receiver):
    config = ctx.path("alertmanager.yml")
    with open(config, "w") as f:
        f.write(
            "route:\n"
            "  receiver: bench\n"
            "  group_by: [alertname, probe]\n"
            f"  group_wait: {seconds_text(path.group_wait_s)}\n"
            "  group_interval: 5m\n"
            "  repeat_interval: 4h\n"
            "receivers:\n"
            "  - name: bench\n"
            "    webhook_configs:\n"
            f"      - url: \"{receiver.url(path.key)}\"\n"
            "        send_resolved: false\n"
        )
    port = harness.free_port()
    process = ctx.h.start(
        "alertmanager",
        [ALERTMANAGER, f"--config.file={config}", f"--storage.path={ctx.path('alertmanager-data')}",
         f"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address=", "--log.level=warn"],
    )
    harness.wait_http(port, "/-/ready", process, ctx.h, timeout=60)
    process.port = port
    return process


def start_prometheus(ctx, path, alertmanager_port, scrape_port, rules):
    config = ctx.path("prometheus-alerts.yml")
    with open(config, "w") as f:
        f.write(
            "global:\n"
            f"  scrape_interval: {seconds_text(path.scrape_s)}\n"
            f"  evaluation_interval: {seconds_text(path.evaluation_s)}\n"
            f"rule_files: ['{os.path.abspath(rules)}']\n"
            "alerting:\n"
            "  alertmanagers:\n"
            f"    - static_configs: [{{targets: ['127.0.0.1:{alertmanager_port}']}}]\n"
            "scrape_configs:\n"
            "  - job_name: slaprobe\n"
            f"    static_configs: [{{targets: ['127.0.0.1:{scrape_port}']}}]\n"
        )
    port = harness.free_port()
    process = ctx.h.start(
        "prometheus-alerts",
        [PROMETHEUS, f"--config.file={config}", f"--web.listen-address=127.0.0.1:{port}",
         f"--storage.tsdb.path={ctx.path('prometheus-alerts-data')}", "--log.level=warn"],
    )
    harness.wait_http(port, "/-/ready", process, ctx.h, timeout=60)
    process.port = port
    return process


def window_counts(port, window_s):
    """(samples, slower than the threshold) of PROBE's window of `window_s` seconds, from slaprobe's /metrics."""
    metrics = harness.parse_metrics(harness.get_metrics(port))
    window = f"{int(window_s // 60)}m" if window_s % 60 == 0 else f"{window_s:g}s"
    samples = harness.value(metrics, "slaprobe_window_samples", probe=PROBE, window=window)
    slow = harness.value(metrics, "slaprobe_window_samples_over_threshold", probe=PROBE, window=window)
    return (None if samples is None else int(samples)), (None if slow is None else int(slow))


def slaprobe_alert(port):
    code, body = harness.http_request(port, "/api/v1/alerts", timeout=5)
    if code != 200:
        return None
    for alert in json.loads(body)["data"]["alerts"]:
        if alert.get("alertname") == ALERT and alert.get("probe") == PROBE:
            return alert
    return None


def prometheus_alert(port):
    code, body = harness.http_request(port, "/api/v1/alerts", timeout=5)
    if code != 200:
        return None
    for alert in json.loads(body)["data"]["alerts"]:
        labels = alert.get("labels") or {}
        if labels.get("alertname") == ALERT and labels.get("probe") == PROBE:
            return alert
    return None


def observe(path, sources, prometheus, now):
    """One poll of a path: window condition, alert state, and (for slaprobe) the evidence of activation."""
    source = sources[path.source]
    if path.condition_at is None and source.process.poll() is None:
        samples, slow = window_counts(source.process.port, path.window_s)
        if samples and slow is not None and samples >= path.min_samples and slow / samples > 0.05:
            path.condition_at = now
            path.condition_counts = (slow, samples)
    if path.kind == "slaprobe":
        alert = slaprobe_alert(path.process.port)
        if alert and alert.get("state") in ("pending", "firing"):
            path.pending_at = parse_time(alert.get("activeAt"))
            path.fired_at = parse_time(alert.get("firedAt")) or path.fired_at
            annotations = alert.get("annotations") or {}
            if path.first_seen is None and annotations.get("samples"):
                samples = int(annotations["samples"])
                path.first_seen = (round(float(annotations.get("slow_ratio", 0)) * samples), samples)
    else:
        alert = prometheus_alert(prometheus.port)
        if alert and alert.get("state") in ("pending", "firing"):
            path.pending_at = parse_time(alert.get("activeAt"))


def run(ctx):
    smoke = ctx.smoke
    warmup = 8 if smoke else 150
    cap = 40 if smoke else 210
    poll = 0.25
    paths = paths_for(smoke)
    by_key = {p.key: p for p in paths}
    for p in paths:
        p.source = p.key if p.kind == "slaprobe" else p.source_key
    receiver = Receiver()
    started = []
    try:
        ctx.set_faults(0)
        for p in paths:
            if p.kind == "slaprobe":
                start_slaprobe(ctx, p, receiver)
                started.append(p.process)
        prometheus = alertmanager = None
        for p in paths:
            if p.kind == "prometheus":
                rules = smoke_rules(ctx) if smoke else RULES
                alertmanager = start_alertmanager(ctx, p, receiver)
                started.append(alertmanager)
                prometheus = start_prometheus(ctx, p, alertmanager.port, by_key[p.source].process.port, rules)
                started.append(prometheus)
        log(f"alerts: {len(paths)} paths ({', '.join(p.key for p in paths)}); {warmup} s of healthy responses first")
        time.sleep(warmup)
        for p in paths:
            p.samples_at_t0 = window_counts(by_key[p.source].process.port, p.window_s)[0]
        before = receiver.count()
        t0 = time.time()
        code, body = harness.http_request(
            ctx.sim_port, f"/admin/faults?endpoint={PROBE}&latency={INJECTED}&jitter=0&miss_latency=0", method="POST")
        t0_applied = time.time()
        if code != 200:
            raise RuntimeError(f"POST /admin/faults answered {code}: {body[:200]!r}")
        log(f"alerts: {INJECTED} on {PROBE} from now; waiting up to {cap} s for every path's webhook")
        deadline = t0 + cap
        while time.time() < deadline:
            now = time.time()
            for p in paths:
                if p.webhook_at is not None:
                    continue
                observe(p, by_key, prometheus, now)
                found = receiver.first_firing(p.key)
                if found:
                    p.webhook_at, p.webhook_alert = found
                    if p.kind == "slaprobe" and p.fired_at is None:
                        observe(p, by_key, prometheus, time.time())  # fired between two polls
                    log(f"alerts: {p.key}: webhook {p.webhook_at - t0:.1f} s after the breach")
            if all(p.webhook_at is not None for p in paths):
                break
            time.sleep(max(0.0, poll - (time.time() - now)))
        ctx.set_faults(0)
        results = []
        for p in paths:
            fired = p.fired_at
            if p.webhook_alert and (p.kind == "prometheus" or fired is None):
                # Both send startsAt = when the alert fired (Prometheus: its FiredAt; slaprobe: firedAt).
                fired = parse_time(p.webhook_alert.get("startsAt"))

            def rel(stamp):
                return None if stamp is None else stamp - t0

            results.append({
                "key": p.key,
                "kind": p.kind,
                "label": p.label,
                "settings": p.settings,
                "source": p.source,
                "interval_s": p.interval_s,
                "window_s": p.window_s,
                "min_samples": p.min_samples,
                "evaluation_s": p.evaluation_s,
                "scrape_s": getattr(p, "scrape_s", None),
                "group_wait_s": p.group_wait_s,
                "for_s": p.for_s,
                "samples_at_t0": p.samples_at_t0,
                # Seen by polling, so up to a poll late: the condition held by the time the alert went pending.
                "condition_s": rel(min(p.condition_at, p.pending_at) if p.condition_at and p.pending_at
                                   else p.condition_at),
                "condition_counts": p.condition_counts,
                "pending_s": rel(p.pending_at),
                "fired_s": rel(fired),
                "webhook_s": rel(p.webhook_at),
                "first_seen": p.first_seen,
                "received": p.webhook_at is not None,
            })
        for row in results:  # Prometheus judges its source's runs: one window-fill time for both
            if row["kind"] == "prometheus":
                source = next((r for r in results if r["key"] == row["source"]), None)
                if source is not None and source["condition_s"] is not None:
                    row["condition_s"] = source["condition_s"]
        return {
            "supported": True,
            "injected": INJECTED,
            "warmup_s": warmup,
            "cap_s": cap,
            "poll_s": poll,
            "t0": t0,
            "t0_applied_s": t0_applied - t0,
            "notifications_before_t0": before,
            "defaults": DEFAULTS,
            "results": results,
        }
    finally:
        for process in reversed(started):
            ctx.h.stop(process)
        receiver.stop()

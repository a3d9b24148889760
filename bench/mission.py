"""The mission-rate section: slaprobe and blackbox_exporter side by side at the rate slaprobe exists for.

Both run the three billing probes (entitlement, checkout, signed webhook) every 5 s against the same simulator,
at the same time:

  slaprobe   its three default billing probes, from a config file with only `target:` (zero-config with both
             secrets also runs the purchase journey, which blackbox_exporter has no equivalent for), scraped
             every 15 s as Prometheus would
  blackbox   three http modules with the same URLs, methods, headers and bodies as far as blackbox_exporter can
             express them, each asked through `/probe` every 5 s by a paced loop, as Prometheus would scrape it

After both have run each probe once, over one window: each process's CPU, its RSS at the end (anonymous and
file-backed, and its largest mappings), and the HTTP requests each sent, counted at the simulator
(`GET /admin/requests`: slaprobe's requests carry an `X-Request-ID`, blackbox_exporter's none).

Then both idle, side by side: slaprobe with one probe that runs hourly, blackbox_exporter asked for nothing; CPU
per second and context switches per minute over 60 s.

Called by bench.py (section `mission`); run bench/run instead.
"""

import hashlib
import hmac
import http.client
import json
import os
import subprocess
import time
import uuid

import harness
from harness import log

INTERVAL = 5  # seconds between two runs of one probe: slaprobe's default
SCRAPE = 15  # seconds between two scrapes of slaprobe's /metrics
PROBES = ("entitlement", "checkout", "webhook")

# The billing defaults slaprobe's probes send (Sources/Config/ConfigDefaults.swift).
USER_ID = "slaprobe-synthetic-user"
PROJECT_ID = "slaprobe-synthetic-project"
PRICE_ID = "price_slaprobe_synthetic"


def start_slaprobe(ctx):
    """slaprobe with its three default billing probes every 5 s (no `probes:`, so the built-in ones)."""
    config = ctx.path("mission-slaprobe.yml")
    with open(config, "w") as f:
        f.write(
            "global:\n"
            f"  interval: {INTERVAL}s\n"
            "target:\n"
            f"  url: http://127.0.0.1:{ctx.sim_port}\n"
            "  api_key_env: SLAPROBE_API_KEY\n"
            "  webhook_secret_env: SLAPROBE_WEBHOOK_SECRET\n"
        )
    check = subprocess.run([ctx.binary, "check-config", config], capture_output=True, text=True,
                           env={**os.environ, **ctx.env})
    if check.returncode != 0:
        raise RuntimeError(f"check-config refused {config}:\n{check.stdout}{check.stderr}")
    port = harness.free_port()
    process = ctx.h.start(
        "mission-slaprobe",
        [ctx.binary, "--config.file", config, "--web.listen-address", f"127.0.0.1:{port}", "--log.level", "error"],
        env=ctx.env,
    )
    harness.wait_http(port, "/readyz", process, ctx.h, timeout=60)  # ready once every probe has run once
    process.port = port
    return process


def checkout_body():
    """The JSON body of slaprobe's checkout probe."""
    return json.dumps({
        "user_id": USER_ID, "project_id": PROJECT_ID, "price_id": PRICE_ID, "mode": "subscription",
        "success_url": "https://slaprobe.invalid/checkout/success",
        "cancel_url": "https://slaprobe.invalid/checkout/cancel",
    }, separators=(",", ":"))


def signed_event(ctx, source):
    """A checkout.session.completed event like slaprobe's webhook probe sends, with a fresh id, and its
    `Stripe-Signature` header value (signed now with the simulator's secret)."""
    now = int(time.time())
    event = json.dumps({
        "id": f"evt_{source}_" + uuid.uuid4().hex, "object": "event", "type": "checkout.session.completed",
        "created": now, "livemode": False,
        "data": {"object": {
            "id": f"cs_{source}_" + uuid.uuid4().hex, "object": "checkout.session", "mode": "subscription",
            "status": "complete", "metadata": {"user_id": USER_ID, "project_id": PROJECT_ID, "synthetic": source},
        }},
    }, separators=(",", ":"))
    signature = hmac.new(ctx.webhook_secret.encode(), f"{now}.{event}".encode(), hashlib.sha256).hexdigest()
    return event, f"t={now},v1={signature}"


def blackbox_modules(ctx):
    """blackbox_exporter http modules equivalent to slaprobe's three billing probes, and each one's target URL.

    blackbox_exporter sends fixed headers and bodies: the checkout's Idempotency-Key is the same every time, and
    the webhook is signed once, here, so its signature stays inside the simulator's 5-minute tolerance for the
    length of the section but would not for longer. It has no negative webhook cases.
    """
    base = f"http://127.0.0.1:{ctx.sim_port}"
    checkout = checkout_body()
    event, signature_header = signed_event(ctx, "blackbox")
    bearer = f"Bearer {ctx.api_key}"

    def module(method, valid, headers, body=None):
        """One http module; `valid` status codes, or [] for blackbox_exporter's default (any 2xx)."""
        http_settings = {"preferred_ip_protocol": "ip4", "method": method, "valid_status_codes": valid,
                         "headers": headers}
        if body is not None:
            http_settings["body"] = body
        return {"prober": "http", "timeout": "2s", "http": http_settings}

    modules = {
        "entitlement": module("GET", [200], {"Accept": "application/json", "Authorization": bearer}),
        "checkout": module("POST", [], {"Content-Type": "application/json", "Authorization": bearer,
                                        "Idempotency-Key": str(uuid.uuid4())}, checkout),
        "webhook": module("POST", [], {"Content-Type": "application/json",
                                       "Stripe-Signature": signature_header}, event),
    }
    targets = {
        "entitlement": f"{base}/api/v1/entitlements?user_id={USER_ID}&project_id={PROJECT_ID}",
        "checkout": f"{base}/api/v1/checkout/create",
        "webhook": f"{base}/api/v1/webhooks/stripe",
    }
    return modules, targets


def start_blackbox(ctx):
    """A blackbox_exporter of its own with the three billing modules; returns it and each module's /probe path."""
    modules, targets = blackbox_modules(ctx)
    config = ctx.path("mission-blackbox.yml")
    # YAML is a superset of JSON; the file holds the API key, so it is private.
    with open(os.open(config, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
        json.dump({"modules": modules}, f, indent=1)
    port = harness.free_port()
    process = ctx.h.start(
        "mission-blackbox",
        ["prometheus-blackbox-exporter", f"--config.file={config}", f"--web.listen-address=127.0.0.1:{port}",
         "--log.level=error"],
    )
    harness.wait_http(port, "/-/healthy", process, ctx.h)
    process.port = port
    paths = {name: f"/probe?module={name}&target={harness.quote(url)}" for name, url in targets.items()}
    return process, paths


class Scraper:
    """One keep-alive connection to a local server, reopened when the server has closed it, as Prometheus keeps
    one per target."""

    def __init__(self, port):
        """Nothing is connected until the first request."""
        self.port = port
        self.connection = None

    def get(self, path):
        """GET `path`; returns the body, or raises on a status other than 200."""
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            try:
                self.connection.request("GET", path)
                response = self.connection.getresponse()
                body = response.read()
            except (http.client.HTTPException, ConnectionError):
                self.close()
                if attempt == 2:
                    raise
                continue
            if response.status != 200:
                raise RuntimeError(f"127.0.0.1:{self.port}{path} answered HTTP {response.status}")
            return body

    def close(self):
        """Closes the connection, if open."""
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def probe_blackbox(scraper, path):
    """One /probe request; True when blackbox_exporter reports the probe successful."""
    return harness.value(harness.parse_metrics(scraper.get(path)), "probe_success") == 1


def drive(blackbox, paths, slaprobe, window):
    """For `window` seconds, asks blackbox_exporter for each module every INTERVAL (the modules a third of an
    interval apart, as Prometheus spreads its targets) and scrapes slaprobe every SCRAPE; returns blackbox's
    outcomes by module as [successes, failures] and the number of slaprobe scrapes."""
    start = time.monotonic()

    def every(period, offset, name):
        """(due time, name) every `period` from `offset` on, within the window."""
        return [(start + offset + k * period, name) for k in range(int(window // period) + 1)
                if offset + k * period < window]

    events = every(SCRAPE, SCRAPE / 2, None)  # None: a scrape of slaprobe
    for index, name in enumerate(PROBES):
        events += every(INTERVAL, index * INTERVAL / len(PROBES), name)
    outcomes = {name: [0, 0] for name in PROBES}
    scrapes = 0
    for due, name in sorted(events, key=lambda event: event[0]):
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        if name is None:
            slaprobe.get("/metrics")
            scrapes += 1
        else:
            outcomes[name][0 if probe_blackbox(blackbox, paths[name]) else 1] += 1
    delay = start + window - time.monotonic()
    if delay > 0:
        time.sleep(delay)
    return outcomes, scrapes


def received(ctx):
    """The simulator's latest received requests, oldest first: [(endpoint, request_id)]."""
    code, body = harness.http_request(ctx.sim_port, "/admin/requests")
    if code != 200:
        raise RuntimeError(f"GET /admin/requests answered {code}")
    return [(entry["endpoint"], entry["request_id"]) for entry in json.loads(body)["requests"]]


def requests_since(before, after):
    """The requests in `after` that arrived after the list `before` was read, or None if the simulator has
    forgotten where `before` ended.

    The simulator keeps its latest 1,000 requests. slaprobe's request ids are unique, so the last one in `before`
    marks the place in `after`; the requests that followed it in `before` come next, then the new ones.
    """
    marks = [index for index, (_, request_id) in enumerate(before) if request_id]
    if not marks:
        return None
    mark = marks[-1]
    following = len(before) - 1 - mark
    for index in range(len(after) - 1, -1, -1):
        if after[index][1] == before[mark][1]:
            return after[index + 1 + following:]
    return None


def by_endpoint(requests):
    """Counts of requests by endpoint."""
    counts = {}
    for endpoint, _ in requests:
        counts[endpoint] = counts.get(endpoint, 0) + 1
    return counts


def top_mappings(pid, count=6):
    """The `count` mappings of a process with the most resident memory, from /proc/PID/smaps."""
    mappings = []
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            fields = line.split()
            if not fields:
                continue
            if not fields[0].endswith(":") and "-" in fields[0]:
                name = " ".join(fields[5:]) or "[anonymous]"
                mappings.append({"name": name, "perms": fields[1], "rss": 0})
            elif fields[0] == "Rss:" and mappings:
                mappings[-1]["rss"] = int(fields[1]) * 1024
    return sorted(mappings, key=lambda mapping: mapping["rss"], reverse=True)[:count]


def slaprobe_runs(port):
    """slaprobe's probe runs so far, and of them the failed ones."""
    samples = harness.parse_metrics(harness.get_metrics(port))
    runs = harness.select(samples, "slaprobe_probes_total")
    return sum(v for _, v in runs), sum(v for labels, v in runs if labels.get("result") == "failure")


def figures(used, process, runs, failures, requests):
    """One tool's row: CPU, memory, runs, requests at the target, and CPU per request and per run.

    CPU is the process's CPU clock (``harness.CPUMeter``): what /proc/PID/stat counts as utime + stime, in
    nanoseconds instead of 10 ms ticks, exited threads included.
    """
    total = len(requests) if requests is not None else None
    return {
        **used,
        **harness.memory(process.pid),
        "mappings": top_mappings(process.pid),
        "runs": runs,
        "failures": failures,
        "requests": total,
        "requests_by_endpoint": by_endpoint(requests) if requests is not None else None,
        "cpu_per_request": used["cpu"] / total if total else None,
        "cpu_per_run": used["cpu"] / runs if runs else None,
    }


def context_switches(pid):
    """Context switches (voluntary and involuntary) of every live thread of a process so far: each one a time
    a thread went to sleep or was put aside, so their growth over a quiet window counts wake-ups."""
    total = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/status") as f:
                for line in f:
                    if line.startswith(("voluntary_ctxt_switches:", "nonvoluntary_ctxt_switches:")):
                        total += int(line.split()[1])
        except OSError:
            pass  # the thread exited
    return total


def idle(ctx):
    """Both tools with nothing to do: slaprobe with one probe that runs hourly (and its evaluation every 15 s),
    blackbox_exporter asked for nothing. CPU per second and context switches per minute over one window."""
    window = 5 if ctx.smoke else 60
    config = ctx.path("idle-slaprobe.yml")
    with open(config, "w") as f:
        f.write("probes:\n  - name: hourly\n    kind: http\n"
                f"    url: http://127.0.0.1:{ctx.sim_port}/healthz\n    interval: 1h\n")
    port = harness.free_port()
    slaprobe = ctx.h.start("idle-slaprobe", [ctx.binary, "--config.file", config, "--web.listen-address",
                                             f"127.0.0.1:{port}", "--log.level", "error"], env=ctx.env)
    blackbox_config = ctx.path("idle-blackbox.yml")
    with open(blackbox_config, "w") as f:
        f.write("modules:\n  http_2xx:\n    prober: http\n")
    blackbox_port = harness.free_port()
    blackbox = ctx.h.start("idle-blackbox", ["prometheus-blackbox-exporter", f"--config.file={blackbox_config}",
                                             f"--web.listen-address=127.0.0.1:{blackbox_port}", "--log.level=error"])
    try:
        harness.wait_http(port, "/healthz", slaprobe, ctx.h)
        harness.wait_http(blackbox_port, "/-/healthy", blackbox, ctx.h)
        time.sleep(1 if ctx.smoke else 5)  # start-up work settles
        log(f"mission: both tools idle, {window} s measured")
        meters = {name: (harness.CPUMeter(p.pid), context_switches(p.pid))
                  for name, p in (("slaprobe", slaprobe), ("blackbox", blackbox))}
        time.sleep(window)
        results = {"window_s": window}
        for name, process in (("slaprobe", slaprobe), ("blackbox", blackbox)):
            meter, switches = meters[name]
            used = meter.stop()
            results[name] = {
                "cpu": used["cpu"],
                "cpu_ms_per_s": used["cpu"] * 1000 / used["wall"],
                "switches_per_min": (context_switches(process.pid) - switches) * 60 / used["wall"],
                "threads": len(os.listdir(f"/proc/{process.pid}/task")),
                **harness.memory(process.pid),
            }
    finally:
        ctx.h.stop(slaprobe)
        ctx.h.stop(blackbox)
    return results


def run(ctx):
    """Runs the section; returns its figures and when and on what it ran."""
    window = 8 if ctx.smoke else 120
    started = time.time()
    load_before = os.getloadavg()
    ctx.set_faults(0)
    log(f"mission: slaprobe and blackbox_exporter, 3 billing probes every {INTERVAL} s each, {window} s measured")
    blackbox, paths = start_blackbox(ctx)
    slaprobe = start_slaprobe(ctx)
    blackbox_scraper, slaprobe_scraper = Scraper(blackbox.port), Scraper(slaprobe.port)
    try:
        # Warm-up: slaprobe is ready once each probe has run; blackbox_exporter runs each module once.
        for name, path in paths.items():
            if not probe_blackbox(blackbox_scraper, path):
                raise RuntimeError(f"blackbox_exporter's {name} module fails against the simulator")
        runs_before, failures_before = slaprobe_runs(slaprobe.port)
        requests_before = received(ctx)
        slaprobe_meter, blackbox_meter = harness.CPUMeter(slaprobe.pid), harness.CPUMeter(blackbox.pid)
        outcomes, scrapes = drive(blackbox_scraper, paths, slaprobe_scraper, window)
        slaprobe_used, blackbox_used = slaprobe_meter.stop(), blackbox_meter.stop()
        requests = requests_since(requests_before, received(ctx))
        runs_after, failures_after = slaprobe_runs(slaprobe.port)
        ours = [r for r in requests if r[1]] if requests is not None else None
        theirs = [r for r in requests if not r[1]] if requests is not None else None
        results = {
            "interval_s": INTERVAL,
            "window_s": window,
            "scrape_s": SCRAPE,
            "slaprobe": {**figures(slaprobe_used, slaprobe, runs_after - runs_before,
                                   failures_after - failures_before, ours), "scrapes": scrapes},
            "blackbox": figures(blackbox_used, blackbox, sum(s + f for s, f in outcomes.values()),
                                sum(f for _, f in outcomes.values()), theirs),
        }
    finally:
        blackbox_scraper.close()
        slaprobe_scraper.close()
        ctx.h.stop(slaprobe)
        ctx.h.stop(blackbox)
    results["idle"] = idle(ctx)
    results["run"] = harness.section_run(ctx, started, load_before)
    return results

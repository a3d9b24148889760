"""Process, /proc and HTTP plumbing shared by the benchmark sections.

Everything binds to 127.0.0.1 on ephemeral ports, and every process started here is recorded so that
``Harness.cleanup`` (called from ``finally``, atexit and the signal handlers) stops it.
"""

import atexit
import http.client
import math
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class Harness:
    def __init__(self, workdir):
        self.workdir = workdir
        self.processes = []
        atexit.register(self.cleanup)
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, self._on_signal)

    def _on_signal(self, signum, _frame):
        self.cleanup()
        sys.exit(128 + signum)

    def start(self, name, argv, env=None):
        out = open(os.path.join(self.workdir, f"{name}.log"), "ab")
        full_env = dict(os.environ)
        full_env.update(env or {})
        # In the work directory: a slaprobe without `storage_path` keeps alert state and its outbox in ./data,
        # which must not land in the repository.
        process = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=full_env,
                                   cwd=self.workdir)
        out.close()
        process.bench_name = name
        self.processes.append(process)
        return process

    def stop(self, process, timeout=5):
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process in self.processes:
            self.processes.remove(process)

    def cleanup(self):
        for process in list(self.processes):
            try:
                self.stop(process, timeout=3)
            except Exception:  # noqa: BLE001 - best effort at exit
                pass

    def tail(self, process, lines=20):
        path = os.path.join(self.workdir, f"{process.bench_name}.log")
        try:
            with open(path, "rb") as f:
                return b"\n".join(f.read().splitlines()[-lines:]).decode(errors="replace")
        except OSError:
            return ""


# ---------------------------------------------------------------------------------------------------------------
# /proc


def paced(interval, duration, action, jitter=0.2):
    """Runs `action` every `interval` on average, each start moved by a random ±`jitter` share of it.

    The jitter matters: at one fixed rate for every tool, fixed phases would make one tool's requests always
    coincide with another's (on two cores, contending for the CPU and the simulator) and bias the comparison.
    slaprobe's own probe uses its 10 % jitter for the same reason.
    """
    start = time.monotonic()
    index = 0
    while True:
        due = start + (index + random.uniform(-jitter, jitter)) * interval
        if due >= start + duration:
            return
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        action()
        index += 1


def section_run(ctx, started, load_before):
    """When and on what a section ran (its start as a Unix time, the load average then): recorded by the sections
    that can be run on their own and merged into an earlier run's results (`bench/run --merge`)."""
    revision = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True, text=True,
                              cwd=os.path.dirname(os.path.abspath(__file__))).stdout.strip()
    return {
        "started": time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(started)),
        "revision": revision,
        "build": ctx.args.build,
        "load_before": load_before,
        "load_after": os.getloadavg(),
        "duration_s": time.time() - started,
    }


def cpu_seconds(pid):
    """User + system CPU of the whole process from /proc/PID/stat (clock ticks, 10 ms resolution)."""
    with open(f"/proc/{pid}/stat") as f:
        stat = f.read()
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def cpu_seconds_precise(pid):
    """Sum of every live thread's run time from /proc/PID/task/*/schedstat (nanoseconds).

    Only live threads count: a thread that exits takes its time with it, so this undercounts whenever threads
    come and go (see ``cpu_seconds_clock``, which does not).
    """
    total = 0
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return None
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/schedstat") as f:
                total += int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            pass
    return total / 1e9


def cpu_seconds_clock(pid):
    """The process's CPU clock (clock_getcpuclockid(3) of another process): user + system of every thread, the
    exited ones included, as /proc/PID/stat counts it, but in nanoseconds rather than 10 ms ticks."""
    return time.clock_gettime(((~pid) << 3) | 2)  # the kernel's MAKE_PROCESS_CPUCLOCK(pid, CPUCLOCK_SCHED)


class CPUMeter:
    """CPU used by one process between ``__init__`` and ``stop``, three ways of counting."""

    def __init__(self, pid):
        self.pid = pid
        self.wall0 = time.monotonic()
        self.stat0 = cpu_seconds(pid)
        self.precise0 = cpu_seconds_precise(pid)
        self.clock0 = cpu_seconds_clock(pid)

    def stop(self):
        wall = time.monotonic() - self.wall0
        stat = cpu_seconds(self.pid) - self.stat0
        clock = cpu_seconds_clock(self.pid) - self.clock0
        precise = cpu_seconds_precise(self.pid)
        precise = precise - self.precise0 if precise is not None and self.precise0 is not None else None
        # The process CPU clock counts threads that exited during the window too (libdispatch retires idle workers,
        # and the per-thread schedstat sum then drops their time): it is the figure the sections report.
        return {"wall": wall, "cpu_stat": stat, "cpu_clock": clock, "cpu_live_threads": precise, "cpu": clock}


def memory(pid):
    """VmRSS, VmHWM (peak RSS), and RSS split into anonymous (heap, stacks, relocated data) and file-backed
    (mapped code and read-only data, shared with every process mapping the same files) pages, in bytes."""
    values = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
                values[key] = int(rest.split()[0]) * 1024
    return {"rss": values.get("VmRSS"), "hwm": values.get("VmHWM"), "rss_anon": values.get("RssAnon"),
            "rss_file": values.get("RssFile")}


# ---------------------------------------------------------------------------------------------------------------
# HTTP


def http_request(port, path, method="GET", timeout=10, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def wait_http(port, path, process=None, harness=None, timeout=30, status=200):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            detail = harness.tail(process) if harness else ""
            raise RuntimeError(f"{getattr(process, 'bench_name', 'process')} exited with {process.returncode}:\n{detail}")
        try:
            code, _ = http_request(port, path, timeout=2)
            if code == status:
                return
            last = f"HTTP {code}"
        except OSError as error:
            last = str(error)
        time.sleep(0.1)
    raise RuntimeError(f"127.0.0.1:{port}{path} not answering {status} after {timeout} s ({last})")


def get_metrics(port, path="/metrics"):
    code, body = http_request(port, path, timeout=30)
    if code != 200:
        raise RuntimeError(f"{path} answered HTTP {code}")
    return body


# ---------------------------------------------------------------------------------------------------------------
# Prometheus text format

_SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)')
_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse_metrics(body):
    """[(name, {label: value}, float)] for every sample line."""
    samples = []
    for line in body.decode(errors="replace").splitlines():
        if not line or line.startswith("#"):
            continue
        match = _SAMPLE.match(line)
        if not match:
            continue
        labels = dict(_LABEL.findall(match.group(2) or ""))
        try:
            value = float(match.group(3))
        except ValueError:
            continue
        samples.append((match.group(1), labels, value))
    return samples


def series_count(body):
    return sum(1 for line in body.splitlines() if line and not line.startswith(b"#"))


def select(samples, name, **labels):
    return [(l, v) for n, l, v in samples if n == name and all(l.get(k) == want for k, want in labels.items())]


def value(samples, name, **labels):
    found = select(samples, name, **labels)
    return found[0][1] if found else None


def buckets(samples, name, **labels):
    """Cumulative buckets [(le, count)] of one histogram series, ascending."""
    result = [(float(l["le"]), v) for l, v in select(samples, name + "_bucket", **labels)]
    return sorted(result)


def bucket_delta(after, before):
    before_map = dict(before)
    return [(le, count - before_map.get(le, 0)) for le, count in after]


def histogram_quantile(q, cumulative):
    """Prometheus's histogram_quantile: linear interpolation inside the bucket holding rank q * count."""
    if not cumulative:
        return None
    total = cumulative[-1][1]
    if total <= 0:
        return None
    rank = q * total
    lower_bound, lower_count = 0.0, 0.0
    for le, count in cumulative:
        if count >= rank:
            if le == float("inf"):
                return lower_bound
            if count == lower_count:
                return le
            return lower_bound + (le - lower_bound) * (rank - lower_count) / (count - lower_count)
        lower_bound, lower_count = le, count
    return cumulative[-1][0]


def quantile(values, q):
    """Nearest-rank quantile, as slaprobe's windows compute it."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(q * len(ordered) - 1e-9)))
    return ordered[rank - 1]


def quote(url):
    return urllib.parse.quote(url, safe="")

#!/usr/bin/env python3
"""Turns bench.py's results.json into docs/benchmarks.md (tables, budgets) and PNG plots.

The hand-written analysis (profiles, what limits a budget, what was changed) lives in bench/notes.md and is
copied in verbatim, so a new run refreshes the numbers without losing the explanations.
"""

import argparse
import json
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

MB = 1e6


def ms(seconds, digits=2):
    return "–" if seconds is None else f"{seconds * 1000:.{digits}f}"


def us(seconds, digits=1):
    return "–" if seconds is None else f"{seconds * 1e6:.{digits}f}"


def duration_seconds(text):
    """Seconds in a window label such as 1m, 5m or 1h (for ordering)."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    try:
        return float(text[:-1]) * units.get(text[-1], 1)
    except ValueError:
        return 0.0


def mb(value):
    return "–" if value is None else f"{value / MB:.1f}"


def ratio(a, b, digits=2):
    return "–" if a is None or not b else f"{a / b:.{digits}f}"


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


class Report:
    def __init__(self, results, doc, plots):
        self.r = results
        self.doc = doc
        self.plots = plots
        self.budgets = []

    def plot_path(self, name):
        return os.path.join(self.plots, name)

    def link(self, name):
        return os.path.relpath(self.plot_path(name), os.path.dirname(os.path.abspath(self.doc)))

    def budget(self, what, measured, holds, note=""):
        self.budgets.append((what, measured, "yes" if holds else ("no" if holds is not None else "not measured"), note))

    def separate_run(self, run, section, comparable):
        """The lines saying when and on what a section measured on its own ran, or none if it ran with the rest."""
        if not run or run.get("started") == self.r.get("started") or run.get("revision") == self.r.get("revision"):
            return []
        shared = max(run["load_before"][0], run["load_after"][0]) > (self.r["machine"]["cpus"] or 1)
        return [
            f"Measured in a separate run of this section (`bench/run --sections {section} --merge`): "
            f"{run['started']}, revision `{run['revision']}`, {run['build']} build, load average "
            f"{run['load_before'][0]:.2f} before and {run['load_after'][0]:.2f} after."
            + (" The machine was shared with other work (a load above its core count), so the absolute figures are "
               f"pessimistic; {comparable}." if shared else ""),
            "",
        ]

    # -- sections ----------------------------------------------------------------------------------------------

    def mission(self):
        """Section 1: slaprobe and blackbox_exporter side by side at the mission rate, and its two budgets."""
        m = self.r.get("mission")
        out = ["## 1. Mission rate: the three billing probes every 5 s, slaprobe and blackbox_exporter side by side",
               ""]
        if not m:
            return "\n".join(out + ["Not run.", ""])
        out += self.separate_run(m.get("run"), "mission", "the two tools ran side by side under the same conditions")
        s, b = m["slaprobe"], m["blackbox"]
        out.append(
            "What slaprobe is for: a few probes at a low rate, around the clock. slaprobe runs its three default "
            f"billing probes (entitlement, checkout, Stripe-signed webhook) every {m['interval_s']} s (10 % jitter) "
            "from a config file that holds only `target:` (zero-config with both secrets would add the `purchase` "
            "journey, which blackbox_exporter has no equivalent for), and is scraped every "
            f"{m['scrape_s']} s. blackbox_exporter, in the same run and at the same time, has three `http` modules "
            "with the same URLs, methods, headers and bodies as far as it can express them, each asked through "
            f"`/probe` every {m['interval_s']} s over one keep-alive connection, as Prometheus scrapes it (the "
            "modules a third of an interval apart). Both send to the same simulator with no injected delay. After "
            f"each tool has run every probe once, both are measured over the same {m['window_s']} s: CPU is each "
            "process's CPU clock (`clock_getcpuclockid`: user + system of every thread, the exited ones included, "
            "which is what `/proc/PID/stat` counts as utime + stime, in nanoseconds instead of its 10 ms ticks; "
            "blackbox_exporter's runtime retires idle threads, whose time the per-thread counters of the other "
            "sections would lose), "
            "RSS and its split are `/proc/PID/status` at the end of the window, the mappings "
            "`/proc/PID/smaps`, and HTTP requests are counted at "
            "the simulator (`GET /admin/requests`: slaprobe's carry an `X-Request-ID`, blackbox_exporter's none). "
            "slaprobe's webhook probe sends, beside each signed event, the same event with a forged signature and "
            "with a stale timestamp (both must be refused), so its runs send more requests than blackbox's; "
            "blackbox_exporter sends one fixed `Idempotency-Key` and one webhook signature made when the section "
            "starts, which the simulator accepts for 5 minutes."
        )
        out.append("")

        def requests(row):
            """Requests counted at the target, in all and by endpoint."""
            if row["requests"] is None:
                return "not counted (the simulator no longer held the window's start)"
            parts = ", ".join(f"{k} {v}" for k, v in sorted(row["requests_by_endpoint"].items()))
            return f"{row['requests']} ({parts})"

        def cpu(row):
            """CPU in the window, as a share of a core, with the /proc/PID/stat ticks beside it."""
            return (f"{row['cpu'] * 1000:.1f} ms ({100 * row['cpu'] / row['wall']:.3f} % of a core; "
                    f"`/proc/PID/stat`: {row['cpu_stat'] * 1000:.0f} ms)")

        def mapping_list(row):
            """The largest mappings: file name (or kind), permissions, MB resident."""
            return "; ".join(f"{os.path.basename(x['name']) if x['name'].startswith('/') else x['name']} "
                             f"{x['perms']} {mb(x['rss'])}" for x in row["mappings"])

        rows = [
            ["probe runs / failed", f"{int(s['runs'])} / {int(s['failures'])}", f"{int(b['runs'])} / {int(b['failures'])}",
             ""],
            ["HTTP requests at the target", requests(s), requests(b), ratio(s["requests"], b["requests"])],
            ["CPU in the window", cpu(s), cpu(b), ratio(s["cpu"], b["cpu"])],
            ["**CPU per HTTP request**", f"**{us(s['cpu_per_request'], 0)} µs**", f"**{us(b['cpu_per_request'], 0)} µs**",
             f"**{ratio(s['cpu_per_request'], b['cpu_per_request'])}**"],
            ["CPU per probe run", f"{us(s['cpu_per_run'], 0)} µs", f"{us(b['cpu_per_run'], 0)} µs",
             ratio(s["cpu_per_run"], b["cpu_per_run"])],
            ["RSS at the end (peak)", f"{mb(s['rss'])} MB ({mb(s['hwm'])})", f"{mb(b['rss'])} MB ({mb(b['hwm'])})",
             ratio(s["rss"], b["rss"])],
            ["anonymous / file-backed", f"{mb(s['rss_anon'])} / {mb(s['rss_file'])} MB",
             f"{mb(b['rss_anon'])} / {mb(b['rss_file'])} MB", ""],
            ["largest mappings (MB)", mapping_list(s), mapping_list(b), ""],
        ]
        out.append(table([f"{m['window_s']} s at the mission rate", "slaprobe", "blackbox_exporter",
                          "slaprobe / blackbox"], rows))
        out.append("")
        out.append(
            f"slaprobe's `/metrics` was scraped {s['scrapes']} time{'' if s['scrapes'] == 1 else 's'} in the "
            "window; its figures include those scrapes, as "
            "blackbox_exporter's include serving `/probe`. File-backed pages (the executable's code and read-only "
            "data, shared libraries) are clean and shared with every process mapping the same files; anonymous "
            "pages are the process's own."
        )
        out.append("")
        ratio_value = (s["cpu_per_request"] / b["cpu_per_request"]
                       if s["cpu_per_request"] is not None and b["cpu_per_request"] else None)
        self.budget("CPU per HTTP request <= 1/2 of blackbox_exporter's (3 billing probes every 5 s, same run)",
                    f"{us(s['cpu_per_request'], 0)} µs vs {us(b['cpu_per_request'], 0)} µs "
                    f"({ratio(s['cpu_per_request'], b['cpu_per_request'])}x)",
                    None if ratio_value is None else ratio_value <= 0.5)
        self.budget("RSS <= 15 MB with the 3 default probes (every 5 s, after the mission window)",
                    f"{mb(s['rss'])} MB ({mb(s['rss_anon'])} anonymous, {mb(s['rss_file'])} file-backed)",
                    s["rss"] <= 15 * MB)
        idle = m.get("idle")
        if idle:
            si, bi = idle["slaprobe"], idle["blackbox"]
            out.append(
                "**Idle**, in the same run: slaprobe with one probe that runs hourly (a config with that probe "
                "alone, so the evaluation still runs every 15 s) and blackbox_exporter asked for nothing, side by "
                f"side for {idle['window_s']} s after 5 s to settle. Context switches are those of every thread "
                "(`voluntary_ctxt_switches` and `nonvoluntary_ctxt_switches` in `/proc/PID/task/*/status`): each is "
                "a thread going to sleep or being put aside, so over a quiet window they count wake-ups."
            )
            out.append("")
            rows = [
                ["CPU per second", f"{si['cpu_ms_per_s']:.3f} ms", f"{bi['cpu_ms_per_s']:.3f} ms",
                 ratio(si["cpu_ms_per_s"], bi["cpu_ms_per_s"])],
                ["context switches per minute", f"{si['switches_per_min']:.0f}", f"{bi['switches_per_min']:.0f}",
                 ratio(si["switches_per_min"], bi["switches_per_min"])],
                ["threads", str(si["threads"]), str(bi["threads"]), ""],
                ["RSS", f"{mb(si['rss'])} MB", f"{mb(bi['rss'])} MB", ratio(si["rss"], bi["rss"])],
            ]
            out.append(table([f"{idle['window_s']} s idle", "slaprobe", "blackbox_exporter", "slaprobe / blackbox"],
                             rows))
            out.append("")
            self.budget("idle CPU < 0.05 ms per second (one hourly probe)", f"{si['cpu_ms_per_s']:.3f} ms/s "
                        f"({si['switches_per_min']:.0f} context switches a minute)", si["cpu_ms_per_s"] < 0.05)
        return "\n".join(out)

    def accuracy(self):
        rows = self.r.get("accuracy")
        if not rows:
            return "## 2. Accuracy\n\nNot run.\n"
        out = ["## 2. Accuracy: reported latency against an injected delay", ""]
        out.append(
            "The simulator (`slaprobe target`) delays every entitlement response by a fixed amount (no jitter, no "
            "cache-miss delay). At each delay the three tools ask the same URL at the same rate, at the same time: "
            "slaprobe (one generic `http` probe, fresh connection per run, as configured by default), "
            "blackbox_exporter (`/probe?module=...` requests, one at a time) and the `curl` CLI in a loop "
            "(`-w '%{time_total}'`, a new process and connection each time). Each tool's starts are jittered "
            "(slaprobe by its 10 %, the two loops by ±20 %) so that no tool's requests keep coinciding with "
            "another's. slaprobe's figures are its own "
            f"`slaprobe_window_latency_seconds{{window=\"1m\"}}` quantiles (exact nearest rank) and "
            "`histogram_quantile` over `slaprobe_probe_duration_seconds` (bucket-limited: below 1 ms it can only "
            "say \"between 0 and 1 ms\"). blackbox's are `probe_duration_seconds` (the whole probe as blackbox "
            "reports it) and the sum of `probe_http_duration_seconds` phases. All times in ms; overhead = reported "
            "− injected."
        )
        out.append("")
        header = ["injected", "rate/s", "slaprobe p50", "slaprobe p95", "slaprobe hist p50 / p95",
                  "blackbox p50", "blackbox p95", "blackbox phases p50 / p95", "curl p50", "curl p95",
                  "samples s / b / c"]
        body = []
        for row in rows:
            s, b, c = row["slaprobe"], row["blackbox"], row["curl"]
            body.append([
                f"{row['injected_ms']} ms", f"{row['rate_per_s']:.1f}", ms(s["p50"], 3), ms(s["p95"], 3),
                f"{ms(s['hist_p50'])} / {ms(s['hist_p95'])}", ms(b["p50"], 3), ms(b["p95"], 3),
                f"{ms(b['phases_p50'], 3)} / {ms(b['phases_p95'], 3)}", ms(c["p50"], 3), ms(c["p95"], 3),
                f"{int(s['samples'] or 0)} / {b['samples']} / {c['samples']}",
            ])
        out.append(table(header, body))
        out.append("")
        out.append("Overhead (reported − injected, ms) and slaprobe's p50 relative to curl's:")
        out.append("")
        header = ["injected", "slaprobe p50", "slaprobe p95", "blackbox p50", "blackbox p95", "curl p50", "curl p95",
                  "slaprobe p50 / curl p50", "slaprobe p50 − curl p50"]
        body = []
        for row in rows:
            inj = row["injected_ms"] / 1000
            s, b, c = row["slaprobe"], row["blackbox"], row["curl"]

            def over(v):
                return None if v is None else v - inj

            diff = None if s["p50"] is None or c["p50"] is None else s["p50"] - c["p50"]
            body.append([
                f"{row['injected_ms']} ms", ms(over(s["p50"]), 3), ms(over(s["p95"]), 3), ms(over(b["p50"]), 3),
                ms(over(b["p95"]), 3), ms(over(c["p50"]), 3), ms(over(c["p95"]), 3), ratio(s["p50"], c["p50"]),
                ms(diff, 3),
            ])
        out.append(table(header, body))
        out.append("")
        self.plot_accuracy(rows)
        out.append(f"![Overhead over the injected delay]({self.link('accuracy.png')})")
        out.append("")
        by_level = {row["injected_ms"]: row for row in rows}
        if 0 in by_level:
            s, c = by_level[0]["slaprobe"], by_level[0]["curl"]
            holds = None if s["p50"] is None or c["p50"] is None else s["p50"] <= 1.2 * c["p50"]
            self.budget("p50 at 0 ms injected <= 1.2x curl's p50",
                        f"{ms(s['p50'], 3)} ms vs {ms(c['p50'], 3)} ms ({ratio(s['p50'], c['p50'])}x)", holds)
        if 50 in by_level:
            s, c = by_level[50]["slaprobe"], by_level[50]["curl"]
            diff = None if s["p50"] is None or c["p50"] is None else s["p50"] - c["p50"]
            self.budget("p50 at 50 ms injected within 0.3 ms of curl's",
                        f"{ms(s['p50'], 3)} ms vs {ms(c['p50'], 3)} ms ({ms(diff, 3)} ms)",
                        None if diff is None else abs(diff) <= 0.0003)
        return "\n".join(out)

    def plot_accuracy(self, rows):
        fig, axes = plt.subplots(1, 2, figsize=(11, 4))
        levels = [row["injected_ms"] for row in rows]
        x = range(len(levels))
        tools = [("slaprobe", "slaprobe", "p50", "p95"), ("blackbox", "blackbox_exporter", "p50", "p95"),
                 ("curl", "curl CLI", "p50", "p95")]
        width = 0.26
        for axis, key in zip(axes, ("p50", "p95")):
            for i, (tool, label, *_rest) in enumerate(tools):
                values = []
                for row in rows:
                    v = row[tool][key]
                    values.append(0 if v is None else (v - row["injected_ms"] / 1000) * 1000)
                axis.bar([p + (i - 1) * width for p in x], values, width, label=label)
            axis.set_xticks(list(x), [f"{level} ms" for level in levels])
            axis.set_xlabel("injected delay")
            axis.set_ylabel(f"{key} reported − injected (ms)")
            axis.set_title(f"{key} overhead")
            axis.grid(axis="y", alpha=0.3)
        axes[0].legend()
        fig.tight_layout()
        fig.savefig(self.plot_path("accuracy.png"), dpi=100)
        plt.close(fig)

    def billing(self):
        """Section 2, continued: each billing probe against curl sending the same request at the same time."""
        b = self.r.get("billing")
        out = ["### The three billing probes against curl sending the same requests", ""]
        if not b:
            return "\n".join(out + ["Not run.", ""])
        out += self.separate_run(b.get("run"), "billing", "slaprobe and curl ran side by side at the same time")
        rate = 1 / b["interval_s"]
        out.append(
            f"slaprobe runs its three default billing probes together, each {rate:.0f} times a second (10 % "
            "jitter, fresh connection per run), against the simulator with no injected delay. At the same rate and "
            "time, one `curl` loop per endpoint sends the same request: the same method, headers and body, a fresh "
            "`Idempotency-Key` for each checkout and a freshly signed event for each webhook, a new process and "
            "connection each time. slaprobe's figures are its own "
            f"`slaprobe_window_latency_seconds{{window=\"{b['window']}\"}}` quantiles; slaprobe's checkout and "
            "webhook runs also send their follow-ups (the idempotency replay; the forged and stale webhooks), which "
            "are not timed in these quantiles but load the target at the same time. All times in ms."
        )
        out.append("")
        rows = []
        worst = None
        for probe, row in b["probes"].items():
            s, c = row["slaprobe"], row["curl"]
            gap = s["p50"] - c["p50"] if s["p50"] is not None and c["p50"] is not None else None
            if gap is not None:
                worst = gap if worst is None or abs(gap) > abs(worst) else worst
            rows.append([probe, ms(s["p50"], 3), ms(s["p95"], 3), ms(c["p50"], 3), ms(c["p95"], 3),
                         "–" if gap is None else f"{gap * 1000:+.3f}",
                         f"{int(s['samples'] or 0)} / {c['samples']}"])
        out.append(table(["probe", "slaprobe p50", "slaprobe p95", "curl p50", "curl p95",
                          "slaprobe p50 − curl p50", "samples s / c"], rows))
        out.append("")
        probes = b["probes"]
        if all(probes[p]["curl"]["p50"] is not None for p in ("entitlement", "checkout", "webhook")):
            base = probes["entitlement"]["curl"]["p50"]
            out.append(
                "curl's own p50 for the checkout is "
                f"{(probes['checkout']['curl']['p50'] - base) * 1000:+.3f} ms and for the webhook "
                f"{(probes['webhook']['curl']['p50'] - base) * 1000:+.3f} ms from its entitlement p50: what the "
                "target spends on those requests beyond an entitlement check. The last column is slaprobe's own share."
            )
            out.append("")
        self.budget("each billing probe's p50 within 0.1 ms of curl's for the same request (same time)",
                    "–" if worst is None else f"worst {worst * 1000:+.3f} ms",
                    None if worst is None else abs(worst) <= 0.0001)
        return "\n".join(out)

    def cost(self):
        rows = self.r.get("cost")
        out = ["## 3. Cost: CPU per probe and memory", ""]
        if not rows:
            return "\n".join(out + ["Not run.", ""])
        out.append(
            "slaprobe runs 10 generic `http` probes at an interval that gives the aggregate rate (10 % jitter), "
            "against the simulator with no delay, and nothing else (no scrapes during the measurement). "
            "blackbox_exporter gets `/probe` requests at the same rate from an open-loop load generator over "
            "keep-alive connections (bench/loadgen.py). The two run one after the other in the same run. CPU is "
            "each process's own (user + system, every thread, from `/proc/PID/task/*/schedstat`; "
            "`/proc/PID/stat` ticks agree over longer runs) divided by the probes completed while it was counted; "
            "nothing is subtracted: blackbox's figure includes serving `/probe`, which is how it is used. RSS is "
            "`VmRSS` at the end, peak `VmHWM`."
        )
        out.append("")
        header = ["rate", "slaprobe CPU/probe (µs)", "blackbox CPU/probe (µs)", "slaprobe / blackbox",
                  "slaprobe CPU (% of a core)", "blackbox CPU (% of a core)", "slaprobe RSS (MB)",
                  "blackbox RSS (MB)", "achieved rate s / b", "blackbox failed / dropped"]
        body = []
        for row in rows:
            s, b = row["slaprobe"], row["blackbox"]
            body.append([
                f"{row['rate']}/s", us(s["cpu_per_probe"]), us(b["cpu_per_probe"]),
                ratio(s["cpu_per_probe"], b["cpu_per_probe"], 3), f"{100 * s['cpu'] / s['wall']:.1f}",
                f"{100 * b['cpu'] / b['wall']:.1f}", mb(s["rss"]), mb(b["rss"]),
                f"{s['achieved_rate']:.0f} / {b['achieved_rate']:.0f}", f"{b['failed']} / {b['dropped']}",
            ])
        out.append(table(header, body))
        out.append("")
        self.plot_cost(rows)
        out.append(f"![CPU per probe]({self.link('cost.png')})")
        out.append("")
        worst = max((row["slaprobe"]["cpu_per_probe"] or 0) for row in rows)
        self.budget("CPU per probe <= 100 µs (every rate)", f"worst {us(worst)} µs", worst <= 100e-6)
        busiest = max(rows, key=lambda row: row["rate"])
        if busiest["rate"] >= 1000 and busiest["slaprobe"]["cpu_per_probe"] is not None:
            self.budget("CPU per probe <= 200 µs at 1,000 probes/s", f"{us(busiest['slaprobe']['cpu_per_probe'])} µs",
                        busiest["slaprobe"]["cpu_per_probe"] <= 200e-6)
        ratios = [(row["slaprobe"]["cpu_per_probe"] or 0) / row["blackbox"]["cpu_per_probe"]
                  for row in rows if row["blackbox"]["cpu_per_probe"]]
        if ratios:
            self.budget("CPU per probe < 1/20 of blackbox_exporter's (same run)",
                        f"worst ratio 1/{1 / max(ratios):.1f}", max(ratios) < 1 / 20)
        default = self.r.get("default_probes")
        if default:
            out.append(
                f"With the three default billing probes (no config file, `--probe.interval 1s`, "
                f"{int(default['probes'])} runs so far, one scrape): RSS **{mb(default['rss'])} MB** (peak "
                f"{mb(default['hwm'])} MB), of which {mb(default.get('rss_anon'))} MB anonymous (heap, stacks, "
                f"relocated data) and {mb(default.get('rss_file'))} MB file-backed (pages of the executable and "
                f"shared libraries, shared with every process that maps them); CPU "
                f"{100 * default['cpu'] / default['wall']:.2f} % of a core. The same binary running only "
                f"`slaprobe --version` peaks at {mb(default.get('startup_max_rss'))} MB: that is the floor before "
                "any probe, scrape or configuration exists."
            )
            out.append("")
            self.budget("RSS <= 15 MB with the 3 default probes", f"{mb(default['rss'])} MB (peak {mb(default['hwm'])})",
                        default["rss"] <= 15 * MB)
        return "\n".join(out)

    def plot_cost(self, rows):
        fig, axis = plt.subplots(figsize=(7, 4))
        rates = [f"{row['rate']}/s" for row in rows]
        x = range(len(rows))
        width = 0.38
        s = [(row["slaprobe"]["cpu_per_probe"] or 0) * 1e6 for row in rows]
        b = [(row["blackbox"]["cpu_per_probe"] or 0) * 1e6 for row in rows]
        axis.bar([p - width / 2 for p in x], s, width, label="slaprobe")
        axis.bar([p + width / 2 for p in x], b, width, label="blackbox_exporter")
        axis.axhline(100, color="gray", linestyle="--", linewidth=1, label="budget 100 µs")
        axis.set_yscale("log")
        axis.set_xticks(list(x), rates)
        axis.set_xlabel("aggregate probe rate")
        axis.set_ylabel("CPU per probe (µs, log)")
        axis.legend()
        axis.grid(axis="y", alpha=0.3)
        fig.tight_layout()
        fig.savefig(self.plot_path("cost.png"), dpi=100)
        plt.close(fig)

    def scale(self):
        s = self.r.get("scale")
        out = ["## 4. Scale: 1,000 probes", ""]
        if not s:
            return "\n".join(out + ["Not run.", ""])
        out.append(
            f"{s['probes']} generic `http` probes at one run per second each (10 % jitter, windows 1m and 5m) "
            f"against the simulator, measured over {s['window_s']} s after a warm-up, with a scrape every 5 s. "
            "Scheduler lag quantiles are `histogram_quantile` over the increase of "
            "`slaprobe_scheduler_lag_seconds` buckets during the measurement. Render time is the time to the last "
            "byte of `GET /metrics`, over sequential scrapes: above 100 probes slaprobe writes the page while it is "
            "read, so its first byte leaves after the first 64 KB. "
            "Scrapes/s is `wrk -t1 -c1` (one scraper, as Prometheus scrapes a target), run twice for each server, "
            "interleaved; Prometheus's figure is its own `/metrics` (client_golang), in the same run."
        )
        out.append("")
        first = s["render_first_byte"]
        total = s["render_total"]
        median = total[len(total) // 2] if total else None
        rows = [
            ["probe runs in the window / failed / skipped", f"{int(s['runs'])} / {int(s['failures'])} / {int(s['skipped'])}"],
            ["RSS (peak); anonymous / file-backed",
             f"{mb(s['rss'])} MB ({mb(s['hwm'])} MB); {mb(s.get('rss_anon'))} / {mb(s.get('rss_file'))} MB"],
            ["samples a probe held when RSS was read, by window",
             ", ".join(f"{w} {v:.0f}" for w, v in sorted(s.get("window_samples", {}).items(),
                                                         key=lambda item: duration_seconds(item[0])))
             or "–"],
            ["CPU per probe", f"{us(s['cpu_per_probe'])} µs"],
            ["scheduler lag p50 / p99", f"{ms(s['lag_p50'], 3)} / {ms(s['lag_p99'], 3)} ms"],
            ["/metrics size, series", f"{s['metrics_bytes'] / MB:.2f} MB, {s['series']['slaprobe']} series"],
            ["/metrics full scrape, median / max", f"{ms(median)} / {ms(total[-1] if total else None)} ms"],
            ["/metrics time to first byte, median", f"{ms(first[len(first) // 2] if first else None)} ms"],
        ]
        out.append(table(["1,000 probes", "value"], rows))
        out.append("")
        sc, se, sp = s["scrapes_per_s"], s["series"], s["series_per_s"]
        header = ["server", "series", "bytes", "scrapes/s (wrk -c1)", "series/s", "µs per series"]
        body = []
        for key, name in (("slaprobe", "slaprobe"), ("prometheus", "Prometheus (client_golang)")):
            per = 1e6 / sp[key] if sp[key] else None
            body.append([name, se[key], s["bytes"][key], f"{sc[key]:.1f}" if sc[key] else "–", f"{sp[key]:,.0f}",
                         "–" if per is None else f"{per:.3f}"])
        out.append(table(header, body))
        out.append("")
        fresh = s["series"]["slaprobe"] / median if median else None
        out.append(
            f"slaprobe / client_golang, series per second: **{ratio(sp['slaprobe'], sp['prometheus'])}x** under wrk. "
            "slaprobe writes a page of more than 100 probes while it is read and keeps no copy, so every wrk scrape "
            "is rendered afresh. Sequential scrapes with a pause between them (the full-scrape median above) give "
            f"{fresh or 0:,.0f} series/s, "
            f"**{ratio(fresh, sp['prometheus'])}x** client_golang's; the budget is judged on the lower of the two."
        )
        out.append("")
        self.plot_scale(s)
        out.append(f"![Scheduler lag and scrape throughput]({self.link('scale.png')})")
        out.append("")
        self.budget("RSS <= 40 MB with 1,000 probes", f"{mb(s['rss'])} MB (peak {mb(s['hwm'])})",
                    s["rss"] <= 40 * MB if s["probes"] >= 1000 else None)
        self.budget("scheduler lag p99 <= 2 ms with 1,000 probes at 1/s", f"{ms(s['lag_p99'], 3)} ms",
                    None if s["lag_p99"] is None or s["probes"] < 1000 else s["lag_p99"] <= 0.002)
        self.budget("/metrics for 1,000 probes rendered in <= 20 ms", f"median {ms(median)} ms to the last byte",
                    None if median is None or s["probes"] < 1000 else median <= 0.020)
        worst = min(sp["slaprobe"], fresh or sp["slaprobe"])
        self.budget(">= 2x client_golang's scrapes/s per series",
                    f"{ratio(sp['slaprobe'], sp['prometheus'])}x under wrk, {ratio(fresh, sp['prometheus'])}x rendering "
                    "every scrape", None if not sp["prometheus"] else worst >= 2 * sp["prometheus"])
        return "\n".join(out)

    def plot_scale(self, s):
        fig, axes = plt.subplots(1, 2, figsize=(11, 4))
        lag = s["lag_buckets"]
        labels, counts, previous = [], [], 0
        for le, count in lag:
            labels.append("+Inf" if le == float("inf") else f"≤{le * 1000:g}")
            counts.append(count - previous)
            previous = count
        axes[0].bar(range(len(counts)), counts)
        axes[0].set_xticks(range(len(labels)), labels, rotation=45)
        axes[0].set_xlabel("scheduler lag bucket (ms)")
        axes[0].set_ylabel("probe starts")
        axes[0].set_yscale("log")
        axes[0].set_title(f"Scheduler lag, {s['probes']} probes at 1/s")
        names = ["slaprobe", "Prometheus\n(client_golang)"]
        values = [s["series_per_s"]["slaprobe"] / 1e6, s["series_per_s"]["prometheus"] / 1e6]
        axes[1].bar(names, values, color=["C0", "C1"])
        axes[1].set_ylabel("million series per second (wrk -c1)")
        axes[1].set_title("/metrics throughput per series")
        for axis in axes:
            axis.grid(axis="y", alpha=0.3)
        fig.tight_layout()
        fig.savefig(self.plot_path("scale.png"), dpi=100)
        plt.close(fig)

    def alerts(self):
        a = self.r.get("alerts") or {}
        out = ["## 5. Alert latency: breach onset to the first webhook", ""]
        if not a.get("supported"):
            out.append("Not measured: this build of slaprobe has no alert evaluator (`--alert.webhook-url`)."
                       if "alerts" in self.r else "Not run.")
            return "\n".join(out + [""])
        rows = a["results"]
        by_key = {row["key"]: row for row in rows}
        out.append(
            "Every path runs at the same time against one simulator and one breach. Each slaprobe instance runs "
            "the three built-in billing probes (no `probes:` in its config) with its own `alerting:` settings and "
            "sends webhooks (Alertmanager payload) to its own path on a small Python receiver that records arrival "
            "times. Prometheus scrapes "
            + " and ".join(f"the slaprobe instance of \u201c{by_key[row['source']]['label']}\u201d" for row in rows
                           if row["kind"] == "prometheus" and row["source"] in by_key)
            + ", so the two judge the same probe runs; it loads `alerts/slaprobe.rules.yml` and pushes to "
            "Alertmanager, whose webhook goes to the same receiver. "
            f"After {a['warmup_s']} s of healthy responses, a {a['injected'].replace('ms', ' ms')} delay (no jitter, no cache-miss "
            "delay) is put on the entitlement endpoint (`POST /admin/faults`) at a recorded wall-clock time T0; "
            f"each figure is the arrival of the first firing webhook for `SlaprobeLatencyHigh`, "
            "`probe=\"entitlement\"`, minus T0. Stages, from polling every path every "
            f"{a['poll_s']:g} s: *window fill* = until the probe's own window first holds more than 5 % slow runs "
            "(and at least `min_samples`), as its `slaprobe_window_samples_over_threshold` shows; *to pending* = "
            "until the alert's `activeAt`; *for* = `activeAt` to the firing time (slaprobe's `firedAt`, "
            "Prometheus's `startsAt`); *notify* = firing to the webhook's arrival. One breach per run: each stage "
            "that waits for a periodic tick (probe run, scrape, evaluation) lands anywhere in its interval, so a "
            "single figure can be off the mean by up to that interval. All times in seconds."
        )
        out.append("")

        def sec(value):
            if value is None:
                return "–"
            return f"{max(value, 0.0) if value > -0.05 else value:.1f}"

        def stage(later, earlier):
            return None if later is None or earlier is None else later - earlier

        header = ["path", "settings", "onset → webhook", "window fill", "to pending", "for", "notify",
                  "slow / runs in slaprobe's window when the alert went active"]
        body = []
        for row in rows:
            counts = row.get("first_seen")
            body.append([
                row["label"], row["settings"],
                f"**{sec(row['webhook_s'])}**" if row["received"] else f"none within {a['cap_s']} s",
                sec(row["condition_s"]), sec(stage(row["pending_s"], row["condition_s"])),
                sec(stage(row["fired_s"], row["pending_s"])), sec(stage(row["webhook_s"], row["fired_s"])),
                "–" if not counts else f"{counts[0]} / {counts[1]}",
            ])
        out.append(table(header, body))
        out.append("")
        self.plot_alerts(rows)
        out.append(f"![Breach onset to webhook, by stage]({self.link('alerts.png')})")
        out.append("")

        # Why: what each stage is made of, from the settings of the run.
        notes = []
        slaprobe_rows = [row for row in rows if row["kind"] == "slaprobe"]
        if slaprobe_rows:
            lines = []
            for row in slaprobe_rows:
                n, counts = row["samples_at_t0"], row.get("condition_counts")
                if not n or not counts:
                    continue
                full = int(row["window_s"] / row["interval_s"])
                full_needed = int(full * 0.05) + 1  # smallest k with k / full > 5 %
                lines.append(
                    f"{row['label']}: {n} runs in its {row['window_s'] / 60:g}m window at T0, more than 5 % slow "
                    f"at {counts[0]} slow of {counts[1]} (one run every {row['interval_s']:g} s, ±10 % jitter); a "
                    f"full window ({full} runs) needs {full_needed}"
                )
            notes.append(
                "**Window fill** is how many slow runs the rule needs, times the probe interval (Prometheus's rules "
                "judge the same runs through the `le` bucket at the threshold, so the same count). " + "; ".join(lines)
                + ". The warm-up is kept short so that the whole section takes about six minutes: a long-running "
                "slaprobe, whose window is full, needs a few more slow runs (each one probe interval more) than "
                "measured here."
            )
        for row in rows:
            if row["kind"] == "slaprobe":
                notes.append(
                    f"**{row['label']}**: the alert goes pending at the next evaluation (every "
                    f"{row['evaluation_s']:g} s, so 0–{row['evaluation_s']:g} s after the window crosses), fires "
                    + ("at the same evaluation (`for: 0`)" if not row["for_s"] else
                       f"{row['for_s']:g} s later at the evaluation that completes `for` "
                       f"({row['for_s'] / row['evaluation_s']:g} evaluations)")
                    + ", and the webhook leaves after `group_wait` ("
                    + (f"{row['group_wait_s']:g} s" if row["group_wait_s"] else "none")
                    + "; the flush ticker sleeps until the group is due, and the delivery worker until the outbox "
                      "rings)."
                )
            else:
                source = by_key.get(row["source"], {})
                notes.append(
                    f"**{row['label']}** adds the pipeline's own ticks: the runs reach Prometheus at the next scrape "
                    f"(every {row['scrape_s']:g} s), and the `slaprobe` rule group (recordings, then the alert rule that "
                    f"reads them) sees them at its next evaluation (every {row['evaluation_s']:g} s): up to "
                    f"{row['scrape_s'] + row['evaluation_s']:g} s to pending. `for` is "
                    f"{row['for_s']:g} s, counted in evaluations, and Alertmanager holds a new group for its "
                    f"`group_wait` ({row['group_wait_s']:g} s) before the webhook. Compared with "
                    f"{source.get('label', row['source'])} on the same runs: "
                    + (f"{row['webhook_s'] - source['webhook_s']:+.1f} s."
                       if row["webhook_s"] is not None and source.get("webhook_s") is not None else "–.")
                )
        out += ["Why the numbers are what they are:", ""] + [f"- {note}" for note in notes] + [""]
        return "\n".join(out)

    def plot_alerts(self, rows):
        fig, axis = plt.subplots(figsize=(9, 0.7 * len(rows) + 1.5))
        stages = [("window fill", "condition_s", None), ("to pending", "pending_s", "condition_s"),
                  ("for", "fired_s", "pending_s"), ("notify", "webhook_s", "fired_s")]
        labels = [row["label"].replace("`", "") for row in rows]
        left = [0.0] * len(rows)
        for name, later, earlier in stages:
            widths = []
            for row in rows:
                end, start = row.get(later), (row.get(earlier) if earlier else 0.0)
                widths.append(max(0.0, end - start) if end is not None and start is not None else 0.0)
            axis.barh(labels, widths, left=left, label=name)
            left = [l + w for l, w in zip(left, widths)]
        axis.invert_yaxis()
        axis.set_xlabel("seconds after the breach")
        axis.set_title("Breach onset to the first firing webhook")
        axis.legend(loc="lower right")
        axis.grid(axis="x", alpha=0.3)
        fig.tight_layout()
        fig.savefig(self.plot_path("alerts.png"), dpi=100)
        plt.close(fig)

    def journeys(self):
        j = self.r.get("journeys")
        out = ["## 6. Journeys: CPU per run, and scheduler lag beside 1,000 probes", ""]
        if not j:
            return "\n".join(out + ["Not run.", ""])
        c = j["cost"]
        out += self.separate_run(j.get("run"), "journeys",
                                 "the two lag rows ran one after the other under the same conditions")
        out.append(
            f"{c['journeys']} built-in `purchase` journeys (checkout, signed webhook, entitlements polled every "
            "100 ms until granted, signed revocation), one run per second each (10 % jitter), against the "
            "simulator with its default grant delay (20 ms + 0-30 ms), in a process that runs nothing else; "
            f"measured over {c['window_s']} s after a warm-up. Requests per run are the simulator's own request "
            "counters over the same time, divided by the journey runs. CPU is slaprobe's alone (the simulator "
            "runs in its own process)."
        )
        out.append("")
        requests = ", ".join(f"{k} {int(v)}" for k, v in sorted(c["requests"].items()))
        rows = [
            ["journey runs / failed", f"{int(c['runs'])} / {int(c['failures'])}"],
            ["requests per run", "–" if c["requests_per_run"] is None else f"{c['requests_per_run']:.2f} ({requests})"],
            ["CPU per journey run", f"{us(c['cpu_per_run'])} µs"],
            ["CPU per request", f"{us(c['cpu_per_request'])} µs"],
            ["journey p50 / p95 (histogram)", f"{ms(c['journey_p50'])} / {ms(c['journey_p95'])} ms"],
            ["entitled step p50 / p95 (histogram)", f"{ms(c['entitled_p50'])} / {ms(c['entitled_p95'])} ms"
             if c["entitled_p50"] is not None else "– (this build exports no step histogram)"],
            ["RSS", f"{mb(c['rss'])} MB"],
        ]
        out.append(table([f"{c['journeys']} purchase journeys at 1/s", "value"], rows))
        out.append("")
        out.append(
            "Scheduler lag: the same generic `http` probes as the scale section, at one run per second each, first "
            "alone and then beside purchase journeys at one run per second each, in two processes one after the "
            "other, each measured after a warm-up with a scrape every 5 s. Lag quantiles are `histogram_quantile` "
            "over the increase of `slaprobe_scheduler_lag_seconds` buckets during the measurement; it covers "
            "every scheduled start, probes and journeys alike."
        )
        out.append("")
        header = ["process", "probe runs / failed", "journey runs / failed", "skipped", "CPU", "RSS",
                  "lag p50", "lag p99"]
        body = []
        for row in j["lag"]:
            name = f"{row['probes']} probes" + (f" + {row['journeys']} journeys" if row["journeys"] else " alone")
            body.append([
                name,
                f"{int(row['probe_runs'])} / {int(row['probe_failures'])}",
                f"{int(row['journey_runs'])} / {int(row['journey_failures'])}" if row["journeys"] else "–",
                int(row["skipped"]),
                f"{row['cpu'] / row['window_s'] * 100:.0f} % of a core",
                f"{mb(row['rss'])} MB",
                f"{ms(row['lag_p50'], 3)} ms",
                f"{ms(row['lag_p99'], 3)} ms",
            ])
        out.append(table(header, body))
        out.append("")
        beside = j["lag"][-1]
        self.budget("scheduler lag p99 <= 2 ms with 100 journeys beside 1,000 probes",
                    f"{ms(beside['lag_p99'], 3)} ms",
                    None if beside["lag_p99"] is None or beside["probes"] < 1000 or beside["journeys"] < 100
                    else beside["lag_p99"] <= 0.002)
        return "\n".join(out)

    def render(self, notes):
        r = self.r
        sections = [self.mission(), self.accuracy(), self.billing(), self.cost(), self.scale(), self.alerts(), self.journeys()]
        m = r["machine"]
        head = [
            "# Benchmarks",
            "",
            "<!-- Generated by bench/run from bench/results/results.json; edit bench/report.py or bench/notes.md, "
            "not this file. -->",
            "",
            f"Run `bench/run` to measure again (about 16 minutes; `bench/run --smoke` checks the harness in about a "
            f"minute). This run: {r['started']}, revision `{r['revision']}`, {r['build']} build, "
            f"{m['cpus']} cores, Linux {m['kernel']}, load average {m['load_before'][0]:.2f} before and "
            f"{m['load_after'][0]:.2f} after (a shared machine: other work ran at the same time, so compare the "
            f"ratios, which were measured side by side, rather than absolute figures across runs). Took "
            f"{r['duration_s'] / 60:.1f} minutes.",
            "",
            "Versions: " + "; ".join(f"{k} `{v}`" for k, v in r["versions"].items()) + ".",
            "",
        ]
        if r["mode"] == "smoke":
            head += ["**Smoke run: every section cut short; the figures mean nothing.**", ""]
        budget_rows = [[w, m_, h, n] for w, m_, h, n in self.budgets]
        head += ["## Budgets", "", table(["budget", "measured", "holds", ""], budget_rows), ""]
        return "\n".join(head + sections + [notes])


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("results")
    parser.add_argument("--doc", required=True)
    parser.add_argument("--plots", required=True)
    parser.add_argument("--notes")
    args = parser.parse_args()
    with open(args.results) as f:
        results = json.load(f)
    notes = ""
    if args.notes and os.path.exists(args.notes):
        with open(args.notes) as f:
            notes = f.read()
    os.makedirs(args.plots, exist_ok=True)
    report = Report(results, args.doc, args.plots)
    text = report.render(notes)
    with open(args.doc, "w") as f:
        f.write(text.rstrip() + "\n")


if __name__ == "__main__":
    main()

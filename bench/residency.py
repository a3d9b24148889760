#!/usr/bin/env python3
"""Where a running slaprobe's resident memory is: per mapping (anonymous vs file-backed), and for the executable's
own mappings, per owner of the resident pages (our modules, the Swift standard library, Foundation, ICU, Yams...).

    bench/residency.py PID [--top N]

Reads /proc/PID/smaps for the mappings and /proc/PID/pagemap for which pages of the executable are present (this
needs root, or CAP_SYS_ADMIN, to see the present bits), then attributes each present page to the symbols it holds
(`nm`). The kernel maps file-backed code in fault-around blocks of up to 64 KB, so a page is resident because code
on it or near it ran; the owners say which libraries' code lies where the process touched.
"""
import bisect
import collections
import re
import struct
import subprocess
import sys

# (substring of a mangled or C symbol name, owner), first match wins.
OWNERS = [
    ("Yams", "Yams"), ("yaml_", "Yams (libyaml)"), ("FoundationEssentials", "FoundationEssentials"),
    ("FoundationInternationalization", "FoundationInternationalization"), ("Foundation", "Foundation"),
    ("icu", "ICU"), ("ucol_", "ICU"), ("ucal_", "ICU"), ("udat_", "ICU"), ("u_", "ICU"),
    ("ArgumentParser", "swift-argument-parser"), ("Logging", "swift-log"), ("ServiceLifecycle", "swift-service-lifecycle"),
    ("UnixSignals", "swift-service-lifecycle"), ("dispatch", "Dispatch"), ("swift_", "Swift runtime"),
    ("$ss", "Swift standard library"), ("$sS", "Swift standard library"), ("$sSc", "Swift concurrency"),
]
OURS = ["SlaprobeService", "SlaprobeCLI", "Config", "Alerting", "Probing", "RollingWindows", "HTTPServer",
        "HTTPClient", "Exposition", "Simulator", "JSON", "Digest", "Locking"]


def owner(symbol):
    """The library or module a symbol belongs to, from its name."""
    for module in OURS:
        if re.search(r"\$s\d+" + module, symbol):
            return "slaprobe: " + module
    for key, label in OWNERS:
        if key in symbol:
            return label
    return "other (C, C++ and unnamed)"


def mappings(pid):
    """(start, end, permissions, offset, path, {smaps field: KiB}) for every mapping."""
    result, current = [], None
    for line in open(f"/proc/{pid}/smaps"):
        fields = line.split()
        if re.match(r"^[0-9a-f]+-[0-9a-f]+$", fields[0]):
            start, end = (int(v, 16) for v in fields[0].split("-"))
            current = (start, end, fields[1], int(fields[2], 16), fields[5] if len(fields) > 5 else "[anonymous]", {})
            result.append(current)
        elif fields[0].endswith(":") and len(fields) >= 2 and fields[1].isdigit():
            current[5][fields[0][:-1]] = int(fields[1])
    return result


def main():
    pid = sys.argv[1]
    top = int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 15
    maps = mappings(pid)
    executable = subprocess.run(["readlink", "-f", f"/proc/{pid}/exe"], capture_output=True, text=True).stdout.strip()

    print("## Resident memory per mapping (KiB)\n")
    print(f"| mapping | perms | Rss | anonymous | file-backed |\n| --- | --- | ---: | ---: | ---: |")
    rows = sorted(maps, key=lambda m: -m[5].get("Rss", 0))
    for start, end, perms, offset, path, fields in rows[:top]:
        rss, anon = fields.get("Rss", 0), fields.get("Anonymous", 0)
        print(f"| {path.split('/')[-1]} | {perms} | {rss} | {anon} | {rss - anon} |")
    total = sum(m[5].get("Rss", 0) for m in maps)
    anon = sum(m[5].get("Anonymous", 0) for m in maps)
    print(f"| **all {len(maps)} mappings** | | **{total}** | **{anon}** | **{total - anon}** |\n")

    symbols = []
    for line in subprocess.run(["nm", "-n", "--defined-only", executable], capture_output=True, text=True).stdout.splitlines():
        parts = line.split(" ", 2)
        if len(parts) == 3:
            symbols.append((int(parts[0], 16), parts[2]))
    addresses = [address for address, _ in symbols]
    sections = []
    for line in subprocess.run(["readelf", "-SW", executable], capture_output=True, text=True).stdout.splitlines():
        match = re.match(r"\s*\[\s*\d+\]\s+(\S+)\s+\S+\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)", line)
        if match and int(match.group(2), 16):
            sections.append((int(match.group(2), 16), int(match.group(2), 16) + int(match.group(3), 16), match.group(1)))

    def section(address):
        """The name of the section holding an address of the executable."""
        return next((name for low, high, name in sections if low <= address < high), "(between sections)")

    # Load bias: where the first LOAD segment (file offset 0) is mapped, less its link-time address (0 for a PIE).
    first_load = next(
        int(line.split()[2], 16)
        for line in subprocess.run(["readelf", "-lW", executable], capture_output=True, text=True).stdout.splitlines()
        if line.split()[:1] == ["LOAD"]
    )
    base = next(m[0] for m in maps if m[4] == executable and m[3] == 0) - first_load
    resident, mapped = collections.Counter(), collections.Counter()
    with open(f"/proc/{pid}/pagemap", "rb") as pagemap:
        for start, end, perms, offset, path, fields in maps:
            if path != executable:
                continue
            for page in range(start, end, 4096):
                pagemap.seek(page // 4096 * 8)
                present = struct.unpack("<Q", pagemap.read(8))[0] >> 63
                name = section(page - base)
                index = bisect.bisect_right(addresses, page - base) - 1
                symbolized = name in (".text", ".data", ".bss", ".rodata", ".data.rel.ro")
                label = f"{owner(symbols[index][1])} {name}" if symbolized and index >= 0 else name
                mapped[label] += 4
                resident[label] += 4 * present
    if not any(resident.values()):
        print("(no present bits in /proc/PID/pagemap: run as root to see which pages of the executable are resident)")
        return
    print(f"## Resident pages of {executable.split('/')[-1]} by owner (KiB)\n")
    print("| owner and section | resident | mapped |\n| --- | ---: | ---: |")
    for label, kib in resident.most_common(top):
        print(f"| {label} | {kib} | {mapped[label]} |")
    print(f"| **all** | **{sum(resident.values())}** | **{sum(mapped.values())}** |")


if __name__ == "__main__":
    main()

"""An open-loop, rate-paced HTTP/1.1 GET generator over keep-alive connections to one 127.0.0.1 port.

Used to drive blackbox_exporter's ``/probe`` at a fixed rate, as Prometheus would with many scrape targets.
Requests are started on schedule whether or not earlier ones have finished (up to ``max_connections`` in
flight, beyond which a tick is counted as ``dropped``), so a slow server does not slow the offered rate down.
"""

import asyncio
import time


async def _read_response(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        headers[name.strip().lower()] = value.strip()
    if b"content-length" in headers:
        body = await reader.readexactly(int(headers[b"content-length"]))
    elif headers.get(b"transfer-encoding", b"").lower() == b"chunked":
        parts = []
        while True:
            size = int((await reader.readline()).strip().split(b";")[0], 16)
            if size == 0:
                await reader.readline()
                break
            parts.append(await reader.readexactly(size))
            await reader.readline()
        body = b"".join(parts)
    else:
        body = await reader.read()
    return status, body, headers.get(b"connection", b"").lower() == b"close"


async def _run(port, paths, rate, duration, max_connections, on_response):
    loop = asyncio.get_running_loop()
    idle = []
    stats = {"sent": 0, "ok": 0, "failed": 0, "dropped": 0, "in_flight": 0}
    tasks = set()

    async def one(path):
        stats["in_flight"] += 1
        connection = idle.pop() if idle else await asyncio.open_connection("127.0.0.1", port)
        reader, writer = connection
        started = time.monotonic()
        try:
            writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: slaprobe-bench\r\n\r\n".encode())
            status, body, close = await _read_response(reader)
            elapsed = time.monotonic() - started
            if status == 200:
                stats["ok"] += 1
            else:
                stats["failed"] += 1
            if on_response:
                on_response(status, body, elapsed)
            if close:
                writer.close()
            else:
                idle.append(connection)
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
            stats["failed"] += 1
            writer.close()
        finally:
            stats["in_flight"] -= 1

    start = loop.time()
    index = 0
    while True:
        due = start + index / rate
        if due >= start + duration:
            break
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        if stats["in_flight"] >= max_connections:
            stats["dropped"] += 1
        else:
            task = asyncio.ensure_future(one(paths[index % len(paths)]))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            stats["sent"] += 1
        index += 1
    if tasks:
        await asyncio.wait(tasks, timeout=10)
    for reader, writer in idle:
        writer.close()
    stats["elapsed"] = loop.time() - start
    return stats


def run(port, paths, rate, duration, max_connections=64, on_response=None):
    """Sends GET ``paths`` (round robin) at ``rate`` per second for ``duration`` seconds; returns counts."""
    return asyncio.run(_run(port, paths, rate, duration, max_connections, on_response))

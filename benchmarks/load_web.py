"""Load test of the explorer on loopback: 50 concurrent clients for 30 s on cached pages.

Not a test: a script that prints a table and writes ``benchmarks/results/load_web.json``.
Run it from the repository root with the ``web`` extra (and httpx) installed::

    python benchmarks/load_web.py                  # 50 clients, 30 s (about 45 s in all)
    python benchmarks/load_web.py --quick          # 10 clients, 5 s: a smoke run
    python benchmarks/load_web.py --workers 2      # uvicorn with two worker processes
    python benchmarks/load_web.py --mixed          # light requests while four heavy ones run

``--mixed`` (the stall check): 200 light requests (``/api/methods`` and
``/api/elections/2018/lists``, one client, one after another) first alone, then while four
heavy requests run at once (the coalition search of 2025 at the presidential step, and the
Johnston, Holler and Deegan–Packel indices of 2018 at that step); the heavy work runs in
the explorer's worker processes (one per core, at a lower priority), so the light p95
must stay under 300 ms. It writes ``benchmarks/results/load_web_mixed.json``.

What it does:

1. starts the explorer (``muhasasa.web.app:create_app`` on uvicorn, in a subprocess, on
   127.0.0.1 and a free port, access log off) and waits until it answers;
2. warms the caches: requests every URL a few times, and checks each answers 200;
3. runs ``--clients`` clients at once (asyncio tasks, each with its own
   ``httpx.AsyncClient`` and keep-alive connection) for ``--duration`` seconds; each client
   requests the URLs in turn (starting at a different one), with no pause between requests
   unless ``--think`` is given, so the server is always as busy as 50 readers can make it;
4. prints requests, errors, latency percentiles (p50, p95, p99, max) and throughput, per
   URL and in all, and the target: **p95 under 300 ms, no errors**.

Latency is measured by the client, from sending the request to reading the whole body, so
it includes the queueing at the server, which is what a reader waits. An error is any
answer but 200, or a request that failed (connection error, timeout). The clients and the
server share the machine: on a 2-core machine the client's own work is part of the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.metadata
import json
import os
import platform
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

try:
    import httpx
except ImportError as exc:  # pragma: no cover - a script, not library code
    sys.exit(f"this benchmark needs httpx ({exc}): pip install -e '.[dev]'")

RESULTS = Path(__file__).resolve().parent / "results" / "load_web.json"
URLS = ("/elections?election=2025", "/api/elections/2025/lists", "/ar/elections?election=2025")
TARGET_P95_MS = 300.0
START_SECONDS = 60.0


def free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def start_server(host: str, port: int, workers: int) -> subprocess.Popen:
    """uvicorn running the explorer in a subprocess; returns once it answers."""
    command = [sys.executable, "-m", "uvicorn", "muhasasa.web.app:create_app", "--factory",
               "--host", host, "--port", str(port), "--workers", str(workers), "--log-level", "warning",
               "--no-access-log", "--ws", "none", "--lifespan", "off"]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + START_SECONDS
    with httpx.Client(timeout=5) as client:
        while True:
            if server.poll() is not None:
                sys.exit(f"the server stopped before answering:\n{server.stderr.read()}")
            try:
                if client.get(f"http://{host}:{port}/api/elections").status_code == 200:
                    return server
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                stop_server(server)
                sys.exit(f"the server did not answer within {START_SECONDS:g} s")
            time.sleep(0.1)


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:  # pragma: no cover
        server.kill()
        server.wait()


def warm(base: str, urls: Sequence[str], rounds: int) -> dict[str, float]:
    """Request each URL ``rounds`` times; the time of the first (cold) request of each."""
    cold = {}
    with httpx.Client(base_url=base, timeout=120) as client:
        for url in urls:
            for i in range(rounds):
                started = time.perf_counter()
                r = client.get(url)
                if i == 0:
                    cold[url] = time.perf_counter() - started
                if r.status_code != 200:
                    sys.exit(f"warm-up: {url} answered {r.status_code}: {r.text[:200]}")
    return cold


async def client_loop(base: str, urls: Sequence[str], offset: int, stop_at: float, think: float,
                      timeout: float, samples: dict[str, list[float]], errors: dict[str, Counter]) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=timeout) as client:
        i = offset
        while time.perf_counter() < stop_at:
            url = urls[i % len(urls)]
            i += 1
            started = time.perf_counter()
            try:
                r = await client.get(url)
                await r.aread()
                elapsed = time.perf_counter() - started
                if r.status_code != 200:
                    errors[url][f"HTTP {r.status_code}"] += 1
                    continue
                samples[url].append(elapsed)
            except httpx.HTTPError as exc:
                errors[url][type(exc).__name__] += 1
            if think:
                await asyncio.sleep(think)


async def load(base: str, urls: Sequence[str], clients: int, duration: float, think: float,
               timeout: float) -> tuple[dict[str, list[float]], dict[str, Counter], float]:
    samples: dict[str, list[float]] = {u: [] for u in urls}
    errors: dict[str, Counter] = {u: Counter() for u in urls}
    started = time.perf_counter()
    stop_at = started + duration
    await asyncio.gather(*(client_loop(base, urls, k, stop_at, think, timeout, samples, errors)
                           for k in range(clients)))
    return samples, errors, time.perf_counter() - started


def percentile(sorted_values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile of sorted values (None if there are none).

    >>> percentile([1.0, 2.0, 3.0, 4.0], 50), percentile([1.0, 2.0, 3.0, 4.0], 95)
    (2.0, 4.0)
    """
    if not sorted_values:
        return None
    rank = max(1, -(-len(sorted_values) * q // 100))
    return sorted_values[int(rank) - 1]


def row(name: str, latencies: list[float], errors: Counter, wall: float) -> dict:
    values = sorted(latencies)
    ms = {f"p{q}_ms": (None if (v := percentile(values, q)) is None else round(v * 1000, 1)) for q in (50, 95, 99)}
    return {"url": name, "requests": len(values) + sum(errors.values()), "ok": len(values),
            "errors": sum(errors.values()), "error_kinds": dict(errors), **ms,
            "max_ms": round(values[-1] * 1000, 1) if values else None,
            "mean_ms": round(1000 * sum(values) / len(values), 1) if values else None,
            "throughput_rps": round((len(values) + sum(errors.values())) / wall, 1)}


def table(rows: Sequence[dict]) -> str:
    head = f"{'url':<32} {'requests':>9} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'req/s':>8}"
    lines = [head, "-" * len(head)]
    for r in rows:
        cells = [("–" if r[k] is None else f"{r[k]:.1f}") for k in ("p50_ms", "p95_ms", "p99_ms", "max_ms")]
        lines.append(f"{r['url']:<32} {r['requests']:>9} {r['errors']:>7} " + " ".join(f"{c:>8}" for c in cells)
                     + f" {r['throughput_rps']:>8.1f}")
    return "\n".join(lines)


def machine() -> dict:
    def version(name: str) -> str | None:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return None

    return {"platform": platform.platform(), "cpu_count": os.cpu_count(), "python": platform.python_version(),
            **{name: version(name) for name in ("muhasasa", "fastapi", "starlette", "uvicorn", "httpx")},
            "date_utc": datetime.now(UTC).isoformat(timespec="seconds")}


LIGHT = ("/api/methods", "/api/elections/2018/lists")
HEAVY = ("/api/coalitions/2025?step=president", "/api/power/2018?step=president&index=johnston",
         "/api/power/2018?step=president&index=holler", "/api/power/2018?step=president&index=deegan-packel")


def light_run(base: str, n: int) -> list[float]:
    """``n`` light requests, one after another: each one's latency (s)."""
    out = []
    with httpx.Client(base_url=base, timeout=30) as client:
        for i in range(n):
            started = time.perf_counter()
            r = client.get(LIGHT[i % len(LIGHT)])
            out.append(time.perf_counter() - started)
            if r.status_code != 200:
                sys.exit(f"{LIGHT[i % len(LIGHT)]} answered {r.status_code}")
    return out


def mixed(args) -> int:
    """The light requests alone, then under four heavy requests; a table and JSON."""
    import threading

    port = free_port(args.host)
    base = f"http://{args.host}:{port}"
    server = start_server(args.host, port, 1)
    heavy: dict[str, tuple[int, float]] = {}
    try:
        light_run(base, 10)  # warm the light routes
        alone = light_run(base, 200)

        def one(url: str) -> None:
            started = time.perf_counter()
            try:
                with httpx.Client(base_url=base, timeout=60) as client:
                    status = client.get(url).status_code
            except httpx.HTTPError:
                status = -1
            heavy[url] = (status, time.perf_counter() - started)

        threads = [threading.Thread(target=one, args=(u,)) for u in HEAVY]
        for t in threads:
            t.start()
        time.sleep(0.5)  # the heavy requests are in the workers
        loaded = light_run(base, 200)
        still = sum(t.is_alive() for t in threads)
        for t in threads:
            t.join()
    finally:
        stop_server(server)
    rows = [row("light alone", alone, Counter(), sum(alone)), row("light under 4 heavy", loaded, Counter(), sum(loaded))]
    print(table(rows))
    print(f"heavy requests still running when the light ones ended: {still} of {len(HEAVY)}")
    for url, (status, took) in heavy.items():
        print(f"  {url}: HTTP {status} after {took:.1f} s")
    met = rows[1]["p95_ms"] < TARGET_P95_MS
    print(f"target: light p95 < {TARGET_P95_MS:g} ms under heavy load: {'met' if met else 'MISSED'}")
    out = args.output.with_name("load_web_mixed.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"machine": machine(), "light": list(LIGHT), "heavy": list(HEAVY), "rows": rows,
                               "heavy_results": {u: {"status": s, "seconds": round(t, 2)} for u, (s, t) in heavy.items()},
                               "heavy_running_at_end": still, "target": {"p95_ms_below": TARGET_P95_MS, "met": met}},
                              indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}")
    return 1 if args.strict and not met else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load (default 30)")
    parser.add_argument("--think", type=float, default=0.0, help="pause of a client between requests (s)")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (default 1)")
    parser.add_argument("--warmup", type=int, default=5, help="requests per URL before the load (default 5)")
    parser.add_argument("--timeout", type=float, default=30.0, help="timeout of one request (s)")
    parser.add_argument("--url", action="append", dest="urls", help=f"a URL to load (repeat); default {URLS}")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--quick", action="store_true", help="10 clients for 5 s")
    parser.add_argument("--strict", action="store_true", help="exit 1 when the target is missed")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--mixed", action="store_true", help="light requests under four heavy ones")
    args = parser.parse_args(argv)
    if args.mixed:
        return mixed(args)
    if args.quick:
        args.clients, args.duration = 10, 5.0
    urls = tuple(args.urls or URLS)

    port = free_port(args.host)
    base = f"http://{args.host}:{port}"
    print(f"server: uvicorn, {args.workers} worker(s), {base}", flush=True)
    server = start_server(args.host, port, args.workers)
    try:
        cold = warm(base, urls, args.warmup)
        print(f"warm: {', '.join(f'{u} {1000 * s:.0f} ms' for u, s in cold.items())} (first request)", flush=True)
        print(f"load: {args.clients} clients for {args.duration:g} s ...", flush=True)
        samples, errors, wall = asyncio.run(load(base, urls, args.clients, args.duration, args.think, args.timeout))
    finally:
        stop_server(server)

    rows = [row(u, samples[u], errors[u], wall) for u in urls]
    everything = row("all", [x for u in urls for x in samples[u]], sum(errors.values(), Counter()), wall)
    rows.append(everything)
    print()
    print(table(rows))
    met = everything["errors"] == 0 and everything["p95_ms"] is not None and everything["p95_ms"] < TARGET_P95_MS
    verdict = (f"target: p95 < {TARGET_P95_MS:g} ms and no errors: "
               f"{'met' if met else 'MISSED'} (p95 {everything['p95_ms']} ms, {everything['errors']} errors)")
    print(verdict)

    result = {"machine": machine(),
              "config": {"clients": args.clients, "duration_s": args.duration, "think_s": args.think,
                         "workers": args.workers, "warmup_per_url": args.warmup, "timeout_s": args.timeout,
                         "urls": list(urls), "server": "uvicorn (muhasasa.web.app:create_app), access log off",
                         "client": "httpx.AsyncClient per client, asyncio, same machine"},
              "cold_first_request_ms": {u: round(1000 * s, 1) for u, s in cold.items()},
              "wall_s": round(wall, 2), "rows": rows,
              "target": {"p95_ms_below": TARGET_P95_MS, "errors": 0, "met": met}}
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.output}")
    return 1 if args.strict and not met else 0


if __name__ == "__main__":
    sys.exit(main())

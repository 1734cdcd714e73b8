"""Fairness of ``tf-graph serve``: how long a cheap ASK from another client waits while N
runaway queries run (N = 0 .. workers + 1).

Starts ``python -m tf_graph serve`` on a free 127.0.0.1 port, then for each N: starts N
runaway queries (a three-way cross join, stopped by the time limit), waits until they run,
and times a simple ``ASK`` several times, one after another. Prints one table: the ASK's
median and slowest latency, its status codes, and what the runaway queries were answered.

    python benchmarks/serve_fairness.py [--workers 2] [--timeout 5] [--asks 5] [--quick]
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter

import httpx

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CHEAP = "ASK { ?s ?p ?o }"


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(port: int, workers: int, timeout: float) -> subprocess.Popen:
    command = [sys.executable, "-m", "tf_graph", "serve", "--port", str(port)]
    command += ["--workers", str(workers), "--timeout", str(timeout)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            httpx.get(f"http://127.0.0.1:{port}/sparql", params={"query": CHEAP})
            return process
        except httpx.ConnectError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("server did not start")


def runaway(url: str, statuses: list[int]) -> None:
    statuses.append(httpx.get(url, params={"query": RUNAWAY}, timeout=600).status_code)


def measure(url: str, runaways: int, asks: int) -> tuple[list[float], Counter, list[int]]:
    """ASK latencies (s) and statuses while ``runaways`` runaway queries run; their statuses."""
    statuses: list[int] = []
    threads = [threading.Thread(target=runaway, args=(url, statuses)) for _ in range(runaways)]
    for thread in threads:
        thread.start()
    time.sleep(1.5 if runaways else 0)  # they run now (and are past any grace period)
    latencies, codes = [], Counter()
    with httpx.Client(timeout=600) as client:
        for _ in range(asks):
            started = time.perf_counter()
            codes[client.get(url, params={"query": CHEAP}).status_code] += 1
            latencies.append(time.perf_counter() - started)
    for thread in threads:
        thread.join()
    return latencies, codes, statuses


def settle(url: str, workers: int) -> None:
    """Wait until stopped workers are replaced: ``workers`` cheap queries at once answer fast."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        started = time.perf_counter()
        threads = [
            threading.Thread(target=httpx.get, args=(url,), kwargs={"params": {"query": CHEAP}})
            for _ in range(workers)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if time.perf_counter() - started < 0.3:
            return
        time.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=5.0)
    parser.add_argument("--asks", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="N = 0 and N = workers only")
    args = parser.parse_args()
    port = free_port()
    url = f"http://127.0.0.1:{port}/sparql"
    process = start(port, args.workers, args.timeout)
    counts = [0, args.workers] if args.quick else list(range(args.workers + 2))
    try:
        print(
            f"machine: {os.cpu_count()} CPUs; --workers {args.workers}; time limit "
            f"{args.timeout:g} s; {args.asks} ASKs one after another per row"
        )
        print(
            f"{'runaway queries':>15} {'first ASK':>10} {'ASK median':>11} {'ASK max':>9}  "
            f"{'ASK status':<12} runaways answered"
        )
        for n in counts:
            settle(url, args.workers)
            latencies, codes, statuses = measure(url, n, args.asks)
            ask_codes = " ".join(f"{c}x{k}" for k, c in sorted(codes.items()))
            runaway_codes = " ".join(str(s) for s in sorted(statuses)) or "-"
            print(
                f"{n:15} {latencies[0] * 1000:8.0f}ms {statistics.median(latencies) * 1000:9.0f}ms "
                f"{max(latencies) * 1000:7.0f}ms  {ask_codes:<12} {runaway_codes}"
            )
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)


if __name__ == "__main__":
    main()

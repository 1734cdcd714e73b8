"""Load on ``tf-graph serve``: concurrent clients, and the time limit under a runaway query.

Starts ``python -m tf_graph serve`` on a free 127.0.0.1 port, then prints one table:
requests per second and latency (median, 95th percentile) for N concurrent clients on a
small SELECT and on the named query agencies-by-topic; the time a runaway query takes to be
stopped; the latency of a small query while it runs; how long until the stopped worker's
replacement serves again.

    python benchmarks/serve_load.py [--clients 20] [--requests 10] [--workers 2] [--timeout 2]
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

SMALL = (
    "PREFIX tf: <https://w3id.org/tf-graph/ontology#> "
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    "SELECT ?a ?l WHERE { ?a a tf:Agency ; rdfs:label ?l }"
)
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(port: int, workers: int, timeout: float) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tf_graph",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--timeout",
            str(timeout),
        ],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            httpx.get(f"http://127.0.0.1:{port}/sparql", params={"query": "ASK {}"})
            return process
        except httpx.ConnectError:
            time.sleep(0.1)
    raise SystemExit("server did not start")


def load(url: str, params: dict, clients: int, requests: int) -> tuple[float, float, float, int]:
    latencies: list[float] = []
    failures = 0

    def client(_: int) -> None:
        nonlocal failures
        with httpx.Client(timeout=60) as c:
            for _ in range(requests):
                started = time.perf_counter()
                response = c.get(url, params=params)
                latencies.append(time.perf_counter() - started)
                failures += response.status_code != 200

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(client, range(clients)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    return len(latencies) / elapsed, statistics.median(latencies), p95, failures


def runaway(base: str, timeout: float) -> tuple[float, int, float, float]:
    out: dict = {}

    def slow() -> None:
        started = time.perf_counter()
        out["status"] = httpx.get(
            f"{base}/sparql", params={"query": RUNAWAY}, timeout=120
        ).status_code
        out["seconds"] = time.perf_counter() - started

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.3)
    started = time.perf_counter()
    httpx.get(f"{base}/sparql", params={"query": SMALL}, timeout=60)
    during = time.perf_counter() - started
    thread.join()
    stopped_at = time.perf_counter()
    # the replacement is back when two queries at once are both answered without queueing
    while True:
        with ThreadPoolExecutor(2) as pool:
            times = list(pool.map(lambda _: _timed(base), range(2)))
        if max(times) < 0.2:
            break
    back = time.perf_counter() - stopped_at
    return out["seconds"], out["status"], during, back


def _timed(base: str) -> float:
    started = time.perf_counter()
    httpx.get(f"{base}/sparql", params={"query": SMALL}, timeout=60)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=2.0)
    args = parser.parse_args()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = start(port, args.workers, args.timeout)
    try:
        print(
            f"machine: {os.cpu_count()} CPUs; {args.workers} workers; "
            f"{args.clients} clients x {args.requests} requests"
        )
        print(f"{'load':44} {'req/s':>7} {'median':>8} {'p95':>8} {'failed':>6}")
        for name, url, params in [
            ("SELECT agencies (/sparql, JSON)", f"{base}/sparql", {"query": SMALL}),
            ("agencies-by-topic (/api/query, labelled)", f"{base}/api/query/agencies-by-topic", {}),
        ]:
            rate, median, p95, failed = load(url, params, args.clients, args.requests)
            print(f"{name:44} {rate:7.1f} {median * 1000:6.0f}ms {p95 * 1000:6.0f}ms {failed:6}")
        stopped, status, during, back = runaway(base, args.timeout)
        print(
            f"runaway query (time limit {args.timeout:g} s): answered {status} after "
            f"{stopped:.2f} s; a small query meanwhile took {during * 1000:.0f} ms; "
            f"replacement worker serving {back:.2f} s later"
        )
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)


if __name__ == "__main__":
    main()

"""Helpers shared by the server, remote-store and Virtuoso tests."""

from __future__ import annotations

import functools
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import uvicorn

#: values for parameters a named query requires and has no default for
SAMPLE_PARAMS = {"entity": "agency/dhs", "law": "22 U.S.C. 7103"}
#: a value for every parameter of the named queries: bound values must select the same rows
BINDING_SAMPLES = {
    **SAMPLE_PARAMS,
    "pillars": "4",
    "topic": "forced labor",
    "agency": "DHS",
    "country": "Mexico",
    "sector": "seafood",
    "body": "PITF",
    "pillar": "prosecution",
    "law": "section 307",
    "year": "2021",
    "month": "2021-12",
    "status": "completed",
    "class": "https://w3id.org/tf-graph/ontology#Agency",
    "other": "DOT",
    "event": "North American Leaders' Summit",
}
#: where one query needs another sample to select anything: the sheet dates its plans in 2022
#: ("plans for 2022") and names the groups trafficking impacts under human trafficking; the
#: NAP's count of priority actions is a count the sheet states (DHS has none)
QUERY_SAMPLES = {
    ("planned-actions", "year"): "2022",
    ("affected-groups", "topic"): "human trafficking",
    ("stated-counts", "entity"): "document/nap",
}


def binding_sample(query: str, param: str) -> str:
    """The sample value of ``param`` for the named query ``query``."""
    return QUERY_SAMPLES.get((query, param), BINDING_SAMPLES[param])


def assert_one_line_error(result, *parts, code=2):
    """A command failed as users are promised: exit ``code``, no traceback, one line on
    stderr starting "error: " that names every one of ``parts``."""
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    for part in parts:
        assert part in lines[0], lines[0]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def opener_of(engine: str):  # noqa: ANN201
    """What each server worker process calls to open the shipped graph on ``engine``: rdflib's
    memory, or the Oxigraph index `tf-graph serve` uses (the session's, built here once if need
    be, and its snapshot written)."""
    from conftest import shipped_graph

    from tf_graph.build.loading import load_graph
    from tf_graph.engines import Source, open_source

    if engine == "memory":
        return functools.partial(load_graph, ())
    shipped_graph("oxigraph")
    return functools.partial(open_source, Source())


@contextmanager
def serving(app, **config) -> Iterator[str]:
    """Run ``app`` under uvicorn on 127.0.0.1 in a thread; yield its base URL, then stop it."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", **config)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)


@contextmanager
def serve_process(*options: str, env: dict | None = None) -> Iterator[tuple[subprocess.Popen, str]]:
    """``tf-graph serve`` on a free port in a new process, yielded with its base URL once it
    answers, then stopped with SIGTERM; its (stdout, stderr) are then ``process.output``."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "tf_graph", "serve", "--port", str(port), *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, process.stderr.read()
            try:
                httpx.get(f"{base}/sparql", params={"query": "ASK {}"})
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline, "tf-graph serve did not start"
                time.sleep(0.2)
        yield process, base
    finally:
        process.send_signal(signal.SIGTERM)
        process.output = process.communicate(timeout=30)

"""A pool of worker processes that each hold the graph and run queries with a time limit.

rdflib cannot interrupt a query running in a thread, so a query that exceeds its time limit
is stopped by killing its worker process; a fresh worker is started in its place while the
others keep serving. The event loop only waits: sending a task and reading the reply happen
in a thread per busy worker.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from rdflib import Graph

from tf_graph.server import worker
from tf_graph.server.worker import Reply, Task, error_reply

log = logging.getLogger("tf_graph.server")

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_ROWS = 10_000
#: how long a request may wait for a free worker before it is answered "busy" (503)
DEFAULT_QUEUE_TIMEOUT = 30.0
#: how long a new worker may take to load the graph before we give up on it
START_TIMEOUT = 300.0


#: what a round trip returns when the worker process ended without replying
_DIED = object()


class WorkerStartError(RuntimeError):
    """A worker process could not load the graph."""


@dataclass(eq=False)
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: object
    triples: int


class QueryPool:
    """``size`` worker processes; :meth:`run` waits at most ``queue_timeout`` seconds for an
    idle one, then gives the task ``timeout`` seconds of running time. Waiting in the queue
    never counts against a query's own time limit: only a query that runs too long is
    stopped."""

    def __init__(
        self,
        graph_factory: Callable[[], Graph],
        size: int = 2,
        timeout: float = DEFAULT_TIMEOUT,
        max_rows: int = DEFAULT_MAX_ROWS,
        queue_timeout: float = DEFAULT_QUEUE_TIMEOUT,
    ):
        self.graph_factory = graph_factory
        self.size = max(1, size)
        self.timeout = timeout
        self.queue_timeout = queue_timeout
        self.max_rows = max_rows
        self.triples = 0
        self.stopped_queries = 0
        self._ctx = multiprocessing.get_context("spawn")
        self._threads = ThreadPoolExecutor(max_workers=self.size + 2, thread_name_prefix="tfq")
        self._idle: asyncio.Queue[_Worker] | None = None
        self._all: set[_Worker] = set()
        self._closing = False

    # --- life cycle ---

    async def start(self) -> None:
        """Start every worker (in parallel) and wait until each holds the graph."""
        self._idle = asyncio.Queue()
        loop = asyncio.get_running_loop()
        workers = await asyncio.gather(
            *(loop.run_in_executor(self._threads, self._spawn) for _ in range(self.size))
        )
        for w in workers:
            self._idle.put_nowait(w)
        self.triples = workers[0].triples

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(
            target=worker.serve_forever,
            args=(child, self.graph_factory, self.max_rows),
            daemon=True,
            name="tf-graph-query-worker",
        )
        process.start()
        child.close()
        if not parent.poll(START_TIMEOUT):
            process.kill()
            raise WorkerStartError("a query worker did not load the graph in time")
        try:
            status, detail = parent.recv()
        except EOFError:
            status, detail = "failed", f"worker exited with code {process.exitcode}"
        if status != "ready":
            process.join(5)
            raise WorkerStartError(f"a query worker could not load the graph: {detail}")
        w = _Worker(process, parent, detail)
        self._all.add(w)
        return w

    async def close(self) -> None:
        self._closing = True
        for w in list(self._all):
            self._stop(w, polite=True)
        self._threads.shutdown(wait=False, cancel_futures=True)

    def _stop(self, w: _Worker, polite: bool = False) -> None:
        self._all.discard(w)
        if polite:
            try:
                w.conn.send(None)
                w.process.join(1)
            except (OSError, ValueError):
                pass
        if w.process.is_alive():
            w.process.kill()
        w.process.join(5)
        w.conn.close()

    # --- running ---

    async def run(self, task: Task) -> Reply:
        """The worker's reply, or 503 when the time limit passes (the query is stopped)."""
        assert self._idle is not None, "QueryPool.start() first"
        deadline = time.monotonic() + self.queue_timeout
        while True:
            try:
                wait = max(0.0, deadline - time.monotonic())
                w = await asyncio.wait_for(self._idle.get(), wait)
            except asyncio.TimeoutError:
                return error_reply(
                    503, f"server busy: no query worker free within {self.queue_timeout:g} s"
                )
            if w.process.is_alive():
                break
            log.error("a query worker had died (exit code %s)", w.process.exitcode)
            self._replace(w)  # and wait for another
        started = time.monotonic()
        loop = asyncio.get_running_loop()
        try:
            reply = await loop.run_in_executor(
                self._threads, self._roundtrip, w, task, self.timeout
            )
        except BaseException:
            self._replace(w)
            raise
        if reply is _DIED:
            log.error("a query worker died (exit code %s)", w.process.exitcode)
            self._replace(w)
            return error_reply(500, "the query worker died while running the query")
        if reply is None:
            self.stopped_queries += 1
            log.warning("query stopped after %.1f s (time limit)", time.monotonic() - started)
            self._replace(w)
            return error_reply(
                503,
                f"query stopped: it ran longer than the time limit of {self.timeout:g} s",
            )
        self._idle.put_nowait(w)
        return reply

    @staticmethod
    def _roundtrip(w: _Worker, task: Task, timeout: float) -> Reply | object | None:
        """Send ``task``; its reply, None if there is none within ``timeout``, or _DIED."""
        try:
            w.conn.send(task)
            if not w.conn.poll(timeout):
                return None
            return w.conn.recv()
        except (EOFError, OSError):
            return _DIED

    def _replace(self, w: _Worker) -> None:
        """Kill ``w`` now; start its successor in the background and add it when ready."""
        self._stop(w)
        if self._closing:
            return
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._threads, self._spawn)

        def added(fut: asyncio.Future) -> None:
            if fut.cancelled() or fut.exception() is not None:
                log.error("could not restart a query worker: %s", fut.exception())
                return
            if self._closing:
                self._stop(fut.result())
            else:
                self._idle.put_nowait(fut.result())

        future.add_done_callback(added)

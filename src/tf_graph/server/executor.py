"""A pool of worker processes that each hold the graph and run queries with a time limit.

rdflib cannot interrupt a query running in a thread, so a query that exceeds its time limit
is stopped by killing its worker process; a fresh worker is started in its place while the
others keep serving. The event loop only waits: sending a task and reading the reply happen
in a thread per busy worker.

Fairness: long queries must not take every worker. The pool runs ``size`` workers plus
``reserve`` more (one by default); a query that runs longer than ``long_after`` seconds is
*long*, and at most ``size`` long queries run at once. A query that turns long when ``size``
already are is stopped at once (503, "busy"), so at least ``reserve`` workers are always
free for short queries from other clients: as many runaway queries as ``--workers`` no
longer stall everyone else until the time limit. (Clients are not told apart by address:
behind one proxy or on one machine they all share it.)

A stopped worker is replaced at once by a spare one, loaded beforehand (``spares``, one by
default), while a new spare loads: the pool is back to full strength without waiting for a
process to load the graph.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection

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
#: a query running longer than this is "long" (see the module's docstring)
DEFAULT_LONG_AFTER = 1.0
#: workers kept beyond ``size`` for short queries
DEFAULT_RESERVE = 1
#: workers loaded and waiting to replace a stopped one at once
DEFAULT_SPARES = 1


#: what a round trip returns when the worker process ended without replying
_DIED = object()
#: ... and when its query turned long while the long slots were all taken
_REFUSED = object()


class WorkerStartError(RuntimeError):
    """A worker process could not load the graph."""


@dataclass(eq=False)
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    triples: int


class QueryPool:
    """``size + reserve`` worker processes; :meth:`run` waits at most ``queue_timeout``
    seconds for an idle one, then gives the task ``timeout`` seconds of running time, of
    which only ``size`` tasks at once may use more than ``long_after``. Waiting in the queue
    never counts against a query's own time limit."""

    def __init__(
        self,
        graph_factory: Callable[[], Graph],
        size: int = 2,
        timeout: float = DEFAULT_TIMEOUT,
        max_rows: int = DEFAULT_MAX_ROWS,
        queue_timeout: float = DEFAULT_QUEUE_TIMEOUT,
        reserve: int = DEFAULT_RESERVE,
        long_after: float = DEFAULT_LONG_AFTER,
        spares: int = DEFAULT_SPARES,
    ):
        self.graph_factory = graph_factory
        self.size = max(1, size)
        self.reserve = max(0, reserve)
        self.spares = max(0, spares)
        self.long_after = long_after
        self.timeout = timeout
        self.queue_timeout = queue_timeout
        self.max_rows = max_rows
        self.triples = 0
        self.stopped_queries = 0
        self.refused_long = 0
        self._long = 0
        self._long_lock = threading.Lock()
        self._ctx = multiprocessing.get_context("spawn")
        self._threads = ThreadPoolExecutor(
            max_workers=self.size + self.reserve + self.spares + 2, thread_name_prefix="tfq"
        )
        self._idle: asyncio.Queue[_Worker] | None = None
        self._all: set[_Worker] = set()
        #: loaded workers not in service yet, and how many are in service (idle or busy)
        self._spare: list[_Worker] = []
        self._serving = 0
        self._closing = False

    # --- life cycle ---

    async def start(self) -> None:
        """Start every worker (in parallel) and wait until each holds the graph."""
        self._idle = asyncio.Queue()
        loop = asyncio.get_running_loop()
        workers = await asyncio.gather(
            *(
                loop.run_in_executor(self._threads, self._spawn)
                for _ in range(self.size + self.reserve + self.spares)
            )
        )
        for w in workers:
            self._enlist(w)
        self.triples = workers[0].triples

    def _enlist(self, w: _Worker) -> None:
        """A loaded worker goes into service if one is missing there, else waits as a spare."""
        assert self._idle is not None
        if self._serving < self.size + self.reserve:
            self._serving += 1
            self._idle.put_nowait(w)
        else:
            self._spare.append(w)

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
        """The worker's reply; 503 when no worker is free in time, when the query runs past
        the time limit, or when it turns long while ``size`` long queries run already."""
        w = await self._idle_worker()
        if w is None:
            return error_reply(
                503, f"server busy: no query worker free within {self.queue_timeout:g} s"
            )
        started = time.monotonic()
        loop = asyncio.get_running_loop()
        try:
            reply = await loop.run_in_executor(self._threads, self._roundtrip, w, task)
        except BaseException:
            self._replace(w)
            raise
        if isinstance(reply, Reply):
            assert self._idle is not None
            self._idle.put_nowait(w)
            return reply
        self._replace(w)
        return self._stopped(reply, time.monotonic() - started, w)

    async def _idle_worker(self) -> _Worker | None:
        """An idle, living worker, or None after ``queue_timeout`` seconds."""
        assert self._idle is not None, "QueryPool.start() first"
        deadline = time.monotonic() + self.queue_timeout
        while True:
            try:
                wait = max(0.0, deadline - time.monotonic())
                w = await asyncio.wait_for(self._idle.get(), wait)
            except asyncio.TimeoutError:
                return None
            if w.process.is_alive():
                return w
            log.error("a query worker had died (exit code %s)", w.process.exitcode)
            self._replace(w)  # and wait for another

    def _stopped(self, outcome: object, seconds: float, w: _Worker) -> Reply:
        """The reply for a query that did not answer (its worker is being replaced)."""
        if outcome is _DIED:
            log.error("a query worker died (exit code %s)", w.process.exitcode)
            return error_reply(500, "the query worker died while running the query")
        self.stopped_queries += 1
        if outcome is _REFUSED:
            self.refused_long += 1
            log.warning("query stopped after %.1f s: %d long ones run", seconds, self.size)
            return error_reply(
                503,
                f"server busy: all {self.size} workers for long queries (--workers) are taken; "
                f"this query was stopped after {self.long_after:g} s: try again later",
            )
        log.warning("query stopped after %.1f s (time limit)", seconds)
        return error_reply(
            503, f"query stopped: it ran longer than the time limit of {self.timeout:g} s"
        )

    def _roundtrip(self, w: _Worker, task: Task) -> Reply | object:
        """Send ``task``; its reply, or None if there is none within the time limit, _REFUSED
        if it turned long with no long slot free, _DIED if the worker ended."""
        first = min(self.long_after, self.timeout)
        try:
            w.conn.send(task)
            if w.conn.poll(first):
                return w.conn.recv()
            if first >= self.timeout:
                return None
            if not self._take_long_slot():
                return _REFUSED
            try:
                if not w.conn.poll(self.timeout - first):
                    return None
                return w.conn.recv()
            finally:
                self._give_long_slot()
        except (EOFError, OSError):
            return _DIED

    def _take_long_slot(self) -> bool:
        with self._long_lock:
            if self._long >= self.size:
                return False
            self._long += 1
            return True

    def _give_long_slot(self) -> None:
        with self._long_lock:
            self._long -= 1

    def _replace(self, w: _Worker) -> None:
        """Kill ``w`` now and put a spare in its place; load a successor in the background
        (a spare, or into service when no spare was left)."""
        self._stop(w)
        self._serving -= 1
        if self._closing:
            return
        while self._spare:
            spare = self._spare.pop()
            if spare.process.is_alive():
                self._enlist(spare)
                break
            self._stop(spare)
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._threads, self._spawn)

        def added(fut: asyncio.Future) -> None:
            if fut.cancelled() or fut.exception() is not None:
                log.error("could not restart a query worker: %s", fut.exception())
                return
            if self._closing or self._idle is None:
                self._stop(fut.result())
            else:
                self._enlist(fut.result())

        future.add_done_callback(added)

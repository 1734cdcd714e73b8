"""What every command shares: the ``--data`` / ``--endpoint`` options, opening the graph they
describe, and turning our errors into exits."""

from __future__ import annotations

import functools
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from tf_graph.engines import STORE_ENV
from tf_graph.errors import TfGraphError, one_line

if TYPE_CHECKING:
    from tf_graph.graph import TfGraph

#: commands that need the files' terms exactly as written (lexical forms of numbers kept for
#: export and push, pyshacl on its native graph)
EXACT = frozenset({"validate", "export", "push"})


def data_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--data FILE`` (repeatable): RDF files added to the shipped graph; with ``--store DIR``
    and ``--no-cache`` (where the Oxigraph index of those files lives, or none), which go to
    :func:`open_graph` through the click context, so that a command only adds this decorator."""

    @functools.wraps(func)
    def wrapper(*args: Any, store_dir: Path | None, no_cache: bool, **kwargs: Any) -> Any:
        meta = click.get_current_context().meta
        meta["tf_graph.store"] = store_dir
        meta["tf_graph.no_cache"] = no_cache
        return func(*args, **kwargs)

    wrapper = click.option(
        "--no-cache",
        is_flag=True,
        help="Load the files into memory for this command only; read and write no index.",
    )(wrapper)
    wrapper = click.option(
        "--store",
        "store_dir",
        default=None,
        metavar="DIR",
        type=click.Path(path_type=Path, file_okay=False),
        help=f"Folder of the on-disk index (default: ${STORE_ENV}, else ~/.cache/tf-graph).",
    )(wrapper)
    return click.option(
        "--data",
        "data",
        multiple=True,
        type=click.Path(path_type=Path, dir_okay=False),
        help="Extra RDF file (Turtle, N-Triples, JSON-LD, TriG) to add; repeatable.",
    )(wrapper)


def fail(message: str, code: int = 2) -> None:
    """Print a one-line error to stderr and exit with ``code``."""
    click.echo(f"error: {message}", err=True)
    raise SystemExit(code)


def reports_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Run a command body, turning our own errors into one line on stderr and an exit code.

    A damaged index (the engine reports a garbled database file) is removed and the command
    run once more, which rebuilds it; a second failure names the folder to delete. Running out
    of memory (past the limit, see :func:`guard_memory`) is one line too."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        for attempt in (1, 2):
            try:
                guard_memory()
                return func(*args, **kwargs)
            except (TfGraphError, RuntimeError, OSError) as err:
                removed = damaged_index(err)
                if removed is None:
                    if isinstance(err, TfGraphError):
                        fail(str(err), err.exit_code)
                    raise
                if attempt == 2 or not removed:
                    where = ", ".join(map(str, removed)) or "the index folder (see --store)"
                    fail(f"the index is damaged ({one_line(err, 160)}); delete {where}")
            except MemoryError:
                fail(over_memory_message())
        return None

    return wrapper


def damaged_index(err: BaseException) -> list[Path] | None:
    """None if ``err`` is not about a damaged index; else the damaged store folders this
    process opened, removed (the next open rebuilds them)."""
    store = sys.modules.get("tf_graph.engines.store")
    if store is None or not store.is_damage(err):
        return None
    return store.discard_damaged()


#: environment variable: the memory (MiB) one command may use (0: no limit)
MEMORY_ENV = "TF_GRAPH_MEMORY_MB"
DEFAULT_MEMORY_MB = 4096
#: how often the memory guard looks (seconds)
MEMORY_POLL_S = 0.02
_guarded: list[int] = []


def memory_limit_mb() -> int:
    """``$TF_GRAPH_MEMORY_MB`` (a whole number of MiB, 0 for none), else the default."""
    text = os.environ.get(MEMORY_ENV, "").strip()
    if not text:
        return DEFAULT_MEMORY_MB
    if not text.isdigit():
        raise TfGraphError(f"{MEMORY_ENV}={text!r}: expected a whole number of MiB (0: no limit)")
    return int(text)


def over_memory_message() -> str:
    return (
        f"the command needed more than {memory_limit_mb()} MiB of memory "
        f"(set {MEMORY_ENV} to raise the limit, 0 for none)"
    )


def guard_memory() -> None:
    """Bound what this process may allocate, once per process (Linux; elsewhere nothing).

    A query over a damaged index can make the engine collect errors without end (24 GB and
    more before the kernel kills it), and any query can be too big. The address space is
    capped at twice the limit (``RLIMIT_AS``: Python's allocations fail with MemoryError, one
    line); a thread checks it every 20 ms and, past the limit, stops the command with one line
    before the engine's own allocations hit the cap (they abort the process). A store found
    damaged then is removed and named, so the next command rebuilds it. Only when tf-graph is
    the program: a program calling the CLI in-process keeps its own limits.
    """
    limit = memory_limit_mb()
    if _guarded or not limit or not _is_the_program() or not os.path.exists("/proc/self/statm"):
        return
    import resource

    cap = 2 * limit << 20
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    if soft == resource.RLIM_INFINITY or soft > cap:
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    _guarded.append(limit)
    threading.Thread(target=_watch_memory, args=(limit << 20,), daemon=True).start()


def _is_the_program() -> bool:
    """Whether this process is ``tf-graph`` (or ``python -m tf_graph``): a program that calls
    the CLI in-process (a test runner, a notebook) keeps its own limits and threads."""
    program = Path(sys.argv[0] if sys.argv else "")
    return program.name in ("tf-graph", "tf-graph.exe") or program.parts[-2:] == (
        "tf_graph",
        "__main__.py",
    )


def _watch_memory(limit: int) -> None:
    page = os.sysconf("SC_PAGE_SIZE")
    with open("/proc/self/statm", "rb") as statm:
        while True:
            statm.seek(0)
            if int(statm.read().split()[0]) * page > limit:
                break
            threading.Event().wait(MEMORY_POLL_S)
    removed = damaged_index(RuntimeError("Corruption:")) if _index_opened() else None
    if removed:
        message = f"the index in {removed[0]} is damaged; it was removed: run the command again"
    else:
        message = over_memory_message()
    sys.stderr.write(f"error: {message}\n")
    sys.stderr.flush()
    os._exit(2)


def _index_opened() -> bool:
    store = sys.modules.get("tf_graph.engines.store")
    return bool(store and store.opened_folders)


def endpoint_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--endpoint URL`` and ``--graph IRI``: query a remote SPARQL endpoint instead of the
    shipped files. The values go to :func:`open_graph` through the click context, so that a
    command only adds this decorator."""

    @functools.wraps(func)
    def wrapper(*args: Any, endpoint: str | None, graph_iri: str | None, **kwargs: Any) -> Any:
        meta = click.get_current_context().meta
        meta["tf_graph.endpoint"] = endpoint
        meta["tf_graph.graph_iri"] = graph_iri
        return func(*args, **kwargs)

    wrapper = click.option(
        "--graph",
        "graph_iri",
        default=None,
        metavar="IRI",
        help="With --endpoint: query this named graph (default: the store's default graph).",
    )(wrapper)
    return click.option(
        "--endpoint",
        default=None,
        metavar="URL",
        help="Query this SPARQL endpoint (e.g. after tf-graph push) instead of the local files.",
    )(wrapper)


def open_graph(
    data: tuple[Path, ...] | list[Path] = (), meanwhile: Callable[[], object] | None = None
) -> TfGraph:
    """The one place commands get their graph: the shipped files + ``--data`` (with ``--store``
    and ``--no-cache``), or ``--endpoint`` (with ``--graph``), as the command's options say.
    The engine is chosen by :mod:`tf_graph.engines`; a command that must see the files'
    terms exactly as written (:data:`EXACT`) says so.

    ``meanwhile``: the command's own work (its imports) to do in this thread while the graph
    opens in another: Oxigraph loads the index's snapshot without holding the GIL (12 ms on
    the shipped graph), so on two cores the two overlap."""
    ctx = click.get_current_context(silent=True)
    meta = ctx.meta if ctx is not None else {}
    endpoint, graph_iri = meta.get("tf_graph.endpoint"), meta.get("tf_graph.graph_iri")
    if endpoint is not None and data:
        raise TfGraphError("--data cannot be combined with --endpoint (the store is read-only)")
    if graph_iri is not None and endpoint is None:
        raise TfGraphError("--graph needs --endpoint")
    from tf_graph.graph import open_graph as open_library_graph

    opener = functools.partial(
        open_library_graph,
        data,
        endpoint,
        graph_iri,
        store=meta.get("tf_graph.store"),
        cache=not meta.get("tf_graph.no_cache", False),
        exact=ctx is not None and ctx.info_name in EXACT,
    )  # (the options read here: click's context belongs to this thread)
    if meanwhile is None:
        return opener()
    return _overlapped(opener, meanwhile)


def _overlapped(opener: Callable[[], TfGraph], meanwhile: Callable[[], object]) -> TfGraph:
    """``opener()`` run in a thread while ``meanwhile()`` runs in this one; its graph, or its
    error raised here."""
    found: list[tuple[TfGraph | None, BaseException | None]] = []

    def run() -> None:
        try:
            found.append((opener(), None))
        except BaseException as err:  # (raised in the command's thread, below)
            found.append((None, err))

    thread = threading.Thread(target=run, name="tf-graph-open", daemon=True)
    thread.start()
    try:
        meanwhile()
    finally:
        thread.join()
    graph, error = found[0]
    if error is not None:
        raise error
    assert graph is not None
    return graph


def output_target(value: str) -> Path | str:
    """An ``-o`` value for :mod:`tf_graph.outputs`: ``"-"`` (standard output) stays the
    string; anything else is a path (so ``./-`` is a file named ``-``)."""
    from tf_graph.outputs import STDOUT

    return STDOUT if value == STDOUT else Path(value)

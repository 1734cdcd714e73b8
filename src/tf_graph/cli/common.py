"""What every command shares: the ``--data`` option and turning our errors into exits."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from tf_graph.errors import TfGraphError

#: environment variable choosing the local backend: "oxigraph" (default) or "memory" (rdflib)
BACKEND_ENV = "TF_GRAPH_BACKEND"
#: environment variable naming the index folder (tf_graph.engines.store reads it too)
STORE_ENV = "TF_GRAPH_STORE"
#: commands that need the files exactly as rdflib parses them (lexical forms of numbers kept
#: for export and push, pyshacl on its native graph): they always load into rdflib's memory
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
    """Run a command body, turning our own errors into one line on stderr and an exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except TfGraphError as err:
            fail(str(err), err.exit_code)

    return wrapper


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
    data: tuple[Path, ...] | list[Path] = (),
    endpoint: str | None = None,
    graph_iri: str | None = None,
):
    """The one place commands get their graph: shipped ontology + data + ``--data`` files,
    or a remote SPARQL endpoint (``--endpoint``, read-only, optionally one ``--graph``).

    Local files go through the on-disk Oxigraph index (see :func:`open_local_graph`).
    """
    ctx = click.get_current_context(silent=True)
    if endpoint is None and ctx is not None:
        endpoint = ctx.meta.get("tf_graph.endpoint")
        graph_iri = graph_iri or ctx.meta.get("tf_graph.graph_iri")
    if endpoint is not None:
        if data:
            raise TfGraphError("--data cannot be combined with --endpoint (the store is read-only)")
        from tf_graph.engines.remote import open_endpoint

        return open_endpoint(endpoint, graph_iri=graph_iri)
    if graph_iri is not None:
        raise TfGraphError("--graph needs --endpoint")
    return local_graph_opener(data, ctx)()


def open_local_graph(
    data: list[Path],
    command: str | None = None,
    store_dir: Path | None = None,
    no_cache: bool = False,
):
    """The shipped files + ``data``: through the cached Oxigraph index in ``store_dir`` (fast
    at any size; memory only with ``no_cache``), or parsed by rdflib into memory where a
    command needs rdflib's own terms (:data:`EXACT`) or ``TF_GRAPH_BACKEND=memory`` asks for
    it. Plain arguments, so that ``serve`` can hand it to its worker processes."""
    backend = os.environ.get(BACKEND_ENV, "oxigraph").strip().lower() or "oxigraph"
    if backend not in ("oxigraph", "memory"):
        raise TfGraphError(f"{BACKEND_ENV}={backend!r}: expected 'oxigraph' or 'memory'")
    if backend == "memory" or command in EXACT:
        from tf_graph.build.loading import load_graph

        return load_graph(data)
    from tf_graph.engines.store import open_store_graph
    from tf_graph.resources import core_files

    return open_store_graph(core_files() + data, store_dir=store_dir, use_cache=not no_cache)


def local_graph_opener(
    data: tuple[Path, ...] | list[Path], ctx: click.Context | None
) -> Callable[[], Any]:
    """A picklable function opening the graph as the command of ``ctx`` says (``--data``,
    ``--store``, ``--no-cache``, its name): ``serve`` hands it to its worker processes, which
    have no click context."""
    meta = ctx.meta if ctx is not None else {}
    return functools.partial(
        open_local_graph,
        list(data),
        ctx.info_name if ctx is not None else None,
        meta.get("tf_graph.store"),
        bool(meta.get("tf_graph.no_cache", False)),
    )


def output_target(value: str) -> Path | str:
    """An ``-o`` value for :mod:`tf_graph.outputs`: ``"-"`` (standard output) stays the
    string; anything else is a path (so ``./-`` is a file named ``-``)."""
    from tf_graph.outputs import STDOUT

    return STDOUT if value == STDOUT else Path(value)

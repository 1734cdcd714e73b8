"""What every command shares: the ``--data`` / ``--endpoint`` options, opening the graph they
describe, and turning our errors into exits."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from tf_graph.engines import STORE_ENV
from tf_graph.errors import TfGraphError

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


def open_graph(data: tuple[Path, ...] | list[Path] = ()) -> TfGraph:
    """The one place commands get their graph: the shipped files + ``--data`` (with ``--store``
    and ``--no-cache``), or ``--endpoint`` (with ``--graph``), as the command's options say.
    The engine is chosen by :mod:`tf_graph.engines`; a command that must see the files'
    terms exactly as written (:data:`EXACT`) says so."""
    ctx = click.get_current_context(silent=True)
    meta = ctx.meta if ctx is not None else {}
    endpoint, graph_iri = meta.get("tf_graph.endpoint"), meta.get("tf_graph.graph_iri")
    if endpoint is not None and data:
        raise TfGraphError("--data cannot be combined with --endpoint (the store is read-only)")
    if graph_iri is not None and endpoint is None:
        raise TfGraphError("--graph needs --endpoint")
    from tf_graph.graph import open_graph as open_library_graph

    return open_library_graph(
        data,
        endpoint,
        graph_iri,
        store=meta.get("tf_graph.store"),
        cache=not meta.get("tf_graph.no_cache", False),
        exact=ctx is not None and ctx.info_name in EXACT,
    )


def output_target(value: str) -> Path | str:
    """An ``-o`` value for :mod:`tf_graph.outputs`: ``"-"`` (standard output) stays the
    string; anything else is a path (so ``./-`` is a file named ``-``)."""
    from tf_graph.outputs import STDOUT

    return STDOUT if value == STDOUT else Path(value)

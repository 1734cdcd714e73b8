"""What every command shares: the ``--data`` option and turning our errors into exits."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..errors import TfGraphError


def data_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--data FILE`` (repeatable): RDF files added to the shipped graph."""
    return click.option(
        "--data",
        "data",
        multiple=True,
        type=click.Path(path_type=Path, dir_okay=False),
        help="Extra RDF file (Turtle, N-Triples, JSON-LD, TriG) to add; repeatable.",
    )(func)


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

    Later options (the on-disk store) are decided here, so that every command takes them alike.
    """
    ctx = click.get_current_context(silent=True)
    if endpoint is None and ctx is not None:
        endpoint = ctx.meta.get("tf_graph.endpoint")
        graph_iri = graph_iri or ctx.meta.get("tf_graph.graph_iri")
    if endpoint is not None:
        if data:
            raise TfGraphError("--data cannot be combined with --endpoint (the store is read-only)")
        from ..remote import open_endpoint

        return open_endpoint(endpoint, graph_iri=graph_iri)
    if graph_iri is not None:
        raise TfGraphError("--graph needs --endpoint")
    from ..loading import load_graph

    return load_graph(list(data))

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


def open_graph(data: tuple[Path, ...] | list[Path] = ()):
    """The one place commands get their graph: shipped ontology + data + ``--data`` files.

    Later options (a remote ``--endpoint``, the on-disk store) are decided here, so that every
    command takes them alike.
    """
    from ..loading import load_graph

    return load_graph(list(data))

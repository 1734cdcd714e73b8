"""The one place a query runs in an Oxigraph store, for the question path's reader
(:class:`.index.IndexGraph`) and for the rdflib view (:mod:`.oxigraph_view`): the bindings as
substitutions (the engine binds them; the query text is never edited), and a final ORDER BY of
projected variables done in Python (:mod:`.ordering`). Apart from both so that neither imports
the other.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from tf_graph.engines.ordering import sort_rows, split_order_by

#: Oxigraph's refusal to bind a variable the SELECT list leaves out (rdflib's engine can)
UNPROJECTED = re.compile(r"does not contains? variable \?(\w+) in its SELECT projection")


def refusal(err: Exception) -> str | None:
    """Why Oxigraph refused a query that rdflib's engine answers (None: a real error): it
    cannot parse it, or a variable bound by the caller is not in the SELECT list (Oxigraph
    binds only projected variables). Both readers of the store fall back on that."""
    if isinstance(err, SyntaxError):
        return "Oxigraph cannot parse this query"
    if isinstance(err, RuntimeError) and UNPROJECTED.search(str(err)) is not None:
        return "a bound variable is not in the SELECT list"
    return None


@dataclass
class Solved:
    """A query's answer in the terms ``convert`` made: ``kind`` SELECT (``vars`` the names,
    ``rows`` keyed by ``columns``: the names, or what ``column`` made of them), ASK
    (``boolean``) or CONSTRUCT (``triples``)."""

    kind: str
    vars: list[str] = field(default_factory=list)
    columns: list[Any] = field(default_factory=list)
    rows: list[dict[Any, Any]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Any, Any, Any]] = field(default_factory=list)


def solve(
    store: ox.Store,
    query: str,
    options: dict[str, Any],
    convert: Callable[[Any], Any],
    column: Callable[[str], Any] = str,
) -> Solved:
    """Run ``query`` in ``store`` (``options``: pyoxigraph's ``Store.query`` keywords); terms
    converted by ``convert`` (each distinct term once, see :func:`.terms.light_converter`),
    rows keyed by ``column(name)``. Raises what pyoxigraph raises (SyntaxError for a query it
    cannot parse)."""
    split = split_order_by(query)
    if split is not None:
        answer = store.query(split[0], **options)
        names = {v.value for v in getattr(answer, "variables", ())}
        if all(name in names for name, _ in split[1]):  # (else dropped unread)
            solved = _solved(answer, convert, column)
            rows = sort_rows(solved.rows, split[1], solved.columns)
            if rows is not None:
                solved.rows = rows
                return solved
    return _solved(store.query(query, **options), convert, column)


def _solved(answer: Any, convert: Callable[[Any], Any], column: Callable[[str], Any]) -> Solved:
    if isinstance(answer, ox.QueryBoolean):
        return Solved("ASK", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        names = [v.value for v in answer.variables]
        keys = [column(name) for name in names]
        rows = [dict(zip(keys, map(convert, solution), strict=True)) for solution in answer]
        return Solved("SELECT", vars=names, columns=keys, rows=rows)
    triples = [(convert(t.subject), convert(t.predicate), convert(t.object)) for t in answer]
    return Solved("CONSTRUCT", triples=triples)

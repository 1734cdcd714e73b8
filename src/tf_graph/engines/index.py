"""The Oxigraph index as the question path reads it: queries run in Oxigraph and their rows
come back as light terms (:mod:`.terms`), without rdflib.

An :class:`IndexGraph` answers ``query(text, initBindings=...)`` with a result shaped like
rdflib's (``type``, ``vars``, ``bindings``, ``askAnswer``, ``graph``), so
:func:`tf_graph.questions.queries.execute` reads both alike; ``rdf`` is the rdflib view of the
same store (:mod:`.oxigraph_view`), made on first use, for whatever needs rdflib (drawing,
validation, a query Oxigraph cannot parse).

:func:`solve` is the one place a query runs in the store, for this and for the rdflib view: the
bindings as substitutions (the engine binds them; the query text is never edited), and a final
ORDER BY of projected variables done in Python (:mod:`.ordering`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from tf_graph.engines.ordering import sort_rows, split_order_by
from tf_graph.engines.terms import light_converter, to_light, to_ox
from tf_graph.namespaces import PREFIX_IRIS

if TYPE_CHECKING:
    from rdflib import Graph

#: Oxigraph's refusal to bind a variable the SELECT list leaves out (rdflib's engine can)
UNPROJECTED = re.compile(r"does not contains? variable \?(\w+) in its SELECT projection")


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


class IndexResult:
    """A query's answer on the index, read as :func:`tf_graph.questions.queries.execute`
    reads an rdflib ``Result``."""

    #: the terms are light already (execute need not make them plain)
    plain_terms = True

    def __init__(self, solved: Solved) -> None:
        self.type = solved.kind
        self.vars = solved.vars
        self.bindings = solved.rows
        self.askAnswer = solved.boolean  # noqa: N815 - rdflib's name
        self.graph = solved.triples if solved.kind == "CONSTRUCT" else None


class IndexGraph:
    """The Oxigraph index of some files, answering in light terms.

    ``folder``: where the index lives on disk (None for one in memory), ``build_id``: what
    identifies its build (:class:`.store.OpenedStore`), ``triples``: how many it holds."""

    #: terms made for this graph are light ones (:func:`.terms.make_iri`)
    light_terms = True
    #: bindings are substitutions, seen by every pattern (not a trailing VALUES block)
    binds_before_evaluation = True

    def __init__(
        self, store: ox.Store, folder: Path | None, build_id: str | None, triples: int
    ) -> None:
        self.inner = store
        self.folder = folder
        self.build_id = build_id
        self.triples = triples
        self._rdf: Graph | None = None

    @property
    def store(self) -> IndexGraph:
        """(What ``graph.store`` is asked about: how bindings are seen.)"""
        return self

    @property
    def rdf(self) -> Graph:
        """The rdflib view of the same store (rdflib imported on first use)."""
        if self._rdf is None:
            from tf_graph.engines.oxigraph_view import wrap_graph

            self._rdf = wrap_graph(self.inner)
        return self._rdf

    def query(self, text: str, initBindings: Mapping[str, Any] | None = None) -> Any:  # noqa: N803
        """The answer of ``text`` with ``initBindings`` (name -> term) bound by Oxigraph.
        A query Oxigraph cannot parse, or a binding of a variable the SELECT list leaves out,
        goes to the rdflib view (rdflib's engine and its messages, as on the memory graph)."""
        bindings = dict(initBindings or {})
        options = {
            "prefixes": PREFIX_IRIS,
            "substitutions": {ox.Variable(k): to_ox(v) for k, v in bindings.items()},
        }
        try:
            return IndexResult(solve(self.inner, text, options, light_converter()))
        except SyntaxError:
            pass
        except RuntimeError as err:
            if UNPROJECTED.search(str(err)) is None:
                raise
        return self._through_rdflib(text, bindings)

    def _through_rdflib(self, text: str, bindings: Mapping[str, Any]) -> Any:
        from tf_graph.engines.terms import to_rdflib

        result = self.rdf.query(text, initBindings={k: to_rdflib(v) for k, v in bindings.items()})
        if result.type == "ASK":
            return IndexResult(Solved("ASK", boolean=bool(result.askAnswer)))
        if result.type != "SELECT":
            triples = [tuple(map(to_light, t)) for t in result.graph or ()]
            return IndexResult(Solved("CONSTRUCT", triples=triples))  # type: ignore[arg-type]
        variables = list(result.vars or ())
        names = [str(v) for v in variables]
        rows = [
            {name: to_light(b.get(v)) for name, v in zip(names, variables, strict=True)}
            for b in result.bindings
        ]
        return IndexResult(Solved("SELECT", vars=names, rows=rows))

    def __len__(self) -> int:
        return self.triples

    def __repr__(self) -> str:
        return f"<IndexGraph {self.folder or 'in memory'}: {self.triples} triples>"

"""The Oxigraph index as the question path reads it: queries run in Oxigraph and their rows
come back as light terms (:mod:`.terms`), without rdflib.

An :class:`IndexGraph` answers ``query(text, initBindings=...)`` with a result shaped like
rdflib's (``type``, ``vars``, ``bindings``, ``askAnswer``, ``graph``), so
:func:`tf_graph.questions.queries.execute` reads both alike; ``rdf`` is the rdflib view of the
same store (:mod:`.oxigraph_view`), made on first use, for whatever needs rdflib (drawing,
validation, a query Oxigraph cannot parse).

:func:`.solving.solve` is the one place a query runs in the store, for this and for the rdflib
view.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from tf_graph.engines.solving import Solved, refusal, solve
from tf_graph.engines.terms import light_converter, to_light, to_ox
from tf_graph.namespaces import PREFIX_IRIS

if TYPE_CHECKING:
    from rdflib import Graph


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
        except (SyntaxError, RuntimeError) as err:
            if refusal(err) is None:
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

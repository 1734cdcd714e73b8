"""Running SPARQL on a graph: a query's rows as plain terms, labels for display, and lookup
queries filled with many resources at once.

The catalogue of named queries is :mod:`tf_graph.questions.catalogue`, their parameters
:mod:`tf_graph.questions.params`, and running a named query with its parameters
:mod:`tf_graph.questions.run`.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypeGuard

from tf_graph import resources
from tf_graph.engines.rdflib_parse import parsed
from tf_graph.engines.terms import XSD_STRING, is_iri, is_literal, make_iri
from tf_graph.errors import QueryError, TfGraphError
from tf_graph.errors import one_line as _one_line
from tf_graph.iris import is_iri as is_iri_text
from tf_graph.questions.catalogue import QuerySpec

if TYPE_CHECKING:
    from rdflib import Graph

#: a term: rdflib's, or a light one (:mod:`tf_graph.engines.terms`) from the index's reader
Node = Any
Identifier = Any


@dataclass
class QueryResult:
    """Rows of a query: ``vars`` in order, ``rows`` as var -> term (None when unbound), rdflib
    terms or light ones (:mod:`tf_graph.engines.terms`) as the graph it ran on answers.

    ``bindings`` are the resolved parameters, ``labels`` the labels of the IRIs in the rows
    (for display), ``boolean`` the answer of an ASK query.
    """

    vars: list[str]
    rows: list[dict[str, Node | None]]
    sparql: str
    bindings: dict[str, Identifier]
    spec: QuerySpec
    labels: dict[str, str] = field(default_factory=dict)
    boolean: bool | None = None

    def label(self, term: Node | None) -> str:
        """How a cell reads: an IRI's label (else its last segment), a literal's text."""
        if term is None:
            return ""
        if is_iri(term):
            text = str(term)
            return self.labels.get(text) or text.rstrip("/").rsplit("/", 1)[-1].rsplit("#")[-1]
        return str(term)


def execute(
    graph: Graph, text: str, bindings: Mapping[str, Identifier], where: str
) -> tuple[list[str], list[dict[str, Node | None]], bool | None]:
    """Evaluate a query; SELECT rows, an ASK answer, or CONSTRUCT/DESCRIBE triples as rows."""
    try:
        result = graph.query(_for_engine(graph, text), initBindings=dict(bindings))
        kind = result.type
        if kind == "ASK":
            return [], [], bool(result.askAnswer)
        if kind in ("CONSTRUCT", "DESCRIBE"):
            assert result.graph is not None  # a CONSTRUCT or DESCRIBE gives a graph
            triples = sorted(result.graph, key=lambda t: tuple(str(x) for x in t))
            names = ["subject", "predicate", "object"]
            return names, [dict(zip(names, t, strict=True)) for t in triples], None
        variables = list(result.vars or [])
        names = [str(v) for v in variables]
        # the bindings themselves: a ResultRow per row (``for row in result``) costs more;
        # terms a store already gave in plain form (``plain_terms``) are taken as they are
        plain = (lambda term: term) if getattr(result, "plain_terms", False) else _plain
        rows = [
            dict(zip(names, map(plain, map(b.get, variables)), strict=True))
            for b in result.bindings
        ]
    except TfGraphError:
        raise
    except Exception as err:  # noqa: BLE001 - a store's failure becomes one line
        if _is_parse_error(err):
            raise QueryError(
                f"{where}:{err.lineno}:{err.col}: SPARQL syntax error: {_one_line(err.msg)}"
            ) from None
        raise QueryError(f"{where}: query failed: {_one_line(err)}") from None
    return names, rows, None


def _for_engine(graph: Graph, text: str) -> Any:
    """``text`` as the graph's engine takes it: parsed once per text (and prefixes) for
    rdflib's own SPARQL engine (over rdflib's memory stores), which else parses it on every
    run, 0.1-0.3 s a named query: most of a run on a small graph (the rows are the same); the
    text itself for a store with its own engine (Oxigraph)."""
    memory = sys.modules.get("rdflib.plugins.stores.memory")
    if memory is None or not isinstance(
        getattr(graph, "store", None), (memory.Memory, memory.SimpleMemory)
    ):
        return text
    return parsed(text, None, graph.namespaces())


class _ParseError(Protocol):
    """What a pyparsing ``ParseException`` tells of where a query fails."""

    lineno: int
    col: int
    msg: str


def _is_parse_error(err: Exception) -> TypeGuard[_ParseError]:
    """rdflib's parser failed (pyparsing's ParseException). Checked without importing
    pyparsing, 20 ms of a command whose query Oxigraph parses: if rdflib's parser ran, it is
    imported already."""
    pyparsing = sys.modules.get("pyparsing")
    return pyparsing is not None and isinstance(err, pyparsing.ParseException)


def _plain(term: Any) -> Any:
    """``"x"^^xsd:string`` as ``"x"``: the same RDF 1.1 term, which stores write either way."""
    if is_literal(term) and term.datatype is not None and str(term.datatype) == XSD_STRING:
        return type(term)(str(term))
    return term


def fetch_labels(graph: Graph, result: QueryResult) -> dict[str, str]:
    """Labels of the IRIs in the rows: from ``xLabel`` columns, else one SPARQL lookup."""
    labels: dict[str, str] = {}
    twins = [(name, f"{name}Label") for name in result.vars if f"{name}Label" in result.vars]
    for row in result.rows:
        for name, label_name in twins:
            term, twin = row.get(name), row.get(label_name)
            if twin is not None and is_iri(term):
                labels.setdefault(str(term), str(twin))
    iris = {t for row in result.rows for t in row.values() if is_iri(t)}
    iris.update(t for t in result.bindings.values() if is_iri(t))
    missing = {str(t) for t in iris if str(t) not in labels}
    # labels are a nicety: a failed lookup (an endpoint gone away) leaves raw IRIs, which read
    with contextlib.suppress(TfGraphError):
        for row in run_for_each(graph, "lookup/labels-of", missing):
            labels.setdefault(str(row["resource"]), str(row["label"]))
    return labels


#: resources per query of :func:`run_for_each`
EACH_CHUNK = 500


def run_for_each(
    graph: Graph, name: str, iris: Iterable[str], variable: str = "resource"
) -> list[dict[str, Node | None]]:
    """The rows of lookup query ``name`` (``queries/NAME.rq``) for many resources at once,
    each IRI a row of a trailing ``VALUES ?resource`` block
    (:func:`tf_graph.engines.values.append_values`), :data:`EACH_CHUNK` per query.

    Why a VALUES block and not ``initBindings``: a binding holds one value, and a query per
    resource cost a tenth of a second for the 1,433 agencies of a large answer. The block is
    written by the one function that writes every VALUES block, which checks and escapes each
    term: IRIs that cannot be written (they come from the graph, never from a user) are
    skipped.
    """
    from tf_graph.engines.values import append_values

    text = (resources.queries_dir() / f"{name}.rq").read_text("utf-8")
    safe = [make_iri(graph, iri) for iri in sorted(set(iris)) if is_iri_text(iri)]
    rows: list[dict[str, Node | None]] = []
    for start in range(0, len(safe), EACH_CHUNK):
        chunk = [{variable: iri} for iri in safe[start : start + EACH_CHUNK]]
        names, found, _ = execute(graph, append_values(text, chunk), {}, where=name)
        if variable not in names:
            raise QueryError(f"{name}: no ?{variable} in its SELECT list to fill")
        rows += found
    return rows

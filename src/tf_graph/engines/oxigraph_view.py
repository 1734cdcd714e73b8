"""rdflib's read-only view of a pyoxigraph store: terms converted both ways, and an rdflib
``Store`` that reads triples, counts them and keeps prefixes.

Why our own and not oxrdflib's ``OxigraphStore``: importing oxrdflib imports rdflib's whole
SPARQL parser (for one ``isinstance`` check), 50 ms of every command, a quarter of the shipped
graph's ``ask``. tf-graph never writes through rdflib (the index is built with pyoxigraph), so
the view refuses writes with a clear error. Queries are answered by the subclass in
:mod:`tf_graph.engines.store`.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from itertools import islice
from typing import Any, NamedTuple, cast

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import XSD
from rdflib.query import Result
from rdflib.store import Store
from rdflib.term import Node, Variable

from tf_graph.engines.solving import refusal, solve
from tf_graph.engines.terms import memoised
from tf_graph.namespaces import PREFIXES

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class Solutions(NamedTuple):
    """A SELECT's variable names and rows (variable name -> rdflib term, unbound left out)."""

    variables: list[str]
    rows: list[dict[str, Node]]


class ReadOnlyStoreError(TypeError):
    """A write through the rdflib view of the index (it is rebuilt from the files instead)."""


def graph_to_ox(graph: Any) -> Any:
    """The pyoxigraph graph name of an rdflib graph or graph identifier (None: every graph);
    rdflib's ``DATASET_DEFAULT_GRAPH_ID`` is Oxigraph's default graph."""
    if isinstance(graph, Graph):
        graph = graph.identifier
    if graph == DATASET_DEFAULT_GRAPH_ID:
        return ox.DefaultGraph()
    return to_ox(graph)


def to_ox(term: Any) -> Any:
    """The pyoxigraph term of an rdflib term (None stays None)."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        return ox.NamedNode(term)
    if isinstance(term, BNode):
        return ox.BlankNode(term)
    if isinstance(term, Literal):
        datatype = ox.NamedNode(term.datatype) if term.datatype else None
        return ox.Literal(term, language=term.language, datatype=datatype)
    raise ValueError(f"not an RDF term: {term!r}")


def from_ox(term: Any) -> Any:
    """The rdflib term of a pyoxigraph term, as rdflib's parser makes it: ``"x"^^xsd:string``
    comes back as the plain literal ``"x"`` (the same RDF 1.1 term, which rdflib keeps apart,
    so rows would differ from the memory backend's). A quoted triple becomes a tuple."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Triple):
        return from_ox(term.subject), from_ox(term.predicate), from_ox(term.object)
    raise ValueError(f"not an Oxigraph term: {term!r}")


def term_converter() -> Any:
    """A function from pyoxigraph terms to rdflib's (plain literals, see
    :func:`from_ox`) that converts each distinct term once."""
    return memoised(from_ox)


class OxigraphView(Store):
    """An rdflib ``Store`` reading a pyoxigraph store; the default graph is rdflib's
    ``DATASET_DEFAULT_GRAPH_ID``, so ``Graph(store=view, identifier=DATASET_DEFAULT_GRAPH_ID)``
    reads what the files loaded."""

    context_aware = True
    formula_aware = False
    transaction_aware = False
    graph_aware = True

    def __init__(self, store: ox.Store) -> None:
        super().__init__()
        self._inner = store
        self._namespace_for_prefix: dict[str, URIRef] = {}
        self._prefix_for_namespace: dict[URIRef, str] = {}

    # --- reading ------------------------------------------------------------------------------

    def triples(self, triple_pattern: Any, context: Any = None) -> Iterator[Any]:
        try:
            pattern = [*map(to_ox, triple_pattern), graph_to_ox(context)]
            quads = self._inner.quads_for_pattern(*pattern)
        except (TypeError, ValueError):  # a term that cannot stand there (a literal subject,
            return  # a variable): no triple matches
        for quad in quads:
            triple = (from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object))
            # the graph made only if asked for: rdflib's Graph.triples never asks
            yield triple, map(self._graph_of, (quad.graph_name,))

    def __len__(self, context: Any = None) -> int:
        if context is None:  # every graph, a triple in two of them counted once
            options: dict[str, Any] = {"use_default_graph_as_union": True}
        else:
            options = {"default_graph": graph_to_ox(context)}
        query = "SELECT (COUNT(*) AS ?c) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
        solutions = self._inner.query(query, **options)
        assert isinstance(solutions, ox.QuerySolutions)  # a SELECT gives solutions
        return int(next(iter(solutions))[0].value)

    def contexts(self, triple: Any = None) -> Generator[Graph, None, None]:
        if triple is None:
            names: Any = self._inner.named_graphs()
        else:
            names = (quad.graph_name for quad in self._inner.quads_for_pattern(*map(to_ox, triple)))
        return (self._graph_of(name) for name in names)

    def _graph_of(self, name: Any) -> Graph:
        identifier = DATASET_DEFAULT_GRAPH_ID if isinstance(name, ox.DefaultGraph) else None
        return Graph(store=self, identifier=identifier or from_ox(name))

    # --- prefixes (rdflib's namespace manager keeps them in the store) -------------------------

    def bind(self, prefix: str, namespace: URIRef, override: bool = True) -> None:
        if not override and (
            prefix in self._namespace_for_prefix or namespace in self._prefix_for_namespace
        ):
            return
        old_namespace = self._namespace_for_prefix.pop(prefix, None)
        if old_namespace is not None:
            self._prefix_for_namespace.pop(old_namespace, None)
        old_prefix = self._prefix_for_namespace.pop(namespace, None)
        if old_prefix is not None:
            self._namespace_for_prefix.pop(old_prefix, None)
        self._namespace_for_prefix[prefix] = namespace
        self._prefix_for_namespace[namespace] = prefix

    def prefix(self, namespace: URIRef) -> str | None:
        return self._prefix_for_namespace.get(namespace)

    def namespace(self, prefix: str) -> URIRef | None:
        return self._namespace_for_prefix.get(prefix)

    def namespaces(self) -> Iterator[tuple[str, URIRef]]:
        yield from self._namespace_for_prefix.items()

    # --- writing: refused ---------------------------------------------------------------------

    def _read_only(self, *args: Any, **kwargs: Any) -> None:
        raise ReadOnlyStoreError(
            "the Oxigraph index is read-only through rdflib: change the data files instead "
            "(the index is rebuilt from them)"
        )

    add = addN = remove = update = add_graph = remove_graph = _read_only  # noqa: N815


# --- the view of the index: queries answered in Oxigraph ------------------------------------


def wrap_graph(store: ox.Store) -> Graph:
    """``rdflib.Graph`` over ``store`` with the project's prefixes bound.

    The identifier must be rdflib's default-graph IRI: the view maps it to Oxigraph's default
    graph, where the files were loaded (a fresh blank-node identifier would query an empty graph).
    """
    graph = Graph(store=NormalisingOxigraphStore(store), identifier=DATASET_DEFAULT_GRAPH_ID)
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return graph


#: datatypes whose values Oxigraph stores in canonical form ("87000000.0" comes back "87000000")
CANONICALISED = {XSD.decimal, XSD.integer, XSD.double, XSD.float, XSD.boolean}


def comparable(term: Any) -> Any:
    """A key under which a term from either backend compares equal: the value of numbers
    (whose spelling Oxigraph canonicalises), the term itself otherwise."""
    if isinstance(term, Literal) and term.datatype in CANONICALISED:
        return ("literal", str(term.datatype), term.toPython())
    return term


class _PlainResult(Result):
    """A SELECT result whose terms Oxigraph gave and :func:`from_ox` made plain already
    (``queries.execute`` need not normalise them again)."""

    plain_terms = True


class NormalisingOxigraphStore(OxigraphView):
    """The rdflib view of the index, answering queries as the in-memory rdflib graph answers.

    - Terms come back as rdflib's parser makes them (plain literals, see :func:`from_ox`),
      each distinct term converted once.
    - ``initBindings`` go to Oxigraph as substitutions (``Store.query(substitutions=...)``,
      SPARQL-dev SEP-0007): the engine binds them, the query text is never edited
      (:func:`.solving.solve`, which the question path's :class:`.index.IndexGraph` runs too).
    - What Oxigraph refuses goes to rdflib's own SPARQL engine (running over this store) by
      raising NotImplementedError, which ``Graph.query`` answers with that fallback: a query
      Oxigraph cannot parse (so the user sees rdflib's line and column, as on the memory
      backend), or a binding of a variable the SELECT list leaves out (Oxigraph binds only
      projected variables).
    """

    #: how many queries went to rdflib's engine (the backend comparison test reports it)
    fallbacks = 0

    def query(self, query: Any, initNs: Any, initBindings: Any, queryGraph: Any, **kwargs: Any):  # noqa: N803
        try:
            return self._run(query, initNs, initBindings or {}, queryGraph, **kwargs)
        except (SyntaxError, RuntimeError) as err:
            reason = refusal(err)
            if reason is None:
                raise
            return self._fallback(reason)

    def _run(self, query: str, initNs: Any, initBindings: Any, queryGraph: Any, **kwargs: Any):  # noqa: N803
        """The query in Oxigraph (:func:`.solving.solve`), as an rdflib ``Result``."""
        if not isinstance(query, str):  # a parsed query: rdflib's engine answers it
            raise NotImplementedError("parsed queries are not supported by Oxigraph store")
        for kwarg in kwargs:
            raise NotImplementedError(f"The parameter {kwarg} is not supported by Oxigraph store")
        options = {
            "use_default_graph_as_union": queryGraph == "__UNION__",
            "default_graph": graph_to_ox(queryGraph) if isinstance(queryGraph, Node) else None,
            "prefixes": dict(self._namespace_for_prefix, **initNs),
            "substitutions": {ox.Variable(k): to_ox(v) for k, v in initBindings.items()},
        }
        solved = solve(self._inner, query, options, term_converter(), Variable)
        if solved.kind == "ASK":
            result = Result("ASK")
            result.askAnswer = bool(solved.boolean)
        elif solved.kind == "SELECT":
            result = _PlainResult("SELECT")
            result.vars = solved.columns
            result.bindings = cast(Any, solved.rows)  # (keyed by Variables: ``column``)
        else:
            result = Result("CONSTRUCT")
            result.graph = Graph()
            result.graph += solved.triples
        return result

    def _fallback(self, why: str) -> Any:
        type(self).fallbacks += 1
        raise NotImplementedError(why)

    def select_or_ask(self, text: str, limit: int) -> Solutions | bool | None:
        """A SELECT's variables and first ``limit`` rows (each a mapping of the variables it
        binds to rdflib terms), or an ASK's answer, evaluated by Oxigraph over the default
        graph and read lazily (a runaway answer stops at ``limit``); None for another form,
        or a query Oxigraph cannot parse (rdflib's engine answers those). Evaluation errors
        are raised as Oxigraph raises them. For an endpoint (tf_graph.server.worker): the
        text as a client sent it, its prefixes those the graph binds."""
        try:
            answer = self._inner.query(text, prefixes=dict(self._namespace_for_prefix))
        except SyntaxError:
            return None
        if isinstance(answer, ox.QueryBoolean):
            return bool(answer)
        if not isinstance(answer, ox.QuerySolutions):
            return None
        convert = term_converter()
        names = [v.value for v in answer.variables]
        rows = []
        for solution in islice(answer, limit):
            pairs = zip(names, solution, strict=True)
            rows.append({name: convert(term) for name, term in pairs if term is not None})
        return Solutions(names, rows)

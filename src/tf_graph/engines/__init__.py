"""Engines: where SPARQL runs, and the one place that chooses among them.

Every engine gives the same thing, an ``rdflib.Graph`` whose ``query(text, initBindings=...)``
binds parameters through the engine itself (``open``); and a reader for the question path
(``reader``): the same graph, except for the index, whose reader (:class:`.index.IndexGraph`)
answers in light terms (:mod:`.terms`) without importing rdflib:

- ``index``: the shipped files (and any extra ones) in an on-disk Oxigraph index, built once
  and reused (:mod:`.store`); fast at any size. The default.
- ``memory``: the files parsed by rdflib into memory (:mod:`tf_graph.build.loading`): the terms
  exactly as written (lexical forms of numbers kept), for validation, export and push; or
  chosen with ``TF_GRAPH_BACKEND=memory``.
- ``remote``: a SPARQL endpoint over HTTP, read-only (:mod:`.remote`).

A :class:`Source` says what to open; :func:`choose` picks the engine for it. A source is
plain data, so it can be handed to another process (the server's query workers open their
own copy with :func:`open_source`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from tf_graph.errors import TfGraphError

if TYPE_CHECKING:
    from rdflib import Graph

#: environment variable choosing the local engine: "oxigraph" (the index, default) or "memory"
BACKEND_ENV = "TF_GRAPH_BACKEND"
#: environment variable naming the index folder (tf_graph.engines.store reads it too)
STORE_ENV = "TF_GRAPH_STORE"


@dataclass(frozen=True)
class Source:
    """What to open: the shipped files plus ``data``, or the SPARQL ``endpoint`` (optionally one
    named ``graph`` of it). ``store``: the index folder (default: ``$TF_GRAPH_STORE``, else
    ``~/.cache/tf-graph``); ``cache=False``: build the index in memory for this run only;
    ``exact``: the terms exactly as the files write them (rdflib's own parse)."""

    data: tuple[Path, ...] = ()
    endpoint: str | None = None
    graph: str | None = None
    store: Path | None = None
    cache: bool = True
    exact: bool = False

    def __post_init__(self) -> None:
        if self.endpoint is not None and self.data:
            raise TfGraphError("extra data files cannot be added to an endpoint (it is read-only)")
        if self.graph is not None and self.endpoint is None:
            raise TfGraphError("a named graph needs an endpoint")


class Engine(Protocol):
    """One way of running SPARQL: its name and how it opens a source as an rdflib Graph, or
    as what the question path reads (:func:`rdflib_graph` gives the rdflib Graph of that)."""

    name: str

    def open(self, source: Source) -> Graph: ...

    def reader(self, source: Source) -> Any: ...


def rdflib_graph(reader: Any) -> Graph:
    """The rdflib Graph of what an engine's ``reader`` gave (the index's rdflib view)."""
    from tf_graph.engines.terms import is_light

    return reader.rdf if is_light(reader) else reader


class IndexEngine:
    """The on-disk Oxigraph index of the shipped files and ``source.data``."""

    name = "oxigraph"

    def open(self, source: Source) -> Graph:
        return self.reader(source).rdf

    def reader(self, source: Source) -> Any:
        from tf_graph.engines.store import open_index_graph
        from tf_graph.resources import core_files

        files = core_files() + list(source.data)
        return open_index_graph(files, store_dir=source.store, use_cache=source.cache)


class MemoryEngine:
    """rdflib's in-memory graph of the shipped files and ``source.data``."""

    name = "memory"

    def open(self, source: Source) -> Graph:
        from tf_graph.build.loading import load_graph

        return load_graph(source.data)

    def reader(self, source: Source) -> Any:
        return self.open(source)


class RemoteEngine:
    """A SPARQL endpoint, read-only."""

    name = "remote"

    def reader(self, source: Source) -> Any:
        return self.open(source)

    def open(self, source: Source) -> Graph:
        from tf_graph.engines.remote import open_endpoint

        if source.endpoint is None:  # pragma: no cover - choose() picks this engine only so
            raise TfGraphError("no endpoint to open")
        return open_endpoint(source.endpoint, graph_iri=source.graph)


ENGINES: dict[str, Engine] = {e.name: e for e in (IndexEngine(), MemoryEngine(), RemoteEngine())}


def choose(source: Source) -> Engine:
    """The engine for ``source``: the endpoint's when there is one; rdflib's memory for exact
    terms or when ``TF_GRAPH_BACKEND=memory``; else the Oxigraph index."""
    if source.endpoint is not None:
        return ENGINES["remote"]
    backend = os.environ.get(BACKEND_ENV, "oxigraph").strip().lower() or "oxigraph"
    if backend not in ("oxigraph", "memory"):
        raise TfGraphError(f"{BACKEND_ENV}={backend!r}: expected 'oxigraph' or 'memory'")
    return ENGINES["memory" if source.exact else backend]


def open_source(source: Source) -> Graph:
    """The graph of ``source``, opened by the engine :func:`choose` picks."""
    return choose(source).open(source)

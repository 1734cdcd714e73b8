"""The library's face: one object that commands, the server and Python users work through.

>>> import tf_graph
>>> graph = tf_graph.open_graph()
>>> rows = graph.query("agencies-by-topic", topic="forced labor").rows
>>> print(rows[0]["agencyLabel"], rows[0]["role"])
Department of Commerce lead
>>> print(graph.ask("Who chairs the PITF?").subjects[0][1])
Department of State (DOS)

The object is thin: each method hands over to the library module that does the job
(:mod:`tf_graph.questions`), and the engine behind it is chosen by :mod:`tf_graph.engines`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from tf_graph.engines import Source, choose, rdflib_graph

if TYPE_CHECKING:
    from rdflib import Graph

    from tf_graph.questions.ask import Answer
    from tf_graph.questions.profile import Profile
    from tf_graph.questions.queries import QueryResult


class TfGraph:
    """The graph of one :class:`~tf_graph.engines.Source`.

    ``rdf`` is the rdflib Graph underneath (for validation, export, drawing and anything
    rdflib does; made on first use for the index); ``reader`` what questions read (the
    index's reader answers in light terms, without rdflib: :mod:`tf_graph.engines.terms`);
    ``source`` what it was opened from (plain data: another process can open the same graph
    with ``source``); ``engine`` the name of the engine that runs its queries.
    """

    def __init__(self, source: Source) -> None:
        engine = choose(source)
        self.source = source
        self.engine = engine.name
        self.reader = engine.reader(source)

    @property
    def rdf(self) -> Graph:
        return rdflib_graph(self.reader)

    def query(self, name_or_text: str, /, **params: object) -> QueryResult:
        """Run a named query (``tf-graph queries`` lists them), a ``.rq`` file or SPARQL text.

        Parameters are given by name; a value is a label, abbreviation, slug or IRI of a
        resource (or a year, month or number, as the query's header declares) and is bound
        by the engine. ``.rows`` are mappings from variable name to rdflib term (None when
        unbound), ``.vars`` the columns in order, ``.boolean`` an ASK query's answer."""
        from tf_graph.questions.run import run_query

        return run_query(self.rdf, name_or_text, {k: str(v) for k, v in params.items()})

    def ask(self, question: str) -> Answer:
        """A plain-English question's answer, with the evidence behind each row."""
        from tf_graph.questions.ask import answer

        return answer(self.reader, question)

    def show(self, entity: str) -> Profile:
        """Everything the graph says about one resource (a name, abbreviation, slug or IRI)."""
        from tf_graph.questions.profile import profile

        return profile(self.reader, entity)

    def __len__(self) -> int:
        return len(self.reader)

    def __repr__(self) -> str:
        return f"<TfGraph {self.engine}: {len(self)} triples>"


def open_graph(
    data: Iterable[str | Path] = (),
    endpoint: str | None = None,
    graph: str | None = None,
    *,
    store: str | Path | None = None,
    cache: bool = True,
    exact: bool = False,
) -> TfGraph:
    """The shipped graph plus the RDF files ``data``; or the SPARQL ``endpoint`` (read-only;
    ``graph``: one named graph of it).

    ``store``: the folder of the on-disk index (default ``$TF_GRAPH_STORE``, else
    ``~/.cache/tf-graph``); ``cache=False``: index in memory, for this run only; ``exact``:
    the terms exactly as the files write them, as validation, export and push need.
    """
    source = Source(
        data=tuple(Path(p) for p in data),
        endpoint=endpoint,
        graph=graph,
        store=Path(store) if store is not None else None,
        cache=cache,
        exact=exact,
    )
    return TfGraph(source)

"""The same answers on every local engine - rdflib's memory graph, the cached Oxigraph index and
oxrdflib's store (as data engineers may hold the graph) - and through a trailing VALUES block (what
a remote store gets, asked of Oxigraph here: rdflib's own answer to it is compared for every
parameterised query in tests/test_remote.py): every named query's rows through the library, and
every command's output byte for byte.

(The expected-rows tests themselves run on each engine through the ``engines`` marker of
tests/conftest.py.)"""

from __future__ import annotations

import pytest
from conftest import shipped_graph
from rdflib import Graph

from tf_graph.engines import store
from tf_graph.engines.values import append_values
from tf_graph.questions.catalogue import list_queries
from tf_graph.questions.queries import execute
from tf_graph.questions.run import run_query

#: parameters beside the defaults, one case per kind of parameter
EXTRA_CASES = [
    ("agencies-by-topic", {"topic": "sex trafficking"}),
    ("agencies-by-topic", {"topic": "supply chains"}),
    ("agencies-by-topic", {"topic": "human trafficking"}),
    ("initiatives-by-topic", {"topic": "forced labor"}),
    ("initiatives-by-topic", {"topic": "labor trafficking"}),
    ("coordination-bodies", {"body": "Trilateral Working Group"}),
    ("coordination-bodies", {"body": "FLETF"}),
    ("initiatives-by-pillar", {"pillar": "prevention"}),
    ("initiatives-by-agency", {"agency": "DHS"}),
    ("initiatives-by-agency", {"agency": "Justice Department"}),
    ("initiatives-by-agency", {"agency": "DOJ"}),
    ("agency-partners", {"agency": "DHS"}),
    ("law-implementers", {"law": "Tariff Act of 1930"}),
    ("agencies-across-pillars", {"pillars": "4"}),
    ("agencies-across-pillars", {"pillars": "1"}),
    ("planned-actions", {"year": "2022"}),
    ("timeline", {"year": "2021"}),
    ("timeline", {"month": "2021-12"}),
    ("by-country", {"country": "Mexico"}),
    ("by-sector", {"sector": "seafood"}),
    ("entity-profile", {"entity": "FLETF"}),
    ("law-text", {"law": "22 U.S.C. 7103"}),
    ("statements", {"entity": "PITF"}),
]


@pytest.fixture(scope="module")
def oxigraph(_private_store):
    return shipped_graph("oxigraph")


@pytest.fixture(scope="module")
def oxrdflib(memory_graph) -> Graph:
    pytest.importorskip("oxrdflib")
    graph = Graph(store="Oxigraph")
    for triple in memory_graph:
        graph.add(triple)
    return graph


#: named queries that select no rows without parameters
SELECTS_NOTHING_BY_DEFAULT: set[str] = set()


def cases() -> list[tuple[str, dict[str, str]]]:
    named = []
    for spec in list_queries():
        required = [p for p in spec.params if p.required]
        if not required:
            named.append((spec.name, {}))
    return named + EXTRA_CASES


def rows(result) -> list[tuple]:
    return [tuple(store.comparable(row.get(v)) for v in result.vars) for row in result.rows]


@pytest.mark.parametrize(("name", "params"), cases(), ids=lambda v: str(v) if v else "defaults")
def test_every_named_query_gives_the_same_rows_in_the_same_order(
    memory_graph, oxigraph, oxrdflib, name, params
):
    fallbacks = store.NormalisingOxigraphStore.fallbacks
    reference = run_query(memory_graph, name, params)
    answer = run_query(oxigraph, name, params)
    assert answer.vars == reference.vars
    assert rows(answer) == rows(reference)
    assert answer.bindings == reference.bindings
    # every named query runs inside Oxigraph, not in rdflib's engine over the store
    assert store.NormalisingOxigraphStore.fallbacks == fallbacks
    if not params and name in SELECTS_NOTHING_BY_DEFAULT:
        return
    assert reference.rows, f"{name} {params} should find something on the shipped graph"
    assert run_query(oxrdflib, name, params).rows == reference.rows
    if reference.bindings:  # the parameters joined by a trailing VALUES instead, in Oxigraph
        text = append_values(reference.sparql, [reference.bindings])
        assert execute(oxrdflib, text, {}, name)[1] == reference.rows


def test_every_named_query_is_covered():
    covered = {name for name, _ in cases()}
    assert covered == {spec.name for spec in list_queries()}


#: one command of each kind: the rows of every named query are compared above, and the
#: commands are the same code over either engine (tf_graph.open_graph chooses it)
COMMANDS = [
    ("query", "agencies-by-topic", "-f", "csv"),
    ("query", "initiatives-by-agency", "-p", "agency=DHS"),
    ("ask", "Which agencies touch forced labor?"),
    ("ask", "What is DHS doing about forced labor?", "--format", "json"),
    ("ask", "What is planned for 2022?", "--format", "json", "--show-sparql"),
    ("show", "section 307", "--format", "json"),
    ("query", "agencies-by-topic", "-p", "topic=unicorn husbandry"),
    ("viz", "--topic", "forced labor", "-o", "{tmp}/page.html"),
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_commands_say_the_same_on_both_engines(run, monkeypatch, tmp_path, args):
    """What a user sees from each command with ``TF_GRAPH_BACKEND=memory`` and with the index."""
    said = {}
    for engine in ("memory", "oxigraph"):
        monkeypatch.setenv("TF_GRAPH_BACKEND", engine)
        folder = tmp_path / engine
        folder.mkdir()
        result = run(*(arg.replace("{tmp}", str(folder)) for arg in args))
        written = [p.read_bytes().replace(str(folder).encode(), b"") for p in folder.iterdir()]
        output = (result.stdout_bytes + result.stderr_bytes).replace(str(folder).encode(), b"")
        said[engine] = (result.exit_code, output, written)
    assert said["memory"] == said["oxigraph"]
    assert said["memory"][1], "the command said nothing"

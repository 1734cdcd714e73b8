"""Lookups for many resources in one query (``queries.run_for_each``): the abbreviations an
answer shows beside its agencies, and the labels of a result's IRIs."""

from __future__ import annotations

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from tf_graph.errors import QueryError, RemoteError
from tf_graph.namespaces import TF
from tf_graph.questions import queries
from tf_graph.questions.ask import capitals_names
from tf_graph.questions.queries import run_for_each
from tf_graph.questions.run import run_query

TFID = "https://w3id.org/tf-graph/id/"


def agencies(graph: Graph) -> list[URIRef]:
    return sorted(graph.subjects(RDF.type, TF.Agency))


def test_abbreviations_of_the_shipped_agencies(graph):
    found = {
        iri[len(TFID) :]: short for iri, short in capitals_names(graph, agencies(graph)).items()
    }
    assert found == {
        "agency/bia": "BIA", "agency/bia-ojs": "OJS", "agency/cbp": "CBP", "agency/dhs": "DHS",
        "agency/doc": "DOC", "agency/dod": "DOD", "agency/doi": "DOI", "agency/doj": "DOJ",
        "agency/dol": "DOL", "agency/dot": "DOT", "agency/ed": "ED", "agency/hhs": "HHS",
        "agency/ic": "IC", "agency/mmu": "MMU", "agency/odni": "DNI", "agency/omb": "OMB",
        "agency/ovw": "OVW", "agency/state": "DOS", "agency/state-tip": "J/TIP",
        "agency/usaid": "USAID", "agency/ustr": "USTR",
    }  # fmt: skip


def names_read_one_by_one(graph: Graph, node: URIRef) -> set[str]:
    return {
        str(value)
        for prop in (RDFS.label, SKOS.prefLabel, SKOS.altLabel, DCTERMS.identifier)
        for value in graph.objects(node, prop)
    }


def test_one_query_reads_the_names_each_resource_has(graph, monkeypatch):
    """Every name of every agency, in chunks smaller than the list (so more than one query)."""
    monkeypatch.setattr(queries, "EACH_CHUNK", 5)
    nodes = agencies(graph)
    rows = run_for_each(graph, "lookup/names-of", [str(n) for n in nodes])
    got: dict[str, set[str]] = {}
    for row in rows:
        got.setdefault(str(row["resource"]), set()).add(str(row["name"]))
    assert got == {str(n): names_read_one_by_one(graph, n) for n in nodes}
    assert len(nodes) > 3 * queries.EACH_CHUNK


def test_an_iri_that_could_break_out_of_its_brackets_is_not_sent():
    graph = Graph()
    graph.add((URIRef("http://e/a"), RDFS.label, Literal("A")))
    hostile = "http://e/a> } ?resource ?property ?name . { <http://e/a"
    assert run_for_each(graph, "lookup/names-of", [hostile]) == []
    rows = run_for_each(graph, "lookup/names-of", [hostile, "http://e/a"])
    assert [(str(r["resource"]), str(r["name"])) for r in rows] == [("http://e/a", "A")]


def test_a_query_without_the_resource_column_is_refused(graph):
    with pytest.raises(QueryError, match=r"^agencies: no \?resource in its SELECT list to fill$"):
        run_for_each(graph, "agencies", [f"{TFID}agency/dhs"])


def test_the_lookup_file_run_as_it_is_lists_every_resource(graph):
    text = (queries.resources.queries_dir() / "lookup/names-of.rq").read_text("utf-8")
    rows = {(str(resource), str(name)) for resource, _, name in graph.query(text)}
    named = {s for s, _ in rows}
    assert rows == {(s, name) for s in named for name in names_read_one_by_one(graph, URIRef(s))}
    assert {str(a) for a in agencies(graph)} < named


def test_labels_of_iris_without_a_label_column(graph):
    result = run_query(graph, "agencies-by-topic", {"topic": "forced labor"})
    topic = URIRef(f"{TFID}topic/forced-labor")
    assert "topicLabel" not in result.vars
    assert result.labels[str(topic)] == str(graph.value(topic, RDFS.label))


def test_a_failed_label_lookup_leaves_the_iris_and_the_label_columns(graph, monkeypatch):
    """Labels are a nicety: an endpoint gone away after the answer leaves raw IRIs."""
    result = run_query(graph, "agencies-by-topic", {"topic": "forced labor"})

    def gone(*args, **kwargs):
        raise RemoteError("http://localhost:9/sparql: connection refused")

    monkeypatch.setattr(queries, "run_for_each", gone)
    labels = queries.fetch_labels(graph, result)
    assert f"{TFID}topic/forced-labor" not in labels
    assert labels[f"{TFID}agency/dhs"] == "Department of Homeland Security"

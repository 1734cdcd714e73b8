"""The read-only rdflib view of a pyoxigraph store (tf_graph.engines.oxigraph_view): terms both
ways, triple patterns, counts, prefixes, and writes refused."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from tf_graph.engines.oxigraph_view import (
    OxigraphView,
    ReadOnlyStoreError,
    from_ox,
    graph_to_ox,
    to_ox,
)

EX = "https://example.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"  # (rdflib's XSD namespace upsets pytest's collection)

TERMS = [
    URIRef(EX + "a"),
    BNode("b1"),
    Literal("plain"),
    Literal("tagged", lang="en-GB"),
    Literal("2022-01-25", datatype=URIRef(XSD + "date")),
    Literal("87000000.0", datatype=URIRef(XSD + "decimal")),
]


@pytest.mark.parametrize("term", TERMS, ids=lambda t: repr(t)[:40])
def test_terms_round_trip(term):
    back = from_ox(to_ox(term))
    assert back == term and type(back) is type(term)


def test_an_xsd_string_comes_back_as_the_plain_literal_rdflib_parses():
    assert from_ox(ox.Literal("x", datatype=ox.NamedNode(XSD + "string"))) == Literal("x")
    assert from_ox(ox.Literal("x")).datatype is None


def view_graph() -> Graph:
    store = ox.Store()
    a, p, q = (ox.NamedNode(EX + n) for n in ("a", "p", "q"))
    store.add(ox.Quad(a, p, ox.Literal("one")))
    store.add(ox.Quad(a, q, ox.NamedNode(EX + "b")))
    store.add(ox.Quad(a, p, ox.Literal("named"), ox.NamedNode(EX + "g")))
    return Graph(store=OxigraphView(store), identifier=DATASET_DEFAULT_GRAPH_ID)


def test_the_default_graph_is_what_the_view_reads_and_counts():
    graph = view_graph()
    assert len(graph) == 2
    assert set(graph.objects(URIRef(EX + "a"), URIRef(EX + "p"))) == {Literal("one")}
    assert (URIRef(EX + "a"), URIRef(EX + "q"), URIRef(EX + "b")) in graph
    assert len(graph.store) == 3  # every graph, as rdflib counts a store
    assert [g.identifier for g in graph.store.contexts()] == [URIRef(EX + "g")]


def test_each_triple_names_the_graph_it_is_in():
    graph = view_graph()
    found = {
        (str(triple[2]), [g.identifier for g in contexts][0])
        for triple, contexts in graph.store.triples((None, URIRef(EX + "p"), None))
    }
    assert found == {("one", DATASET_DEFAULT_GRAPH_ID), ("named", URIRef(EX + "g"))}


def test_only_the_graph_position_maps_rdflibs_default_graph_identifier():
    assert graph_to_ox(DATASET_DEFAULT_GRAPH_ID) == ox.DefaultGraph()
    assert to_ox(DATASET_DEFAULT_GRAPH_ID) == ox.NamedNode(str(DATASET_DEFAULT_GRAPH_ID))
    assert graph_to_ox(None) is None


def test_a_pattern_no_triple_can_match_finds_nothing_without_failing():
    """rdflib's serialisers ask for triples with a literal subject (JSON-LD does)."""
    graph = view_graph()
    assert list(graph.triples((Literal("one"), None, None))) == []


def test_prefixes_are_kept_and_rebinding_replaces_them():
    graph = view_graph()
    graph.bind("ex", EX, override=True)
    assert graph.store.namespace("ex") == URIRef(EX)
    graph.bind("ex2", EX, override=True)
    assert graph.store.prefix(URIRef(EX)) == "ex2" and graph.store.namespace("ex") is None


def test_writes_are_refused_with_a_reason():
    graph = view_graph()
    with pytest.raises(ReadOnlyStoreError, match="read-only through rdflib"):
        graph.add((URIRef(EX + "a"), URIRef(EX + "p"), Literal("two")))
    with pytest.raises(ReadOnlyStoreError):
        graph.remove((None, None, None))
    assert len(graph) == 2

"""Statistics: counts per class and property, agency rankings by degree and betweenness."""

from __future__ import annotations

import json
from collections import Counter

import networkx as nx
import pytest
from rdflib import RDF, RDFS, Literal, URIRef

from tf_graph.build.analytics import graph_stats
from tf_graph.build.loading import new_graph
from tf_graph.build.projection import NOT_PROJECTED_TYPES, SKIPPED_PREDICATES, is_resource
from tf_graph.build.rules import stated_triples
from tf_graph.build.validation import compact
from tf_graph.namespaces import TF

SMALL = """
@prefix tf: <https://w3id.org/tf-graph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix agency: <https://w3id.org/tf-graph/id/agency/> .
@prefix initiative: <https://w3id.org/tf-graph/id/initiative/> .
@prefix topic: <https://w3id.org/tf-graph/id/topic/> .
@prefix source: <https://w3id.org/tf-graph/id/source/> .

tf:Agency a owl:Class . tf:Initiative a owl:Class . tf:Topic a owl:Class . tf:Statute a owl:Class .
agency:a a tf:Agency ; rdfs:label "Alpha" ; skos:altLabel "AL" ; prov:wasDerivedFrom source:s .
agency:b a tf:Agency ; rdfs:label "Beta" .
agency:c a tf:Agency ; rdfs:label "Gamma" ; skos:altLabel "GA" .
topic:t a tf:Topic ; rdfs:label "Topic" .
source:s rdfs:label "Source" .
initiative:i1 a tf:Initiative ; rdfs:label "One" ;
  tf:ledBy agency:a ; tf:partner agency:b ; tf:addresses topic:t .
initiative:i2 a tf:Initiative ; rdfs:label "Two" ;
  tf:ledBy agency:a ; tf:partner agency:a, agency:c .
initiative:i3 a tf:Initiative ; rdfs:label "Three" ; tf:ledBy agency:c ; tf:quote "q" .
"""


@pytest.fixture(scope="module")
def small():
    return graph_stats(new_graph().parse(data=SMALL, format="turtle"))


def test_counts_per_class_include_declared_empty_classes(small):
    assert small.classes == {"Agency": 3, "Initiative": 3, "Topic": 1, "Statute": 0}


def test_counts_per_property_about_resources(small):
    # the four class declarations (tf:Agency a owl:Class ...) are the ontology's, not data
    assert small.properties == {
        "rdf:type": 7,
        "rdfs:label": 8,
        "tf:ledBy": 3,
        "tf:partner": 3,
        "skos:altLabel": 2,
        "prov:wasDerivedFrom": 1,
        "tf:addresses": 1,
        "tf:quote": 1,
    }
    assert small.triples == 30


def test_degree_counts_every_link_and_ties_go_by_label(small):
    # a: led i1, i2 and partner of i2 (3 links); c: partner of i2, led i3 (2); b: 1
    assert [(r.short, r.label, r.score) for r in small.by_degree] == [
        ("AL", "Alpha", 3.0),
        ("GA", "Gamma", 2.0),
        ("Beta", "Beta", 1.0),
    ]
    assert small.nodes == 8  # 3 agencies, 3 initiatives, topic, source (labelled, unlinked)
    assert small.edges == 7


def test_betweenness_over_the_undirected_simple_view(small):
    # the network is the tree b-i1-a-i2-c-i3 with t on i1 (and the source alone): 8 nodes,
    # normalised by (7 * 6) / 2 = 21 pairs. a separates {i1, b, t} from {i2, c, i3}: 9 pairs;
    # c separates {i3} from {i2, a, i1, b, t}: 5 pairs; b is a leaf.
    assert [(r.label, round(r.score, 6)) for r in small.by_betweenness] == [
        ("Alpha", round(9 / 21, 6)),
        ("Gamma", round(5 / 21, 6)),
        ("Beta", 0.0),
    ]


def test_betweenness_is_estimated_on_big_projections():
    graph = new_graph().parse(data=SMALL, format="turtle")
    exact = graph_stats(graph)
    assert exact.betweenness_sample is None
    sampled = graph_stats(graph, exact_limit=4, sample_size=3)  # 8 resources > 4: sample 3
    assert sampled.betweenness_sample == 3
    assert "(normalised; estimated from 3 sampled resources)" in sampled.to_text()
    assert sampled.by_degree == exact.by_degree  # degree is always exact
    again = graph_stats(graph, exact_limit=4, sample_size=3)
    assert again.by_betweenness == sampled.by_betweenness  # seeded: same numbers every run
    everything = graph_stats(graph, exact_limit=4, sample_size=100)  # a sample of all 8
    assert everything.by_betweenness == exact.by_betweenness


def test_top_limits_the_rankings():
    stats = graph_stats(new_graph().parse(data=SMALL, format="turtle"), top=1)
    assert [r.label for r in stats.by_degree] == ["Alpha"]
    assert [r.label for r in stats.by_betweenness] == ["Alpha"]


def test_text_and_json(small):
    text = small.to_text()
    assert text.startswith("30 triples; projection: 8 resources, 7 links")
    lines = text.splitlines()
    assert lines[2:5] == ["Instances per class", "  Agency           3", "  Initiative       3"]
    assert "   1. AL      0.4286  Alpha" in lines
    data = json.loads(small.to_json())
    assert data["classes"]["Initiative"] == 3
    assert data["by_degree"][0] == {
        "iri": "https://w3id.org/tf-graph/id/agency/a",
        "label": "Alpha",
        "short": "AL",
        "score": 3.0,
    }


# --- the shipped graph: numbers equal independent counts ------------------------------------


@pytest.fixture(scope="module")
def real(graph):
    return graph_stats(graph, top=1000)


def test_class_counts_equal_sparql_counts(graph, real):
    rows = graph.query(
        """SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
             ?s a ?class FILTER(STRSTARTS(STR(?class), "https://w3id.org/tf-graph/ontology#"))
           } GROUP BY ?class"""
    )
    expected = {str(c).rsplit("#", 1)[1]: int(n) for c, n in rows}
    assert {k: v for k, v in real.classes.items() if v} == expected
    assert real.classes["Initiative"] >= 30
    assert real.classes["Agency"] >= 20


def test_property_counts_equal_sparql_counts(graph, real):
    # the shipped resources are the IRIs under tfr: except the concept schemes; the derived
    # properties (marked tf:derivedBy in the ontology) are no statements
    rows = graph.query(
        """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
           PREFIX tf: <https://w3id.org/tf-graph/ontology#>
           SELECT ?p (COUNT(*) AS ?n) WHERE {
             ?s ?p ?o
             FILTER(STRSTARTS(STR(?s), "https://w3id.org/tf-graph/id/"))
             FILTER NOT EXISTS { ?s a skos:ConceptScheme }
             FILTER NOT EXISTS { ?p tf:derivedBy ?rule }
           } GROUP BY ?p"""
    )
    assert real.properties == {compact(str(p)): int(n) for p, n in rows}
    assert real.properties["tf:ledBy"] >= 30
    assert real.triples == stated_triples(graph) < len(graph)  # derived triples left out


def projected(graph, node) -> bool:
    """A node of the projection: a resource, but not a statement, nor a part of a law's text
    that the data does not link to (tf:codifiedAt)."""
    types = set(graph.objects(node, RDF.type))
    if TF.LegalText in types and (None, TF.codifiedAt, node) not in graph:
        return False
    return is_resource(graph, node) and not types & NOT_PROJECTED_TYPES


def independent_network(graph) -> nx.MultiDiGraph:
    """The links between resources, read from the triples without the projection function."""
    net = nx.MultiDiGraph()
    for s, p, o in graph:
        if p in SKIPPED_PREDICATES or isinstance(o, Literal):
            continue
        if projected(graph, s) and projected(graph, o):
            net.add_edge(str(s), str(o), key=str(p))
    return net


def agency_iris(graph) -> set[str]:
    rows = graph.query("SELECT ?a WHERE { ?a a <https://w3id.org/tf-graph/ontology#Agency> }")
    return {str(a) for (a,) in rows}


def test_agency_degree_ranking_equals_independent_count(graph, real):
    degree = Counter()
    for s, p, o in graph:
        if p in SKIPPED_PREDICATES or isinstance(o, Literal):
            continue
        if projected(graph, s) and projected(graph, o):
            degree[str(s)] += 1
            degree[str(o)] += 1
    agencies = agency_iris(graph)
    expected = sorted((-degree[a], str(graph.value(URIRef(a), RDFS.label)), a) for a in agencies)
    assert [(r.iri, r.score) for r in real.by_degree] == [(a, -d) for d, _, a in expected]
    assert len(real.by_degree) == len(agencies)


def test_agency_betweenness_equals_independent_computation(graph, real):
    simple = nx.Graph()
    labelled = {str(s) for s in graph.subjects(RDFS.label, None) if projected(graph, s)}
    simple.add_nodes_from(labelled)
    simple.add_edges_from(independent_network(graph).to_undirected().edges())
    scores = nx.betweenness_centrality(simple)
    got = {r.iri: r.score for r in real.by_betweenness}
    assert got.keys() == agency_iris(graph)
    for iri, score in got.items():
        assert score == pytest.approx(scores[iri])
    values = [r.score for r in real.by_betweenness]
    assert values == sorted(values, reverse=True)


def test_busiest_departments_lead_the_rankings(real):
    # in the fact sheet, Justice, Homeland Security and State carry the most actions and links
    agency = "https://w3id.org/tf-graph/id/agency/"
    assert [r.iri for r in real.by_degree[:3]] == [agency + s for s in ("doj", "dhs", "state")]
    assert {r.iri for r in real.by_betweenness[:3]} == {agency + s for s in ("doj", "dhs", "state")}

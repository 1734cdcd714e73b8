"""The one IRI check (tf_graph.iris), and every place that validates an IRI using it: a term
or graph name sent to a remote endpoint, the graph a push replaces, the IRIs a lookup writes
into its VALUES block."""

from __future__ import annotations

import pytest
from rdflib import RDFS, Graph, Literal, URIRef

from tf_graph.build.push import push_graph
from tf_graph.engines.remote import open_endpoint, term_to_sparql
from tf_graph.errors import QueryError, RemoteError
from tf_graph.iris import check_iri, is_iri, is_web_iri
from tf_graph.questions.queries import run_for_each

GOOD = [
    "https://w3id.org/tf-graph/id/agency/dhs",
    "http://example.org/a#b?c=d&e=%20",
    "urn:uuid:123e4567-e89b-12d3-a456-426614174000",
    "mailto:someone@example.org",
    "tag:example.org,2022:x",
    "http://例え.jp/パス",
]
#: what SPARQL's IRIREF excludes (and other white space), a missing scheme, a bad scheme
BAD = [
    "",
    "agency/dhs",
    "//example.org/a",
    "1http://example.org/a",
    "http://example.org/a b",
    "http://example.org/a\tb",
    "http://example.org/a\u00a0b",
    "http://example.org/a\x00",
    "http://example.org/a\x01",
    "http://example.org/a\x1b",
    "urn:a> } ?s ?p ?o { <urn:b",
    *(f"http://example.org/{c}" for c in '<>"{}|^`\\'),
]


@pytest.mark.parametrize("iri", GOOD)
def test_good_iris(iri):
    assert is_iri(iri)
    assert check_iri(iri) == iri


@pytest.mark.parametrize("iri", BAD)
def test_bad_iris_are_refused_in_one_line(iri):
    assert not is_iri(iri)
    with pytest.raises(QueryError) as caught:
        check_iri(iri, "graph IRI")
    assert str(caught.value) == f"not a valid graph IRI: {iri!r}"
    with pytest.raises(RemoteError):
        check_iri(iri, "graph IRI", RemoteError)


def test_web_iris():
    assert is_web_iri("https://w3id.org/tf-graph/id/agency/dhs")
    assert is_web_iri("HTTP://example.org/")
    assert not is_web_iri("urn:x")
    assert not is_web_iri("http://example.org/a b")


# --- every place that checks an IRI refuses the same ones -----------------------------------

#: control characters: SPARQL's IRIREF excludes them, the checks of remote, push and the
#: lookups let them through before there was one check
CONTROL = ["http://example.org/a\x01", "urn:g\x00", "urn:x\x08y"]


@pytest.mark.parametrize("iri", CONTROL + BAD[1:3])
def test_remote_terms_and_graph_names(iri):
    with pytest.raises(QueryError, match="^not a valid IRI: "):
        term_to_sparql(URIRef(iri))
    with pytest.raises(QueryError, match="^not a valid datatype IRI: "):
        term_to_sparql(Literal("1", datatype=URIRef(iri)))
    with pytest.raises(QueryError, match="^not a valid graph IRI: "):
        open_endpoint("http://127.0.0.1:9/sparql", graph_iri=iri)


@pytest.mark.parametrize("iri", CONTROL + BAD[1:3])
def test_push_refuses_the_graph_name_before_sending(iri):
    graph = Graph()
    graph.add((URIRef("http://e/a"), RDFS.label, Literal("A")))
    # nothing listens on port 9: a request would fail with another message
    with pytest.raises(RemoteError, match="^not a valid graph IRI: "):
        push_graph(graph, "http://127.0.0.1:9/sparql", iri, timeout=1)


@pytest.mark.parametrize("iri", CONTROL + BAD[1:3])
def test_lookups_skip_what_is_not_an_iri(iri):
    graph = Graph()
    graph.add((URIRef("http://e/a"), RDFS.label, Literal("A")))
    rows = run_for_each(graph, "lookup/names-of", [iri, "http://e/a"])
    assert [(str(r["resource"]), str(r["name"])) for r in rows] == [("http://e/a", "A")]

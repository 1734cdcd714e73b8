"""The question path on the index without rdflib: light terms (tf_graph.engines.terms), the
index's reader (tf_graph.engines.index), the names kept beside the index
(tf_graph.questions.names_cache) and a small index read in memory from its snapshot."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from rdflib import BNode, URIRef
from rdflib import Literal as RdflibLiteral

from tf_graph.engines import store, terms
from tf_graph.engines.terms import IRI, XSD, BlankNode, Literal
from tf_graph.resources import core_files

TFR = "https://w3id.org/tf-graph/id/"
QUESTION = "Which agencies touch forced labor?"


@pytest.mark.parametrize(
    ("rdflib_term", "light"),
    [
        (URIRef(TFR + "agency/dhs"), IRI(TFR + "agency/dhs")),
        (BNode("b0"), BlankNode("b0")),
        (RdflibLiteral("forced labor"), Literal("forced labor")),
        (RdflibLiteral("travail forcé", lang="fr"), Literal("travail forcé", language="fr")),
        (RdflibLiteral('say "hi"'), Literal('say "hi"')),
        (RdflibLiteral("A1", datatype=URIRef("urn:x:code")), Literal("A1", datatype="urn:x:code")),
        *(
            (RdflibLiteral(text, datatype=URIRef(XSD + kind)), Literal(text, datatype=XSD + kind))
            for text, kind in (
                ("12", "integer"), ("1.50", "decimal"), ("2021-12-09", "date"),

            )
        ),
    ],
)  # fmt: skip
def test_light_terms_read_as_rdflibs(rdflib_term, light):
    """Text, N3, Python value, kind, and both ways through pyoxigraph and rdflib: the same."""
    assert str(light) == str(rdflib_term)
    assert light.n3() == rdflib_term.n3()
    theirs = rdflib_term.toPython()  # (a value, or the term itself)
    assert light.toPython() is light if theirs is rdflib_term else light.toPython() == theirs
    assert terms.is_iri(light) == terms.is_iri(rdflib_term) == isinstance(rdflib_term, URIRef)
    assert terms.is_literal(light) == terms.is_literal(rdflib_term)
    assert terms.is_blank(light) == terms.is_blank(rdflib_term)
    assert terms.to_ox(light) == terms.to_ox(rdflib_term)
    assert terms.from_ox(terms.to_ox(rdflib_term)) == light
    assert terms.to_light(rdflib_term) == light
    assert terms.to_rdflib(light) == rdflib_term


def test_light_terms_are_equal_only_to_their_own_kind():
    assert IRI("urn:x") != "urn:x" and IRI("urn:x") != Literal("urn:x")
    assert IRI("urn:x") != BlankNode("urn:x")
    assert Literal("x") == Literal("x", datatype=XSD + "string")  # the same RDF 1.1 term
    assert Literal("x", language="EN") == Literal("x", language="en")
    assert Literal("1", datatype=XSD + "integer") != Literal("1")
    assert len({IRI("urn:x"), IRI("urn:x"), Literal("urn:x")}) == 2


def test_python_values_of_literals():
    assert Literal("7", datatype=XSD + "integer").value == 7
    assert Literal("1.50", datatype=XSD + "decimal").value == Decimal("1.50")
    assert Literal("2021-12-09", datatype=XSD + "date").value == date(2021, 12, 9)
    assert Literal("true", datatype=XSD + "boolean").value is True
    assert Literal("abc", datatype=XSD + "integer").value is None  # ill-typed
    assert Literal("2021", datatype=XSD + "gYear").value is None  # (as rdflib's)
    assert Literal("x").value == "x" and Literal("x", language="fr").value == "x"


def test_the_index_reader_answers_as_the_rdflib_view(tmp_path):
    """The same rows (light terms against rdflib's), the same order, and the query rdflib's
    engine must answer (Oxigraph cannot parse it) answered too."""
    reader = store.open_index_graph(core_files(), tmp_path)
    from tf_graph.questions.run import run_query

    light = run_query(reader, "agencies-by-topic", {"topic": "forced labor"})
    heavy = run_query(reader.rdf, "agencies-by-topic", {"topic": "forced labor"})
    assert light.vars == heavy.vars
    assert [{k: terms.to_rdflib(v) for k, v in row.items()} for row in light.rows] == heavy.rows
    assert terms.is_iri(light.bindings["topic"]) and type(light.bindings["topic"]) is IRI
    # a binding of a variable the SELECT leaves out: Oxigraph refuses it, rdflib's engine
    # answers (over the same store), in light terms
    text = "SELECT ?s WHERE { ?s ?p ?o }"
    label = Literal("Department of Homeland Security", language="en")
    answer = reader.query(text, initBindings={"o": label})
    assert answer.vars == ["s"]
    assert {row["s"] for row in answer.bindings} == {IRI(TFR + "agency/dhs")}


def test_a_small_index_is_read_in_memory_from_its_snapshot(tmp_path, monkeypatch):
    files = core_files()
    first = store.open_store(files, tmp_path)  # builds it, and writes the snapshot
    (snapshot,) = first.path.glob("snapshot-*.nq")
    with monkeypatch.context() as patch:  # the database is not opened
        patch.setattr(store.ox.Store, "read_only", None)
        again = store.open_store(files, tmp_path)
    assert not again.rebuilt
    assert len(again.store) == again.triples == first.triples
    # a snapshot that is not what was written is not read: the database is, and the snapshot
    # written again
    raw = snapshot.read_bytes()
    snapshot.write_bytes(raw.replace(b"forced labor", b"forced labour"))
    assert store.load_snapshot(snapshot) is None
    reopened = store.open_store(files, tmp_path)
    assert len(reopened.store) == first.triples
    assert snapshot.read_bytes() == raw


def test_a_large_index_is_read_from_its_database(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "SNAPSHOT_MAX", 100)
    opened = store.open_store(core_files(), tmp_path)
    assert not list(opened.path.glob("snapshot-*.nq"))


def test_names_are_kept_beside_the_index_and_give_the_same_answer(tmp_path, monkeypatch):
    """The first question writes the names; a new reader of the same index reads them (no
    entities query) and answers the same; a damaged file is read as missing."""
    from tf_graph.questions import ask, names_cache

    first = ask.answer(store.open_index_graph(core_files(), tmp_path), QUESTION)
    (kept,) = tmp_path.glob("*/names-*.json")
    reader = store.open_index_graph(core_files(), tmp_path)
    read = []
    monkeypatch.setattr(ask, "execute", lambda *args, **kw: read.append(args) or ([], [], None))
    second = ask.answer(reader, QUESTION)
    assert read == []  # the names came from the file
    assert ask.format_answer(second) == ask.format_answer(first)
    kept.write_bytes(kept.read_bytes().replace(b"Homeland", b"Homeward"))
    assert names_cache.load(kept) is None

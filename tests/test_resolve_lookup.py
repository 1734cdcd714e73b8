"""The exact-lookup shortcut of the resolver: taken when a name matches exactly (the full
index of every name is then not built), and never answering differently from the full path."""

from __future__ import annotations

import pytest
from conftest import shipped_graph
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS

from tf_graph.engines import ENGINES, Source
from tf_graph.errors import UnknownEntityError, WrongKindError
from tf_graph.questions import queries, resolve
from tf_graph.questions.resolve import resolve_entity

DHS = URIRef("https://w3id.org/tf-graph/id/agency/dhs")


def copy_of(graph: Graph, store: str = "default") -> Graph:
    """A new graph (so no full index is cached for it) with the same triples."""
    out = Graph(store=store)
    for triple in graph:
        out.add(triple)
    return out


def fresh_index():
    """The shipped graph's index as the question path reads it (light terms), opened anew (so
    no full index is cached for it): from its snapshot in memory, as any opening after the
    first reads it (shipped_graph's opening writes the snapshot)."""
    shipped_graph("oxigraph")
    return ENGINES["oxigraph"].reader(Source())


@pytest.fixture
def counted(monkeypatch):
    """The graphs the full index (``entities.rq``) is built for, once per build."""
    calls: list[Graph] = []
    build = resolve._index_of

    def counting(graph, text, bindings, where):
        if where == "entities":
            calls.append(graph)
        return build(graph, text, bindings, where)

    monkeypatch.setattr(resolve, "_index_of", counting)
    return calls


@pytest.fixture
def executed(monkeypatch):
    """Each query the resolver runs, as (its place, e.g. "lookup/iri", and its bindings)."""
    calls: list[tuple[str, dict]] = []
    execute = queries.execute

    def spying(graph_, text, bindings, where):
        calls.append((where, bindings))
        return execute(graph_, text, bindings, where)

    monkeypatch.setattr("tf_graph.questions.queries.execute", spying)
    return calls


@pytest.mark.parametrize(
    "term",
    ["DHS", "Department of Homeland Security", "homeland security", "agency/dhs", str(DHS)],
)
def test_exact_name_does_not_build_the_full_index(graph, counted, term):
    fresh = copy_of(graph, "Oxigraph")
    assert resolve_entity(fresh, term, "agency") == DHS
    assert counted == []


def test_in_rdflibs_memory_the_full_index_is_read_once_and_no_lookup_runs(graph, executed):
    """rdflib evaluates a lookup's FILTER in Python over every name (slower than reading all
    names once): in its memory the first name builds the full index, the next ones reuse it."""
    fresh = copy_of(graph)
    assert resolve_entity(fresh, "DHS", "agency") == DHS
    assert resolve_entity(fresh, "Department of Homeland Security") == DHS
    assert [where for where, _ in executed] == ["entities"]


def test_other_matches_fall_back_to_the_full_index_once(graph, counted):
    fresh = copy_of(graph, "Oxigraph")
    # a misspelling and a partial name need the full index; it is built once per graph
    assert resolve_entity(fresh, "Homland Securty", "agency") == DHS
    assert resolve_entity(fresh, "Justice Department", "agency") == URIRef(
        "https://w3id.org/tf-graph/id/agency/doj"
    )
    with pytest.raises(WrongKindError):
        resolve_entity(fresh, "DHS", "topic")
    with pytest.raises(UnknownEntityError):
        resolve_entity(fresh, "Department of Nothing At All")
    assert counted == [fresh]


def test_ambiguous_exact_name_falls_back():
    """Two resources sharing a name: the shortcut must not pick one."""
    graph = Graph(store="Oxigraph")
    graph.parse(
        data="""
        @prefix tf: <https://w3id.org/tf-graph/ontology#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <https://w3id.org/tf-graph/id/agency/a> a tf:Agency ; rdfs:label "Office of Alpha"@en .
        <https://w3id.org/tf-graph/id/agency/b> a tf:Agency ; rdfs:label "office of alpha's"@en .
        <https://w3id.org/tf-graph/id/agency/c> a tf:Agency ; rdfs:label "The Offices of Alpha"@en .
        """,
        format="turtle",
    )
    assert resolve._exact_lookup(graph, "Office of Alpha", None) is None
    # the full path decides, as before the shortcut existed (its close-spelling step)
    assert resolve_entity(graph, "Office of Alpha") == URIRef(
        "https://w3id.org/tf-graph/id/agency/a"
    )


def names_of(graph: Graph) -> list[str]:
    props = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, DCTERMS.identifier)
    return sorted({str(o) for p in props for s, o in graph.subject_objects(p)})


def full_answer(graph: Graph, term: str, kind: str | None) -> str:
    """What the full path answers (the index is cached for ``graph``, so no shortcut)."""
    resolve.entity_index(graph)
    try:
        return str(resolve_entity(graph, term, kind))
    except UnknownEntityError as err:
        return type(err).__name__


@pytest.fixture
def lookups_once(monkeypatch):
    """Each distinct lookup query run once: the spellings of a name ("DHS", "dhs", "the dhs")
    mostly send the same bindings (2,871 lookups, 522 distinct), whose small index is then
    reused; every spelling still goes through the shortcut's own steps."""
    lookup = resolve._lookup_index
    done: dict = {}

    def once(graph, bindings, classes):
        key = (id(graph), tuple(sorted((k, v.n3()) for k, v in bindings.items())), classes)
        if key not in done:
            done[key] = lookup(graph, bindings, classes)
        return done[key]

    monkeypatch.setattr(resolve, "_lookup_index", once)


@pytest.mark.parametrize("kind", [None, "agency", "initiative", "law", "topic"])
def test_the_shortcut_agrees_with_the_full_path_on_every_name(graph, kind, lookups_once):
    fresh = fresh_index()
    names = names_of(graph)
    taken = 0
    for name in names:
        for term in (name, name.upper(), f"the {name.lower()}"):
            quick = resolve._exact_lookup(fresh, " ".join(term.split()), kind)
            if quick is None:
                continue
            taken += 1
            assert quick.iri == full_answer(graph, term, kind), term
    # the shortcut answers for most names (all those naming one resource of the kind)
    assert taken > (len(names) if kind is None else 10)


def test_a_kind_reads_only_the_names_of_its_classes(graph, executed):
    """ "DHS" as an agency: one lookup per class of the kind, bound to that class (so Oxigraph
    reads the agencies' names, not every name of a large graph)."""

    def seen() -> list[tuple[str, str | None]]:
        return [(where, str(b["kindClass"]) if "kindClass" in b else None) for where, b in executed]

    fresh = copy_of(graph, "Oxigraph")
    assert resolve_entity(fresh, "DHS", "agency") == DHS
    assert seen() == [("lookup/exact-name-of-kind", "https://w3id.org/tf-graph/ontology#Agency")]
    executed.clear()
    law = resolve_entity(copy_of(graph, "Oxigraph"), "UFLPA", "law")
    assert law == URIRef("https://w3id.org/tf-graph/id/statute/uflpa")
    assert [kind.rsplit("#", 1)[1] for _, kind in seen()] == [
        "Statute", "StatutoryProvision", "ExecutiveOrder", "PolicyDocument"
    ]  # fmt: skip


def test_an_untyped_resource_of_a_kind_is_still_found_by_its_exact_name():
    graph = Graph(store="Oxigraph").parse(
        format="turtle",
        data="""
        @prefix tf: <https://w3id.org/tf-graph/ontology#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <https://w3id.org/tf-graph/id/agency/typed> a tf:Agency ; rdfs:label "Typed Office"@en .
        <https://w3id.org/tf-graph/id/agency/untyped> rdfs:label "Untyped Office"@en .
        """,
    )
    found = resolve_entity(graph, "Untyped Office", "agency")
    assert found == URIRef("https://w3id.org/tf-graph/id/agency/untyped")


@pytest.mark.parametrize("kind", [None, "agency", "initiative", "law", "topic"])
def test_a_full_iri_is_resolved_from_its_own_names_as_the_full_path_does(graph, kind):
    """A full IRI (what ask's mentions and a profile's links hold) is looked up by itself
    (lookup/iri.rq), not by a pass over every name; the answer is the full path's."""
    fresh = copy_of(graph, "Oxigraph")
    props = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, DCTERMS.identifier)
    iris = sorted({str(s) for p in props for s in graph.subjects(p) if isinstance(s, URIRef)})
    taken = 0
    for iri in iris:
        for term in (iri, f"<{iri}>"):
            quick = resolve._iri_lookup(fresh, term, kind)
            if quick is not None:
                taken += 1
                assert quick.iri == full_answer(graph, term, kind), term
    assert taken > (2 * len(iris) - 10 if kind is None else 20)


def test_a_full_iri_runs_one_small_lookup(graph, executed):
    assert resolve_entity(copy_of(graph, "Oxigraph"), str(DHS), "agency") == DHS
    assert [where for where, _ in executed] == ["lookup/iri"]
    executed.clear()
    with pytest.raises(WrongKindError):  # not an initiative: the other steps say so, as before
        resolve_entity(copy_of(graph, "Oxigraph"), str(DHS), "initiative")
    assert executed[0][0] == "lookup/iri"

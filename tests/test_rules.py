"""The rules (``queries/rules/*.rq``, :mod:`tf_graph.build.rules`): the derived triples are
exact on the shipped graph, the same from both engines, declared and marked in the ontology,
derived again (not kept stale) when a graph holds them already, and written by ``export``."""

from __future__ import annotations

from conftest import shipped_graph
from rdflib import Graph, Literal, URIRef

from tf_graph.build.loading import load_files, load_graph
from tf_graph.build.rules import apply_rules, derived_properties, rules, stated_triples
from tf_graph.engines import store
from tf_graph.namespaces import TF
from tf_graph.resources import ontology_files

TFR = "https://w3id.org/tf-graph/id/"
#: a plain IRI: pytest probes module globals, and rdflib's closed XSD namespace warns
XSD_INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#integer")


def objects(graph: Graph, subject: str, prop: URIRef) -> set[str]:
    return {str(o).removeprefix(TFR) for o in graph.objects(URIRef(TFR + subject), prop)}


def subjects(graph: Graph, prop: URIRef, obj: str) -> set[str]:
    return {str(s).removeprefix(TFR) for s in graph.subjects(prop, URIRef(TFR + obj))}


def derived(graph: Graph) -> set[tuple]:
    return {t for prop in derived_properties() for t in graph.triples((None, prop, None))}


def test_an_agency_is_part_of_itself_and_of_every_department_above_it(graph):
    # ref: OVW is DOJ's Office on Violence Against Women; the consortium is OVW's
    assert objects(graph, "agency/ovw", TF.partOfAgency) == {"agency/ovw", "agency/doj"}
    assert objects(graph, "body/ovw-consortium", TF.partOfAgency) == {"agency/ovw", "agency/doj"}
    assert objects(graph, "body/jtfa", TF.partOfAgency) == {"agency/doj"}  # a body: not itself
    assert objects(graph, "agency/doj", TF.partOfAgency) == {"agency/doj"}
    assert subjects(graph, TF.partOfAgency, "agency/ovw") == {"agency/ovw", "body/ovw-consortium"}


def test_the_topic_closure_of_forced_labor(graph):
    assert objects(graph, "topic/forced-labor", TF.underTopic) == {
        "topic/forced-labor",
        "topic/human-trafficking",
    }
    assert subjects(graph, TF.underTopic, "topic/human-trafficking") == {
        "topic/human-trafficking",
        "topic/forced-labor",
        "topic/labor-trafficking",
        "topic/sex-trafficking",
        # the terms 22 U.S.C. 7102 defines (data/law/facts.ttl): under trafficking, sex
        # trafficking and labor trafficking
        "topic/severe-forms-of-trafficking",
        "topic/coercion",
        "topic/commercial-sex-act",
        "topic/involuntary-servitude",
        "topic/debt-bondage",
    }


def test_what_counts_for_forced_labor_follows_skos_related(graph):
    # forced labor and labor trafficking are related (triples.ttl, as the law relates them):
    # labor trafficking and the terms 22 U.S.C. 7102 defines under it count for forced labor
    assert subjects(graph, TF.countsForTopic, "topic/forced-labor") == {
        "topic/forced-labor",
        "topic/labor-trafficking",
        "topic/involuntary-servitude",
        "topic/debt-bondage",
    }
    # and what counts for a topic counts for the topics above it, not for unrelated ones
    assert objects(graph, "topic/debt-bondage", TF.countsForTopic) == {
        "topic/debt-bondage",
        "topic/labor-trafficking",
        "topic/human-trafficking",
        "topic/forced-labor",
    }


def test_a_section_is_within_its_act(graph):
    assert objects(graph, "provision/tariff-act-1930-s307", TF.withinLaw) == {
        "statute/tariff-act-1930"
    }
    assert objects(graph, "statute/tariff-act-1930", TF.withinLaw) == set()


def test_joined_quote_and_pillar_count(graph):
    fletf = URIRef(TFR + "body/fletf")
    quotes = sorted(str(q) for q in graph.objects(fletf, TF.quote))
    assert [str(q) for q in graph.objects(fletf, TF.joinedQuote)] == [" … ".join(quotes)]
    # DHS acts in all four pillars (test_queries: agencies-across-pillars)
    assert set(graph.objects(URIRef(TFR + "agency/dhs"), TF.pillarCount)) == {
        Literal("4", datatype=XSD_INTEGER)
    }


def test_both_engines_derive_the_same_triples(memory_graph):
    memory = memory_graph
    index = shipped_graph("oxigraph")  # the shipped files' index, built by store.py's rules
    on_disk = {tuple(store.comparable(t) for t in triple) for triple in derived(index)}
    assert on_disk == {tuple(store.comparable(t) for t in triple) for triple in derived(memory)}
    assert len(on_disk) > 250


def test_every_derived_property_is_declared_and_marked_with_its_rule():
    ontology = load_files(ontology_files())
    marked = {
        prop: str(rule)
        for prop, rule in ontology.subject_objects(TF.derivedBy)
        if isinstance(prop, URIRef)
    }
    assert marked == {
        prop: f"queries/rules/{rule.name}.rq" for rule in rules() for prop in rule.derives
    }
    assert set(marked) == derived_properties()


def test_derived_triples_held_already_are_derived_again(tmp_path):
    """A graph exported with its derived triples and loaded again, with a quote added, has one
    joined quote, the new one, not the stale one beside it."""
    path = tmp_path / "extra.ttl"
    path.write_text(
        "@prefix tf: <https://w3id.org/tf-graph/ontology#> .\n"
        '<urn:x> tf:quote "b" , "a" ; tf:joinedQuote "b" .\n',
        encoding="utf-8",
    )
    graph = load_graph([path], include_core=False)
    assert list(graph.objects(URIRef("urn:x"), TF.joinedQuote)) == [Literal("a … b")]
    assert stated_triples(graph) == 2
    assert apply_rules(graph) == 1 and len(graph) == 3  # again: nothing new


def test_export_writes_the_derived_triples(run, graph, tmp_path):
    out = tmp_path / "graph.nt"
    assert run("export", "--format", "nt", "-o", str(out)).exit_code == 0
    written = load_files([out])  # parsed only: no rules applied
    assert derived(written) == derived(graph)
    assert objects(written, "agency/ovw", TF.partOfAgency) == {"agency/ovw", "agency/doj"}

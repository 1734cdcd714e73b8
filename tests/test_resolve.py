"""resolve_entity: labels, abbreviations, aliases, slugs, IRIs, misspellings, kinds, errors."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef

from tf_graph.errors import UnknownEntityError, WrongKindError
from tf_graph.questions.resolve import normalise, resolve_entity

#: every test on the shipped graph runs on each engine (tests/conftest.py)
pytestmark = pytest.mark.engines

TFR = "https://w3id.org/tf-graph/id/"


def iri(slug: str) -> URIRef:
    return URIRef(TFR + slug)


@pytest.mark.parametrize(
    ("term", "kind", "slug"),
    [
        # labels and abbreviations, any case
        ("DHS", None, "agency/dhs"),
        ("dhs", None, "agency/dhs"),
        ("Department of Homeland Security", None, "agency/dhs"),
        ("department of homeland security", "agency", "agency/dhs"),
        ("Homeland Security", None, "agency/dhs"),
        ("Justice Department", None, "agency/doj"),
        ("the Justice Department", "agency", "agency/doj"),
        ("Labor Department", "agency", "agency/dol"),
        ("FinCEN", "agency", "agency/fincen"),
        ("Treasury", None, "agency/treasury"),
        ("U.S. Customs and Border Protection", None, "agency/cbp"),
        ("US Customs and Border Protection", None, "agency/cbp"),
        ("PITF", None, "body/pitf"),
        ("fletf", "body", "body/fletf"),
        # topics: spelling variants, plurals, articles
        ("forced labor", "topic", "topic/forced-labor"),
        ("forced labour", "topic", "topic/forced-labor"),
        ("Forced Labor", "topic", "topic/forced-labor"),
        ("supply chain", "topic", "topic/supply-chains"),
        ("the supply chains", "topic", "topic/supply-chains"),
        # laws
        ("the Tariff Act of 1930", "law", "statute/tariff-act-1930"),
        ("section 307", None, "provision/tariff-act-1930-s307"),
        ("Section 307 of the Tariff Act of 1930", "law", "provision/tariff-act-1930-s307"),
        ("UFLPA", "law", "statute/uflpa"),
        ("Uyghur Forced Labor Prevention Act", None, "statute/uflpa"),
        ("EO 14053", "law", "eo/14053"),
        ("the National Action Plan", "law", "document/nap"),
        # small misspellings
        ("Homland Security", None, "agency/dhs"),
        ("Departmnt of Justise", None, "agency/doj"),
        ("forced labr", "topic", "topic/forced-labor"),
        # slugs, prefixed names and IRIs
        ("agency/dhs", None, "agency/dhs"),
        ("agency:dhs", None, "agency/dhs"),
        ("initiative/doj-jtfa-launch", None, "initiative/doj-jtfa-launch"),
        ("https://w3id.org/tf-graph/id/agency/dhs", None, "agency/dhs"),
        ("<https://w3id.org/tf-graph/id/topic/forced-labor>", "topic", "topic/forced-labor"),
        # kinds pick the right one of two things with a similar name
        ("prevention", "pillar", "pillar/prevention"),
        ("Mexico", "country", "country/mexico"),
        ("seafood", "sector", "sector/seafood"),
    ],
)
def test_resolves(graph, term, kind, slug):
    assert resolve_entity(graph, term, kind) == iri(slug)


def test_the_tariff_act_is_an_alias_the_data_gives(graph):
    # the data's skos:altLabel "the Tariff Act" names the Act of 1930 (issue 15: it named
    # section 307, so `show "Tariff Act"` opened the section); "section 307" is the section
    assert resolve_entity(graph, "the Tariff Act") == iri("statute/tariff-act-1930")
    assert resolve_entity(graph, "Tariff Act") == iri("statute/tariff-act-1930")
    assert resolve_entity(graph, "section 307") == iri("provision/tariff-act-1930-s307")


def test_kind_filter_refuses_other_kinds(graph):
    message = r"^'DHS' names the agency Department of Homeland Security, not a topic$"
    with pytest.raises(WrongKindError, match=message):
        resolve_entity(graph, "DHS", "topic")
    # a topic parameter never lands on the task force named after the topic
    assert resolve_entity(graph, "forced labor", "topic") == iri("topic/forced-labor")
    assert resolve_entity(graph, "Forced Labor Enforcement Task Force") == iri("body/fletf")


def test_unknown_with_suggestions(graph):
    with pytest.raises(UnknownEntityError) as err:
        resolve_entity(graph, "Department of Magic", "agency")
    assert str(err.value).startswith("unknown agency 'Department of Magic'; did you mean: ")
    assert err.value.suggestions and all(s.startswith("Department") for s in err.value.suggestions)
    assert err.value.exit_code == 2


def test_unknown_without_anything_close(graph):
    with pytest.raises(UnknownEntityError, match=r"^unknown entity 'zzzzqqq'$"):
        resolve_entity(graph, "zzzzqqq")


def test_empty_and_overlong_terms(graph):
    with pytest.raises(UnknownEntityError):
        resolve_entity(graph, "   ")
    with pytest.raises(UnknownEntityError) as err:
        resolve_entity(graph, "x" * 5000)
    assert len(str(err.value)) < 200


def test_iri_not_in_graph_is_unknown(graph):
    with pytest.raises(UnknownEntityError):
        resolve_entity(graph, "https://example.org/nothing")


def test_ambiguous_names_are_not_guessed():
    graph = Graph()
    graph.parse(
        data="""
        @prefix tf: <https://w3id.org/tf-graph/ontology#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <https://w3id.org/tf-graph/id/agency/a> a tf:Agency ; rdfs:label "Office of Alpha"@en .
        <https://w3id.org/tf-graph/id/agency/b> a tf:Agency ; rdfs:label "Office of Beta"@en .
        """,
        format="turtle",
    )
    with pytest.raises(UnknownEntityError) as err:
        resolve_entity(graph, "Office")
    assert set(err.value.suggestions) == {"Office of Alpha", "Office of Beta"}
    assert resolve_entity(graph, "alpha") == iri("agency/a")


def test_normalise():
    assert normalise("The U.S. Department’s Programs!") == "us department program"
    assert normalise("forced-labour") == "forced labour"
    assert normalise("DHS") == "dhs"
    assert normalise("agencies") == "agency"


def test_a_name_of_another_kind_is_named_as_such(graph):
    with pytest.raises(WrongKindError) as err:
        resolve_entity(graph, "FLETF", "agency")
    assert str(err.value) == (
        "'FLETF' names the coordination body Forced Labor Enforcement Task Force, not an agency"
    )
    assert isinstance(err.value, UnknownEntityError) and err.value.exit_code == 2


def test_each_index_view_has_its_own_names(tmp_path):
    """The full index of names is kept per graph object: two rdflib views of two indexes have
    the same identifier (rdflib's default graph) and so compare equal, yet one view's names
    never answer for the other (a --data graph's own resources are found after the shipped
    graph was asked about)."""
    from tf_graph.engines.store import open_store_graph
    from tf_graph.questions.resolve import closest_entity
    from tf_graph.resources import core_files

    extra = tmp_path / "extra.ttl"
    extra.write_text(
        "@prefix tf: <https://w3id.org/tf-graph/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://w3id.org/tf-graph/id/agency/ftc> a tf:Agency ;\n"
        '    rdfs:label "Federal Trade Commission"@en .\n',
        "utf-8",
    )
    shipped = open_store_graph(core_files(), tmp_path / "store")
    mine = open_store_graph(core_files() + [extra], tmp_path / "store")
    assert shipped == mine  # (rdflib's equality: the same identifier)
    assert closest_entity(shipped, "Federal Trade Commission") is None
    assert closest_entity(mine, "Federal Trade Commission") == iri("agency/ftc")
    assert closest_entity(shipped, "Federal Trade Commission") is None

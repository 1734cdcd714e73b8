"""show ENTITY: a profile with type, names, description, links in and out, quotes."""

from __future__ import annotations

import json

import pytest

from tf_graph.errors import UnknownEntityError
from tf_graph.questions.profile import format_profile, profile

#: every test on the shipped graph runs on each engine (tests/conftest.py)
pytestmark = pytest.mark.engines

TFR = "https://w3id.org/tf-graph/id/"


def labels(links) -> set[str]:
    return {link.label for link in links}


def test_profile_of_an_agency(graph):
    found = profile(graph, "Homeland Security")
    assert str(found.iri) == TFR + "agency/dhs"
    assert found.label == "Department of Homeland Security"
    assert "Agency" in found.types
    assert "DHS" in found.names
    assert found.description
    # out: sheet "chaired by the Department of Homeland Security"; ref: FLETF and PITF member
    assert labels(found.links_out["member of"]) == {
        "Forced Labor Enforcement Task Force",
        "President’s Interagency Task Force to Monitor and Combat Trafficking in Persons",
    }
    # in: what it chairs, leads and partners in, and its component
    assert labels(found.links_in["chaired by"]) == {"Forced Labor Enforcement Task Force"}
    assert len(found.links_in["led by"]) == 4
    assert len(found.links_in["partner"]) == 3
    assert any("Customs and Border Protection" in link.label for links in found.links_in.values()
               for link in links)  # fmt: skip


def test_profile_of_an_initiative_has_its_facts_and_quote(graph):
    found = profile(graph, "initiative/doj-anti-trafficking-funding-2021")
    assert found.types == ["Initiative"]
    # facts are named by the ontology's property labels ("amount (USD)", "date", ...)
    values = sorted(v for values in found.facts.values() for v in values)
    assert values == ["2021-12", "87000000", "almost"]
    assert found.quotes == [
        "In December 2021, the Department of Justice (DOJ) announced almost $87 million in "
        "funding to combat human trafficking, provide supportive services to trafficking victims "
        "throughout the United States, and conduct research into the nature and causes of labor "
        "and sex trafficking."
    ]
    assert labels(found.links_out["led by"]) == {"Department of Justice"}


def test_format_profile(graph):
    text = format_profile(profile(graph, "FLETF"))
    lines = text.splitlines()
    assert lines[0] == "Forced Labor Enforcement Task Force"
    assert f"  IRI:   {TFR}body/fletf" in lines
    assert "  Type:  CoordinationBody" in lines
    assert "Links out:" in lines and "Links in:" in lines and "Quotes:" in lines
    assert "  → chaired by (1)" in lines
    assert "  ← member of (7)" in lines


def test_profile_json(graph):
    document = profile(graph, "section 307").to_json()
    json.dumps(document)
    assert document["iri"] == TFR + "provision/tariff-act-1930-s307"
    # its U.S. Code citation names the Code's section, to which it links
    assert {
        "value": TFR + "law/usc/19/1307",
        "label": "19 U.S.C. 1307",
    } in [item for items in document["out"].values() for item in items]
    assert {"value": TFR + "statute/tariff-act-1930", "label": "Tariff Act of 1930"} in [
        item for items in document["out"].values() for item in items
    ]


def test_unknown_entity(graph):
    with pytest.raises(UnknownEntityError, match=r"^unknown entity 'Departmnt of Magik'"):
        profile(graph, "Departmnt of Magik")

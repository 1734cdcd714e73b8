"""Exploring the graph: the overview, entity pages (served with content negotiation and written
as a static site), the reconciliation service and the overview picture, on the shipped graph
and on crafted --data files."""

from __future__ import annotations

import functools
import json
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from starlette.applications import Starlette
from support import serving

from tf_graph.build.loading import load_graph
from tf_graph.build.rules import derived_properties
from tf_graph.errors import OutputError
from tf_graph.namespaces import ORG, TF, TFR
from tf_graph.server.pages import describe, explore_routes, negotiate
from tf_graph.server.reconcile import Query, reconcile
from tf_graph.viz.entity_page import Source, entity_view, server_links
from tf_graph.viz.overview import OVERVIEW_CLASSES, OVERVIEW_MAX, build_overview
from tf_graph.viz.site import MARKER, entity_iris, write_site
from tf_graph.viz.visualisation import network_of

DHS = f"{TFR}agency/dhs"
CBP = f"{TFR}agency/cbp"
FLETF = f"{TFR}body/fletf"
HARRIS = f"{TFR}person/kamala-harris"
EVIL = '<img src=x onerror="alert(1)">'
EVIL_TTL = EVIL.replace('"', '\\"')
STATEMENT_QUOTE = "DHS chairs the Forced Labor Enforcement Task Force (a test statement)."
STATEMENT_TTL = f"""
@prefix tf: <https://w3id.org/tf-graph/ontology#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
<https://w3id.org/tf-graph/id/statement/fletf-chair> a tf:Statement ;
    rdf:subject <{FLETF}> ; rdf:predicate tf:chairedBy ; rdf:object <{DHS}> ;
    tf:quote "{STATEMENT_QUOTE}" ; tf:locator "19 U.S.C. 4681(b)" ;
    prov:wasDerivedFrom <https://example.org/law-text> .
"""
HOSTILE_TTL = f"""
@prefix tf: <https://w3id.org/tf-graph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/tf-graph/id/initiative/evil> a tf:Initiative ;
    rdfs:label "{EVIL_TTL}"@en ;
    rdfs:comment "a <b>bold</b> & risky description" ;
    tf:quote "</style><script>alert(2)</script> DHS" ;
    tf:ledBy <{DHS}> .
"""


@pytest.fixture(scope="module")
def net(graph):
    """The network the page and picture draw."""
    return network_of(graph)


@pytest.fixture(scope="module")
def overview(net):
    return build_overview(net)


def _cls(net, node):
    return net.nodes[node]["cls"]


def _parents(net, node):
    return [t for _, t, p in net.out_edges(node, keys=True) if p == str(ORG.subOrganizationOf)]


# --- the overview ---------------------------------------------------------------------------


def test_overview_holds_departments_bodies_pillars_and_laws(net, overview):
    shown = set(overview.nodes)
    assert len(shown) == 42 <= OVERVIEW_MAX
    assert {_cls(net, n) for n in shown} == set(OVERVIEW_CLASSES)
    departments = {
        n
        for n in net
        if _cls(net, n) == "Agency" and not any(_cls(net, p) == "Agency" for p in _parents(net, n))
    }
    assert {n for n in shown if _cls(net, n) == "Agency"} == departments
    assert len(departments) == 17
    pillars = {n for n in net if _cls(net, n) == "Pillar"}
    laws = {n for n in net if _cls(net, n) in ("Statute", "ExecutiveOrder")}
    assert pillars | laws <= shown
    # components fold into their department, a chain of them into the top one
    assert CBP in overview.members[DHS]
    assert {f"{TFR}agency/bia", f"{TFR}agency/bia-ojs", f"{TFR}agency/mmu"} <= set(
        overview.members[f"{TFR}agency/doi"]
    )
    assert (
        f"{TFR}provision/tariff-act-1930-s307" in overview.members[f"{TFR}statute/tariff-act-1930"]
    )
    assert f"{TFR}body/spog-visa-working-group" in overview.members[f"{TFR}body/spog"]
    assert not shown & {m for ms in overview.members.values() for m in ms}


def test_no_overview_node_is_left_without_a_link(net, overview):
    shown = set(overview.nodes)
    linked = {n for u, v in net.edges() if u in shown and v in shown for n in (u, v)}
    linked |= {n for link in overview.links for n in (link.source, link.target)}
    assert shown <= linked
    # the one resource with no link at all is named (and listed on the page), not drawn
    assert overview.unlinked == [HARRIS]


def test_initiatives_are_folded_into_counts(net, overview):
    for node in overview.nodes:
        own = {node, *overview.members.get(node, ())}
        expected = {
            i
            for i in net
            if _cls(net, i) == "Initiative"
            and own & (set(net.successors(i)) | set(net.predecessors(i)))
        }
        assert set(overview.initiatives.get(node, ())) == expected, node
    # DHS's seven bullets, and the Blue Lightning Initiative its component CBP leads (ref)
    dhs = set(overview.initiatives[DHS])
    assert len(dhs) == 8
    assert overview.summary(DHS, net) == "1 component, 8 initiatives"


def test_overview_links_stand_for_the_nodes_they_pass_through(net, overview):
    assert overview.links
    shown = set(overview.nodes)
    for link in overview.links:
        assert link.source in shown and link.target in shown and link.source != link.target
        assert link.via and not link.via & {link.source, link.target}
        if link.label == "initiatives":
            initiatives = [v for v in link.via if _cls(net, v) == "Initiative"]
            assert initiatives
            for i in initiatives:
                ends = {link.source, *overview.members.get(link.source, ())}
                assert ends & (set(net.successors(i)) | set(net.predecessors(i)))
    prevention = f"{TFR}pillar/prevention"
    dhs_prevention = [
        link for link in overview.links if (link.source, link.target) == (DHS, prevention)
    ]
    assert len(dhs_prevention) == 1
    via = {v for v in dhs_prevention[0].via if _cls(net, v) == "Initiative"}
    expected = {i for i in overview.initiatives[DHS] if net.nodes[i].get("pillar") == "Prevention"}
    assert via == expected


def test_page_opens_on_the_overview_only_for_the_whole_graph(run, tmp_path, overview):
    from test_viz import embedded_data

    whole = tmp_path / "g.html"
    assert run("viz", "-o", str(whole)).exit_code == 0
    data = embedded_data(whole.read_text(encoding="utf-8"))
    assert data["overview"]["nodes"] == overview.nodes
    assert len(data["overview"]["links"]) == len(overview.links)
    assert data["unlinked"] == [
        {
            "id": HARRIS,
            "name": "Kamala Harris",
            "cls": "Person",
            "description": "Vice President of the United States, quoted at the head of the fact "
            "sheet.",
        }
    ]
    focus = tmp_path / "f.html"
    assert run("viz", "--focus", "DHS", "-o", str(focus)).exit_code == 0
    assert embedded_data(focus.read_text(encoding="utf-8"))["overview"] is None


def test_a_selection_lists_as_not_linked_only_what_has_no_link_at_all(run, tmp_path):
    from test_viz import embedded_data

    # agencies linked only to bodies and initiatives stand alone among agencies: they are
    # not "Not linked" (the list says the graph records no link for them)
    agencies = tmp_path / "a.html"
    assert run("viz", "--class", "Agency", "-o", str(agencies)).exit_code == 0
    assert embedded_data(agencies.read_text(encoding="utf-8"))["unlinked"] == []
    people = tmp_path / "p.html"
    assert run("viz", "--class", "Person", "-o", str(people)).exit_code == 0
    assert [u["id"] for u in embedded_data(people.read_text(encoding="utf-8"))["unlinked"]] == [
        HARRIS
    ]


# --- entity pages ---------------------------------------------------------------------------


#: 19 U.S.C. 4681(b)(1), as data/sources/law/19-usc-4681.md has it: the law makes DHS the
#: FLETF's chair (and a member), and names USTR and DOL among its members
FLETF_MEMBERS_LAW = (
    "The Task Force shall be chaired by the Secretary of Homeland Security and shall be"
    " comprised of representatives from such other agencies with relevant expertise, including"
    " the Office of the United States Trade Representative and the Department of Labor, as the"
    " President determines appropriate."
)
#: 22 U.S.C. 7103(b): the PITF's members, the Secretary of Homeland Security among them
PITF_MEMBERS_LAW = (
    "The President shall appoint the members of the Task Force, which shall include the"
    " Secretary of State, the Administrator of the United States Agency for International"
    " Development, the Attorney General, the Secretary of Labor, the Secretary of Health and"
    " Human Services, the Director of National Intelligence, the Secretary of Defense, the"
    " Secretary of Homeland Security, the Secretary of Education, the Secretary of Commerce, the"
    " Secretary of the Treasury, the United States Trade Representative, and such other"
    " officials as may be designated by the President."
)


def test_entity_view_groups_links_with_their_evidence(graph):
    view = entity_view(graph, URIRef(DHS), server_links())
    assert view is not None
    assert (view.label, view.cls) == ("Department of Homeland Security", "Agency")
    assert "DHS" in view.names
    groups = {g.heading: g for g in view.groups}
    # the rules' derived facts (tf:partOfAgency, tf:pillarCount ...) are for queries: no
    # source states them ("DHS part of agency DHS" was listed, with DHS's quote as evidence)
    assert set(groups) == {"chairs", "leads", "partner in", "parts", "member of"}
    assert view.facts == []
    led = {str(s) for s in graph.subjects(TF.ledBy, URIRef(DHS))}
    assert {i.iri for i in groups["leads"].items} == led
    # the fact sheet's bullets on DHS's initiatives each name DHS
    assert [i.evidence.quotes for i in groups["leads"].items] == [
        [
            "DHS designated a senior accountable official to prevent human trafficking in DHS"
            " contracts and acquisitions."
        ],
        [
            "Last year, DHS detained more shipments of goods (in value and number) made by forced"
            " labor than in any previous year, leading four separate international corporations to"
            " remediate forced labor conditions."
        ],
        [
            "DHS also initiated the first-ever criminal investigations to hold accountable"
            " companies and individuals who use forced labor to produce goods abroad."
        ],
        [
            "DHS will incorporate a victim-centered approach into all policies and programs"
            " involving victims of crime."
        ],
    ]
    for item in groups["leads"].items:
        assert not item.evidence.of_fact
        assert item.evidence.sources[0].label.startswith("FACT SHEET")
        assert item.href == "/id/" + item.iri[len(str(TFR)) :]
    # where a law states the fact, its words are the evidence, located in the law
    chairs = groups["chairs"].items
    assert [i.iri for i in chairs] == [FLETF]
    assert chairs[0].evidence.of_fact and chairs[0].evidence.quotes == [FLETF_MEMBERS_LAW]
    assert chairs[0].evidence.locator == Source("19 U.S.C. 4681(b)(1)", "/id/law/usc/19/4681/b/1")
    assert [s.href for s in chairs[0].evidence.sources] == ["/id/source/19-usc-4681"]
    member = {i.iri: i.evidence for i in groups["member of"].items}
    assert set(member) == {FLETF, f"{TFR}body/pitf"}
    assert member[FLETF].quotes == [FLETF_MEMBERS_LAW]
    assert member[f"{TFR}body/pitf"].quotes == [PITF_MEMBERS_LAW]
    assert member[f"{TFR}body/pitf"].locator == Source("22 U.S.C. 7103(b)", "/id/law/usc/22/7103/b")
    # CBP's quotes do not name DHS: no quote is offered for "DHS has the part CBP", only
    # where the graph has the fact from
    (cbp,) = groups["parts"].items
    assert cbp.iri == CBP and cbp.evidence.quotes == [] and not cbp.evidence.of_fact
    assert cbp.evidence.sources


def test_a_quote_is_evidence_only_where_it_names_the_other_end(graph):
    fletf = entity_view(graph, URIRef(FLETF), server_links())
    groups = {g.heading: {i.iri: i.evidence for i in g.items} for g in fletf.groups}
    # "The Forced Labor Enforcement Task Force, chaired by the Department of Homeland Security
    # (DHS)" was shown as the evidence that EO 13923 established the FLETF; it does not say so
    assert groups["established by"][f"{TFR}eo/13923"].quotes == []
    # "the Department of State (State)" names the Department of State, and only it: the
    # Department's words do not make it a FLETF member (a reference does)
    assert groups["members"][f"{TFR}agency/state"].quotes == []
    # whole words: "State" is not named by "United States"
    from tf_graph.viz.entity_page import names_in

    state = URIRef(f"{TFR}agency/state")
    assert not names_in(graph, state, "the United States Trade Representative")
    assert names_in(graph, state, "The Department of State (State) will")
    # nor is the pillar "Prevention" named by the title of the UFLPA, which the FLETF's
    # initiative quotes: no quote stands under its "pillar Prevention" row
    prevention = URIRef(f"{TFR}pillar/prevention")
    assert not names_in(graph, prevention, "implement the Uyghur Forced Labor Prevention Act")
    assert names_in(graph, prevention, "the Uyghur Forced Labor Prevention Act, and prevention")
    initiative = entity_view(
        graph, URIRef(f"{TFR}initiative/fletf-uflpa-enforcement-strategy"), server_links()
    )
    rows = {g.heading: {i.iri: i.evidence for i in g.items} for g in initiative.groups}
    assert rows["pillar"][str(prevention)].quotes == []
    # but "forced labor" stands alone in "goods made by forced labor from the People's Republic"
    assert rows["addresses"][f"{TFR}topic/forced-labor"].quotes != []
    # the initiative's own label holds its quote's words: it does not hide the name of its lead
    strategy = entity_view(graph, URIRef(f"{TFR}initiative/doj-national-strategy"), server_links())
    (led,) = next(g.items for g in strategy.groups if g.heading == "led by")
    assert led.evidence.quotes[0].startswith(
        "In 2022, DOJ will release an intra-Departmental National Strategy to Combat Human"
        " Trafficking"
    )


def test_a_statement_of_the_exact_fact_is_preferred(tmp_path):
    extra = tmp_path / "statement.ttl"
    extra.write_text(STATEMENT_TTL, encoding="utf-8")
    graph = load_graph((extra,))
    view = entity_view(graph, URIRef(DHS), server_links())
    chairs = next(g for g in view.groups if g.heading == "chairs").items
    evidence = chairs[0].evidence
    assert evidence.of_fact and evidence.quotes == [STATEMENT_QUOTE]
    assert evidence.locator == Source("19 U.S.C. 4681(b)", None)  # a literal: no link
    assert [s.href for s in evidence.sources] == ["https://example.org/law-text"]
    # the statement is bookkeeping, not a link of DHS's own
    assert all("statement" not in i.iri for g in view.groups for i in g.items)
    # other links keep the resource's own quote
    leads = next(g for g in view.groups if g.heading == "leads").items
    assert not any(i.evidence.of_fact for i in leads)


LAW_PART = f"{TFR}law/19-usc-4681-b"
LAW_TTL = f"""
@prefix tf: <https://w3id.org/tf-graph/ontology#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
<{LAW_PART}> a tf:LegalText ; rdfs:label "19 U.S.C. 4681(b) (test)" ;
    dcterms:identifier "19 U.S.C. 4681(b)" ; tf:text "The Task Force shall be chaired." ;
    eli:is_part_of <{TFR}law/19-usc-4681> ; tf:within <{TFR}law/19-usc-4681> .
<{TFR}law/19-usc-4681> a tf:LegalText ; rdfs:label "19 U.S.C. 4681 (test)" .
<{TFR}statement/fletf-chair-law> a tf:Statement ;
    rdf:subject <{FLETF}> ; rdf:predicate tf:chairedBy ; rdf:object <{DHS}> ;
    tf:quote "The Task Force shall be chaired." ; tf:locator <{LAW_PART}> .
<{TFR}body/outside-test> a tf:CoordinationBody ; rdfs:label "A body (test)" .
<{DHS}> tf:memberOf <{TFR}body/outside-test> .
<{TFR}statement/dhs-member-outside> a tf:Statement ;
    rdf:subject <{DHS}> ; rdf:predicate tf:memberOf ; rdf:object <{TFR}body/outside-test> ;
    dcterms:source <https://example.org/reference> .
"""


def test_a_law_part_locates_the_words_and_lists_the_facts_it_states(tmp_path):
    extra = tmp_path / "law.ttl"
    extra.write_text(LAW_TTL, encoding="utf-8")
    graph = load_graph((extra,))
    view = entity_view(graph, URIRef(DHS), server_links())
    groups = {g.heading: g.items for g in view.groups}
    chair = groups["chairs"][0].evidence
    assert chair.of_fact and chair.quotes == ["The Task Force shall be chaired."]
    assert (chair.locator.label, chair.locator.href) == (
        "19 U.S.C. 4681(b)",
        "/id/law/19-usc-4681-b",
    )
    # a statement without words is an outside fact, shown with its reference, not a quote
    outside = next(i for i in groups["member of"] if i.iri.endswith("/outside-test")).evidence
    assert outside.of_fact and outside.quotes == [] and not outside.in_text
    assert [s.href for s in outside.sources] == ["https://example.org/reference"]
    law = entity_view(graph, URIRef(LAW_PART), server_links())
    assert law.cls == "LegalText"
    assert law.texts == [("The law's words", "The Task Force shall be chaired.")]
    stated = {g.heading: g.items for g in law.groups}["facts quoted from here"]
    assert [(i.iri, i.label) for i in stated] == [
        (FLETF, "Forced Labor Enforcement Task Force chaired by Department of Homeland Security")
    ]
    # the words are the part's whole text, shown above: not repeated under the fact
    assert stated[0].evidence.in_text and stated[0].evidence.quotes == []
    # tf:within repeats eli:is_part_of: the page links to the part above once
    parent = entity_view(graph, URIRef(f"{TFR}law/19-usc-4681"), server_links())
    assert [(g.heading, [i.iri for i in g.items]) for g in parent.groups] == [("parts", [LAW_PART])]


def test_the_law_part_of_the_fletf_s_members_lists_the_facts_it_states(graph):
    part = entity_view(graph, URIRef(f"{TFR}law/usc/19/4681/b/1"), server_links())
    assert part.texts == [("The law's words", FLETF_MEMBERS_LAW)]
    groups = {g.heading: g.items for g in part.groups}
    assert [i.label for i in groups["facts quoted from here"]] == [
        "Department of Homeland Security member of Forced Labor Enforcement Task Force",
        "Department of Labor member of Forced Labor Enforcement Task Force",
        "Forced Labor Enforcement Task Force chaired by Department of Homeland Security",
        "Office of the U.S. Trade Representative member of Forced Labor Enforcement Task Force",
    ]
    assert all(i.evidence.in_text for i in groups["facts quoted from here"])
    # eli:has_part repeats eli:is_part_of the other way: each link is listed once; the
    # text's numbering makes the division, no quote or source line is shown with it
    assert [i.iri for i in groups["is part of"]] == [f"{TFR}law/usc/19/4681/b"]
    assert groups["is part of"][0].evidence is None
    assert set(groups) == {"is part of", "facts quoted from here"}
    above = entity_view(graph, URIRef(f"{TFR}law/usc/19/4681/b"), server_links())
    assert [(g.heading, [i.label for i in g.items]) for g in above.groups] == [
        ("parts", ["19 U.S.C. 4681(b)(1)", "19 U.S.C. 4681(b)(2)"]),
        ("is part of", ["19 U.S.C. 4681"]),
    ]


def test_a_statement_s_page_is_its_fact_its_words_and_their_place(graph):
    view = entity_view(graph, URIRef(f"{TFR}statement/fletf-chaired-by-dhs"), server_links())
    assert view.quotes == [FLETF_MEMBERS_LAW]
    groups = {g.heading: g.items for g in view.groups}
    assert [i.iri for i in groups["subject"]] == [FLETF]
    assert [i.iri for i in groups["object"]] == [DHS]
    assert [i.href for i in groups["locator"]] == ["/id/law/usc/19/4681/b/1"]
    # the statement is the evidence: its words are not repeated under each of its parts
    assert all(i.evidence is None for items in groups.values() for i in items)


def test_a_law_section_s_page_reads_as_the_section_does(graph):
    from tf_graph.viz.entity_page import render_entity

    section = entity_view(graph, URIRef(f"{TFR}law/usc/19/4681"), server_links())
    # 19 U.S.C. 4681 as data/sources/law/19-usc-4681.md has it: (a), (b), (b)(1), (b)(2)
    assert [(p.label, p.title, p.depth) for p in section.subdivisions] == [
        ("19 U.S.C. 4681(a)", "Establishment", 0),
        ("19 U.S.C. 4681(b)", "Members; meetings", 0),
        ("19 U.S.C. 4681(b)(1)", "Members", 1),
        ("19 U.S.C. 4681(b)(2)", "Meetings", 1),
    ]
    texts = [p.text for p in section.subdivisions]
    assert texts[0] == (
        "Not later than 90 days after January 29, 2020 , the President shall establish a Forced"
        " Labor Enforcement Task Force to monitor United States enforcement of the prohibition"
        " under section 1307 of this title ."
    )
    assert texts[1] == "" and texts[2] == FLETF_MEMBERS_LAW
    assert section.subdivisions[2].href == "/id/law/usc/19/4681/b/1"
    html = render_entity(section, server_links())
    assert "The Task Force shall be chaired by the Secretary of Homeland Security" in html
    # the code section that codifies an Act's section says so (not "codified at (pointing here)")
    code = entity_view(graph, URIRef(f"{TFR}law/usc/19/1307"), server_links())
    groups = {g.heading: g.items for g in code.groups}
    assert [i.iri for i in groups["codifies"]] == [f"{TFR}provision/tariff-act-1930-s307"]
    # a fact whose value is a long text is named by its start
    assert max(len(i.label) for i in groups["facts quoted from here"]) < 150


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    extra = tmp_path_factory.mktemp("data") / "hostile.ttl"
    extra.write_text(HOSTILE_TTL, encoding="utf-8")
    import httpx

    app = Starlette(routes=explore_routes(functools.partial(load_graph, (extra,))))
    with serving(app) as base, httpx.Client(base_url=base, timeout=60) as http:
        http.graph = load_graph((extra,))  # the same graph, to compare answers with
        yield http


def test_entity_iri_dereferences_to_html_for_a_browser(client):
    page = client.get(
        "/id/agency/dhs", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    )
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.headers["vary"] == "Accept"
    assert "script-src" not in page.headers["content-security-policy"]
    assert "<h1>Department of Homeland Security</h1>" in page.text
    assert "<script" not in page.text
    hrefs = set(re.findall(r'href="(/id/[^"]+)"', page.text))
    assert "/id/body/fletf" in hrefs and "/id/agency/cbp" in hrefs
    for href in hrefs:  # pages link to one another
        assert client.get(href).status_code == 200, href


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("text/html;q=0.5, text/turtle;q=0.9", "turtle"),
    ],
)
def test_entity_iri_dereferences_to_rdf_by_accept(client, accept, fmt):
    answer = client.get("/id/body/fletf", headers={"Accept": accept})
    assert answer.status_code == 200
    assert answer.headers["vary"] == "Accept"
    got = Graph().parse(data=answer.content, format=fmt)
    triples = set(got)
    assert (URIRef(FLETF), TF.chairedBy, URIRef(DHS)) in triples
    assert (URIRef(DHS), TF.chairedBy, URIRef(FLETF)) not in triples
    assert (URIRef(f"{TFR}agency/ustr"), TF.memberOf, URIRef(FLETF)) in triples  # links in, too
    # with the law's words for the facts a law states: the statement of the chair
    chair = URIRef(f"{TFR}statement/fletf-chaired-by-dhs")
    assert (chair, TF.quote, Literal(FLETF_MEMBERS_LAW)) in triples
    assert (chair, TF.locator, URIRef(f"{TFR}law/usc/19/4681/b/1")) in triples
    statements = {s for s, p, _ in triples if p == RDF.subject}
    assert all(FLETF in (str(s), str(o)) or s in statements for s, _, o in triples)
    assert isomorphic(got, describe(client.graph, URIRef(FLETF)))


def test_describe_round_trips_through_turtle(graph):
    found = describe(graph, URIRef(DHS))
    back = Graph().parse(data=found.serialize(format="turtle"), format="turtle")
    assert isomorphic(found, back)
    dhs = URIRef(DHS)
    about = {t for t in found if dhs in (t[0], t[2])}
    stated = {
        t
        for t in {*graph.triples((dhs, None, None)), *graph.triples((None, None, dhs))}
        if t[1] not in derived_properties()
    }
    assert about == stated
    assert (dhs, TF.partOfAgency, dhs) in graph  # derived by a rule, and left out
    assert not any(p in derived_properties() for _, p, _ in found)
    # the law's statements of DHS's facts (19 U.S.C. 4681(b)(1), 22 U.S.C. 7103(b)), whole
    statements = set(found.subjects(RDF.type, TF.Statement))
    assert statements == {
        URIRef(f"{TFR}statement/{name}")
        for name in ("fletf-chaired-by-dhs", "dhs-member-of-fletf", "dhs-member-of-pitf")
    }
    for st in statements:
        assert set(found.triples((st, None, None))) == {
            t for t in graph.triples((st, None, None)) if t[1] not in derived_properties()
        }
    assert set(found) == about | {t for st in statements for t in found.triples((st, None, None))}
    quotes = {str(q) for st in statements for q in found.objects(st, TF.quote)}
    assert quotes == {FLETF_MEMBERS_LAW, PITF_MEMBERS_LAW}


def test_unknown_entity_is_404_and_unacceptable_format_406(client):
    missing = client.get("/id/agency/no-such-agency")
    assert missing.status_code == 404
    assert "https://w3id.org/tf-graph/id/agency/no-such-agency" in missing.text
    hostile = client.get("/id/agency/%3Cb%3Ex")
    assert (
        hostile.status_code == 404 and "<b>x" not in hostile.text and "&lt;b&gt;x" in hostile.text
    )
    assert client.get("/id/agency/dhs", headers={"Accept": "image/png"}).status_code == 406
    assert client.get("/id/../agency/dhs").status_code in (404, 200)  # never outside /id/


def test_negotiation_follows_q_values():
    assert negotiate("") == "text/html"
    assert negotiate("*/*") == "text/html"
    assert negotiate("text/*;q=0.2, application/ld+json") == "application/ld+json"
    assert negotiate("text/turtle;q=0, text/html;q=0.1") == "text/html"
    assert negotiate("application/*") == "application/xhtml+xml"


def test_entity_page_escapes_labels_and_quotes(client):
    page = client.get("/id/initiative/evil").text
    assert EVIL not in page and "<script>alert(2)" not in page and "<b>bold" not in page
    assert "&lt;img src=x onerror=" in page
    assert "&lt;/style&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in page
    dhs = client.get("/id/agency/dhs").text
    assert "&lt;img src=x" in dhs and "<img" not in dhs  # the label, in DHS's links and picture


def test_index_lists_every_entity_by_kind(client, graph):
    page = client.get("/id/").text
    assert page.count('href="/id/') >= len(entity_iris(graph))
    assert 'id="Agency"' in page and "Department of Homeland Security" in page


# --- reconciliation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("Homeland Security Dept", None, "agency/dhs"),
        ("Homeland Security Dept", "agency", "agency/dhs"),
        ("Dept. of Labor", None, "agency/dol"),
        ("Dept. of Labor", "agency", "agency/dol"),
        ("Tariff Act section 307", None, "provision/tariff-act-1930-s307"),
        ("Tariff Act section 307", "provision", "provision/tariff-act-1930-s307"),
        ("Interagency Task Force on Trafficking", None, "body/pitf"),
        ("Interagency Task Force on Trafficking", "body", "body/pitf"),
        ("Tariff Act", "statute", "statute/tariff-act-1930"),
        ("forced labour", "topic", "topic/forced-labor"),
        ("Mexico", "country", "country/mexico"),
        ("Exec. Order 14053", "eo", "eo/14053"),
    ],
)
def test_names_find_the_right_iri_first(graph, text, kind, expected):
    found = reconcile(graph, Query(text, kind, 3))
    assert found[0]["id"] == expected
    assert found[0]["match"] is True and found[0]["score"] == 100.0
    assert [c["score"] for c in found] == sorted((c["score"] for c in found), reverse=True)
    assert not any(c["match"] for c in found[1:])
    if kind:
        assert all(any(t["id"] == kind for t in c["type"]) for c in found)


def test_fuzzy_ranking_orders_names_the_resolver_cannot_pick(graph):
    found = reconcile(graph, Query("Departmnt Homland Securty Agncy", "agency", 3))
    assert found[0]["id"] == "agency/dhs"
    assert found[0]["match"] is False  # a ranking, not the resolver's pick


def test_reconcile_service_speaks_the_w3c_protocol(client):
    manifest = client.get("/reconcile").json()
    assert manifest["identifierSpace"] == str(TFR)
    assert manifest["view"]["url"].endswith("/id/{{id}}")
    assert {t["id"] for t in manifest["defaultTypes"]} >= {
        "agency",
        "body",
        "statute",
        "eo",
        "topic",
        "country",
    }
    batch = {
        "q0": {"query": "Homeland Security Dept", "type": "agency", "limit": 2},
        "q1": {"query": "Dept. of Labor"},
    }
    form = client.post("/reconcile", data={"queries": json.dumps(batch)}).json()
    assert [c["id"] for c in form["q0"]["result"]] == ["agency/dhs", form["q0"]["result"][1]["id"]]
    assert len(form["q0"]["result"]) == 2
    assert form["q1"]["result"][0]["name"] == "Department of Labor"
    assert client.get("/reconcile", params={"queries": json.dumps(batch)}).json() == form
    assert client.post("/reconcile", json={"queries": batch}).json() == form
    # view: identifierSpace + id is the IRI, and /id/{{id}} its page
    assert client.get("/id/" + form["q0"]["result"][0]["id"]).status_code == 200


#: a spreadsheet's column of agency names, as people write them, and the agency each means
#: (None: not in the graph -- the FBI is not named by the fact sheet or the law texts)
AGENCY_COLUMN = {
    "Department of Homeland Security": "agency/dhs",
    "department of homeland security ": "agency/dhs",
    "Homeland Security Dept": "agency/dhs",
    "Dept. of Labor": "agency/dol",
    "U.S. Department of State": "agency/state",
    "State Department": "agency/state",
    "Justice Dept.": "agency/doj",
    "U.S. Dept. of Health & Human Services": "agency/hhs",
    "Dept of Transportation": "agency/dot",
    "USAID": "agency/usaid",
    "Office of the US Trade Representative": "agency/ustr",
    "Treasury Department": "agency/treasury",
    "U.S. Customs & Border Protection": "agency/cbp",
    "Bureau of Indian Affairs": "agency/bia",
    "Dept. of Defense": "agency/dod",
    "Office of Management & Budget": "agency/omb",
    "Director of National Intelligence": "agency/odni",
    "Commerce Dept": "agency/doc",
    "Interior Department": "agency/doi",
    "Office on Violence Against Women": "agency/ovw",
    "FBI": None,
    "Foo Bar Agency": None,
}


def test_a_column_of_agency_names_is_reconciled_in_one_batch(client):
    names = list(AGENCY_COLUMN)
    batch = {f"q{i}": {"query": n, "type": "agency", "limit": 3} for i, n in enumerate(names)}
    answer = client.post("/reconcile", data={"queries": json.dumps(batch)}).json()
    matched = {}
    for i, name in enumerate(names):
        result = answer[f"q{i}"]["result"]
        assert all(c["type"] == [{"id": "agency", "name": "Agency"}] for c in result)
        matched[name] = next((c["id"] for c in result if c["match"]), None)
    assert matched == AGENCY_COLUMN


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"queries": "{not json"},
            "queries is not JSON: Expecting property name enclosed in double quotes at character 1",
        ),
        (
            {"queries": '{"q0": {"query": "DHS", "type": "planet"}}'},
            "unknown type 'planet'; use one of: agency, body, statute, provision, eo, document, "
            "law, initiative, topic, sector, country, pillar, event, person",
        ),
        ({"queries": '{"q0": {"limit": 3}}'}, "query 'q0': needs a string 'query'"),
        (
            {"queries": '{"q0": {"query": "DHS", "limit": 0}}'},
            "query 'q0': limit must be a positive whole number",
        ),
        ({}, "POST needs a form field 'queries' (a JSON object of queries)"),
    ],
)
def test_bad_reconcile_requests_are_one_line_400s(client, body, message):
    answer = client.post("/reconcile", data=body)
    assert answer.status_code == 400
    assert answer.json() == {"error": message}


# --- the static site ------------------------------------------------------------------------


class _Hrefs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.sources: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if values.get("href"):
            self.hrefs.append(values["href"])
        if values.get("src"):
            self.sources.append(values["src"])


@pytest.fixture(scope="module")
def built_site(tmp_path_factory):
    """``tf-graph site -o FOLDER`` of the shipped graph: the folder and what the command said."""
    from click.testing import CliRunner

    from tf_graph.cli import main

    out = tmp_path_factory.mktemp("built") / "site"
    result = CliRunner().invoke(main, ["site", "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out, result


def test_site_works_from_disk_with_relative_links(built_site, graph):
    out, result = built_site
    pages = len(entity_iris(graph))
    assert result.stdout.strip() == f"{out}: {pages} entity pages, index.html, network.html"
    assert (out / "id" / "agency" / "dhs.html").exists() and (out / MARKER).exists()
    html_files = sorted(out.rglob("*.html"))
    assert len(html_files) == pages + 2
    for path in html_files:
        parser = _Hrefs()
        parser.feed(path.read_text(encoding="utf-8"))
        assert parser.sources == [], path
        for href in parser.hrefs:
            if href.startswith(("https://", "http://", "#")):
                continue
            assert not href.startswith("/"), (path, href)
            target = Path(unquote(urljoin(path.as_uri(), href).removeprefix("file://")))
            assert target.exists(), (path, href)
    dhs = (out / "id" / "agency" / "dhs.html").read_text(encoding="utf-8")
    assert 'href="../../id/body/fletf.html"' in dhs and 'href="../../index.html"' in dhs
    network = (out / "network.html").read_text(encoding="utf-8")
    assert (
        '"pages":{"prefix":"https://w3id.org/tf-graph/id/","base":"id/","suffix":".html"}'
        in network
    )


def test_site_replaces_its_own_folder_and_refuses_others(run, tmp_path, built_site, graph):
    out = tmp_path / "site"
    shutil.copytree(built_site[0], out)  # an earlier site
    (out / "id" / "stale.html").write_text("old", encoding="utf-8")
    assert run("site", "-o", str(out)).exit_code == 0
    assert not (out / "id" / "stale.html").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # no temporary folder left
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me", encoding="utf-8")
    result = run("site", "-o", str(foreign))
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"error: {foreign}: folder is not empty and holds no earlier tf-graph site; "
        "choose a new or empty folder"
    )
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"]
    a_file = tmp_path / "file.txt"
    a_file.write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="exists and is not a folder"):
        write_site(graph, a_file)


# --- the overview picture -------------------------------------------------------------------


def test_overview_picture_labels_do_not_overlap(net, overview):
    from tf_graph.viz.picture import label_boxes, overview_figure

    fig, texts = overview_figure(net, "overview")
    assert len(texts) == len(overview.nodes)
    boxes = label_boxes(fig, texts)
    overlaps = [
        (texts[i].get_text(), texts[j].get_text())
        for i in range(len(boxes))
        for j in range(i + 1, len(boxes))
        if boxes[i].overlaps(boxes[j])
    ]
    assert overlaps == []
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == [
        "Agency (17)",
        "CoordinationBody (11)",
        "Statute (6)",
        "ExecutiveOrder (4)",
        "Pillar (4)",
        "direct link",
        "through initiatives",
    ]


def test_whole_graph_picture_is_the_overview(run, tmp_path, overview, net):
    out = tmp_path / "g.svg"
    assert run("viz", "-o", str(out)).exit_code == 0
    ET.parse(out)
    text = out.read_text(encoding="utf-8")
    assert "through initiatives" in text and "Agency (17)" in text
    assert "DHS" in text and "8 initiatives" in text
    png = tmp_path / "g.png"
    assert run("viz", "-o", str(png)).exit_code == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_no_description_speaks_of_one_engine():
    from tf_graph.questions.catalogue import list_queries

    for spec in list_queries():
        assert "Virtuoso" not in spec.description and "Oxigraph" not in spec.description, spec.name


@pytest.mark.parametrize(
    ("term", "kind"),
    [
        ("DHS", None),
        ("Homland Security", "agency"),
        ("section 307", None),
        ("forced labour", "topic"),
    ],
)
def test_closest_entity_is_the_resolvers_pick_without_the_error(graph, term, kind):
    from tf_graph.questions.resolve import closest_entity, resolve_entity

    assert closest_entity(graph, term, kind) == resolve_entity(graph, term, kind)


def test_closest_entity_is_none_where_the_resolver_fails(graph):
    from tf_graph.errors import UnknownEntityError
    from tf_graph.questions.resolve import closest_entity, resolve_entity

    for term, kind in (("no such thing at all", None), ("DHS", "topic"), ("", None)):
        with pytest.raises(UnknownEntityError):
            resolve_entity(graph, term, kind)
        assert closest_entity(graph, term, kind) is None


def test_a_long_group_is_cut_and_says_so(graph, monkeypatch):
    from tf_graph.viz import entity_page

    monkeypatch.setattr(entity_page, "MAX_GROUP_ITEMS", 2)
    view = entity_view(graph, URIRef(DHS), server_links())
    leads = next(g for g in view.groups if g.heading == "leads")
    names = sorted(
        (entity_page.label_of(graph, s) for s in graph.subjects(TF.ledBy, URIRef(DHS))),
        key=str.casefold,
    )
    assert (leads.total, [i.label for i in leads.items]) == (4, names[:2])
    html = entity_page.render_entity(view, server_links())
    assert "(2 of 4, by name)" in html

"""The shipped data (data/triples.ttl) against the fact sheet it is built from.

Spot checks cite the line of ``data/sources/pitf-fact-sheet-2022-01-25.md`` they were read off.
The tests rely only on the contract's class and property IRIs, not on ontology details.
"""

from __future__ import annotations

import re

import pytest
from rdflib import RDF, RDFS, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SKOS

from tf_graph import resources
from tf_graph.namespaces import KIND_NS, SCHEMA, TF, TFR
from tf_graph.sourcetext import collapse, plain_text, quote_in_source, read_plain_text

AGENCY, BODY, INITIATIVE = KIND_NS["agency"], KIND_NS["body"], KIND_NS["initiative"]
STATUTE, PROVISION, EO = KIND_NS["statute"], KIND_NS["provision"], KIND_NS["eo"]
DOCUMENT, PILLAR, TOPIC = KIND_NS["document"], KIND_NS["pillar"], KIND_NS["topic"]
SECTOR, COUNTRY, EVENT = KIND_NS["sector"], KIND_NS["country"], KIND_NS["event"]
STATUS, SOURCE, PERSON = KIND_NS["status"], KIND_NS["source"], KIND_NS["person"]
SHEET = SOURCE["pitf-fact-sheet-2022-01-25"]
WIKIDATA = "http://www.wikidata.org/entity/"
#: a plain namespace: pytest probes module globals, and rdflib's closed XSD namespace warns
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")


@pytest.fixture(scope="module")
def sheet_text() -> str:
    return read_plain_text(resources.source_document())


def data_resources(graph, cls: URIRef) -> set[URIRef]:
    """Instances of a contract class that live under the data namespace (not the ontology's)."""
    return {s for s in graph.subjects(RDF.type, cls) if str(s).startswith(str(TFR))}


def slugs(nodes) -> set[str]:
    return {str(n).rsplit("/", 1)[-1] for n in nodes}


def objects(graph, subject, prop) -> set:
    return set(graph.objects(subject, prop))


#: the status schemes, which live in ontology/concepts.ttl
STATUS_SCHEMES = {TFR.statuses, TFR["document-statuses"], TFR["body-statuses"]}


def curated(graph) -> set[URIRef]:
    """Every resource the data describes (subjects under tfr:, but not the status concepts,
    which live in ontology/concepts.ttl, nor the parts of the law texts and the statements of
    data/law/, which tests/test_law.py checks)."""
    return {
        s
        for s in graph.subjects()
        if isinstance(s, URIRef)
        and str(s).startswith(str(TFR))
        and not str(s).startswith((str(STATUS), f"{TFR}law/", f"{TFR}statement/"))
        and s not in STATUS_SCHEMES
    }


def shipped_sources(graph) -> set[URIRef]:
    """The fact sheet and the law texts: every source with a local copy."""
    return set(graph.subjects(TF.localCopy, None))


# --- quotes ----------------------------------------------------------------------------------


def test_every_quote_occurs_in_the_sheet(graph, sheet_text):
    # the quotes taken from the sheet; those from the law: tests/test_law.py
    quotes = [
        (s, q)
        for s, q in graph.subject_objects(TF.quote)
        if (s, PROV.wasDerivedFrom, SHEET) in graph
    ]
    assert len(quotes) > 100
    missing = [(s, str(q)) for s, q in quotes if not quote_in_source(str(q), sheet_text)]
    assert missing == []


def test_quotes_keep_typographic_characters(graph, sheet_text):
    # line 161: "the Department’s capacity" — a typewriter apostrophe would not match
    quote = str(graph.value(INITIATIVE["doj-national-strategy"], TF.quote))
    assert "Department’s" in quote
    assert not quote_in_source(quote.replace("’", "'"), sheet_text)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda q: q.replace("87", "78"),
        lambda q: q.replace("almost", "over"),
        lambda q: q + " and more",
        lambda q: "Recently, " + q,
    ],
)
def test_a_tampered_quote_is_caught(graph, sheet_text, tamper):
    quote = str(graph.value(INITIATIVE["doj-anti-trafficking-funding-2021"], TF.quote))
    assert quote_in_source(quote, sheet_text)
    assert not quote_in_source(tamper(quote), sheet_text)


def test_quotes_hold_no_markdown(graph):
    for _, quote in graph.subject_objects(TF.quote):
        assert not re.search(r"\]\(|\*|https?://", str(quote)), quote


def test_quotes_are_plain_strings(graph):
    for _, quote in graph.subject_objects(TF.quote):
        assert quote.language is None and quote.datatype in (None, XSD.string)


# --- the source document ----------------------------------------------------------------------


def test_source_document(graph):
    assert (SHEET, RDF.type, TF.SourceDocument) in graph
    assert str(graph.value(SHEET, RDFS.label)) == (
        "FACT SHEET: President’s Interagency Task Force to Monitor and Combat Trafficking "
        "in Persons"
    )  # front matter, line 7
    assert str(graph.value(SHEET, SCHEMA.url)).endswith(
        "/2022/01/25/fact-sheet-presidents-interagency-task-force-to-monitor-and-combat-"
        "trafficking-in-persons/"
    )  # line 5
    assert graph.value(SHEET, TF.date) == Literal("2022-01-25", datatype=XSD.date)
    local = graph.value(SHEET, TF.localCopy)
    assert (resources.data_dir() / str(local)).resolve() == resources.source_document().resolve()


def test_source_references_every_document_of_the_reference_list(graph):
    # lines 236-274: the "Additional references" list, plus the NAP linked on line 28
    assert slugs(graph.objects(SHEET, DCTERMS.references)) == {
        "nap",
        "nap-fact-sheet",
        "advisory-council-annual-report-2021",
        "usaid-ctip-policy",
        "13985",
        "14020",
        "14053",
        "xinjiang-supply-chain-business-advisory",
        "g7-trade-ministers-statement-forced-labor",
        "nals-key-deliverables",
        "blue-lightning-initiative-page",
        "tlaht-page",
        "jtfa-press-release",
        "summit-for-democracy-fact-sheet",
    }
    for ref in graph.objects(SHEET, DCTERMS.references):
        assert graph.value(ref, SCHEMA.url) is not None, ref


# --- counts and structure --------------------------------------------------------------------

EXPECTED_COUNTS = {
    TF.Agency: 24,
    TF.CoordinationBody: 13,
    TF.Initiative: 45,  # 43 actions, and the two programmes DOT will expand
    TF.Statute: 6,
    TF.StatutoryProvision: 4,
    TF.ExecutiveOrder: 4,
    TF.PolicyDocument: 18,
    TF.Topic: 48,  # 43 from the sheet, 5 terms the TVPA defines (22 U.S.C. 7102)
    TF.Sector: 15,
    TF.Country: 7,
    TF.Event: 2,
    TF.Pillar: 4,
    TF.Person: 1,
    TF.SourceDocument: 11,  # the sheet and the 10 law texts of data/sources/law/
    TF.Group: 6,
}


@pytest.mark.parametrize("cls", list(EXPECTED_COUNTS), ids=lambda c: str(c).rsplit("#")[-1])
def test_count_per_class(graph, cls):
    assert len(data_resources(graph, cls)) == EXPECTED_COUNTS[cls]


def test_every_resource_has_one_label_and_a_comment(graph):
    for node in curated(graph):
        labels = list(graph.objects(node, RDFS.label))
        assert len(labels) == 1, node
        assert labels[0].language == "en", node
        assert graph.value(node, RDFS.comment) is not None, node


def test_every_resource_is_typed_with_a_contract_class(graph):
    for node in curated(graph):
        types = set(graph.objects(node, RDF.type))
        assert any(str(t).startswith(str(TF)) or t == SKOS.ConceptScheme for t in types), node


def test_no_dangling_objects_of_tf_properties(graph):
    for s, p, o in graph:
        if str(p).startswith(str(TF)) and isinstance(o, URIRef):
            assert (o, RDF.type, None) in graph, (s, p, o)
            assert (o, RDFS.label, None) in graph, (s, p, o)


def test_every_initiative_has_its_core_facts(graph):
    statuses = {STATUS.completed, STATUS.ongoing, STATUS.planned}
    for node in data_resources(graph, TF.Initiative):
        assert len(objects(graph, node, TF.pillar)) == 1, node
        assert len(objects(graph, node, TF.status)) == 1, node
        assert objects(graph, node, TF.status) <= statuses, node
        assert objects(graph, node, TF.ledBy), node
        assert objects(graph, node, TF.quote), node
        assert objects(graph, node, PROV.wasDerivedFrom) == {SHEET}, node
        assert objects(graph, node, TF.addresses), node


def test_dates_have_the_contract_datatypes(graph):
    allowed = {XSD.date, XSD.gYearMonth, XSD.gYear}
    for _, date in graph.subject_objects(TF.date):
        assert date.datatype in allowed, date
    for node in curated(graph):
        assert len(objects(graph, node, TF.date)) <= 1, node


def test_resources_from_outside_the_sheet_cite_their_source(graph):
    for node in curated(graph) - shipped_sources(graph):
        if not set(graph.objects(node, PROV.wasDerivedFrom)) & shipped_sources(graph):
            assert (node, DCTERMS.source, None) in graph, node
        # Wikidata links, membership lists and Public Law / U.S. Code numbers are reference facts
        identifier = str(graph.value(node, DCTERMS.identifier) or "")
        if (
            graph.value(node, OWL.sameAs) is not None
            or "Pub. L." in identifier
            or "U.S.C." in identifier
        ):
            assert (node, DCTERMS.source, None) in graph, node


@pytest.mark.parametrize(
    ("node", "prop"),
    [
        (BODY.pitf, TF.chairedBy),  # 22 U.S.C. 7103(c)
        (BODY.spog, TF.chairedBy),  # 22 CFR 104.1
        (BODY.spog, TF.establishedBy),  # TVPRA 2003
        (BODY["advisory-council"], TF.establishedBy),  # JVTA 2015 s115
        (BODY["advisory-council"], TF.advises),  # 22 U.S.C. 7103b
        (BODY.fletf, TF.establishedBy),  # 19 U.S.C. 4681, EO 13923
        (BODY.jtfa, TF.date),  # DOJ press release of 2021-06-07
        (DOCUMENT.nap, TF.date),  # ACF: released 2021-12-03
        (DOCUMENT.nap, TF.issuedBy),  # ACF: released by the White House
        (STATUTE.uflpa, DCTERMS.references),  # govinfo: barred under 19 U.S.C. 1307
        (STATUTE.uflpa, TF.date),  # enacted 2021-12-23
    ],
    ids=lambda v: str(v).rsplit("/", 1)[-1].rsplit("#", 1)[-1],
)
def test_each_reference_fact_sits_on_a_resource_citing_its_source(graph, node, prop):
    assert graph.value(node, prop) is not None
    # a fact the shipped law texts state has its statement quoting the law (tests/test_law.py)
    quoted = {
        statement
        for statement in graph.subjects(RDF.subject, node)
        if (statement, RDF.predicate, prop) in graph and (statement, TF.quote, None) in graph
    }
    if quoted:
        return
    sources = {str(o) for o in graph.objects(node, DCTERMS.source)}
    assert sources and all(src.startswith("https://") for src in sources)


def test_outside_only_resources_are_exactly_the_reference_facts(graph):
    shipped = shipped_sources(graph)
    outside = {
        n
        for n in curated(graph)
        if not set(graph.objects(n, PROV.wasDerivedFrom)) & shipped and n not in shipped
    }
    # (the PITF's and SPOG's members and chairs, the State office: the law texts state them)
    assert {str(n).split("/id/")[1] for n in outside} == {
        "agency/cbp",
        "statute/tvpra-2003",
        "statute/jvta-2015",
        "statute/usmca-implementation-act",
        "provision/tvpa-s105",
        "provision/jvta-2015-s115",
        "provision/usmca-implementation-act-s741",
        "eo/13923",
    }  # (statements, such as who leads the Blue Lightning Initiative, are counted in test_law)


def test_wikidata_links_are_only_the_checked_items(graph):
    links = {
        str(s).rsplit("/", 1)[-1]: str(o).removeprefix(WIKIDATA)
        for s, o in graph.subject_objects(OWL.sameAs)
    }
    assert links == {
        "dhs": "Q11231",
        "doj": "Q1553390",
        "state": "Q789915",
        "dol": "Q628807",
        "hhs": "Q942326",
        "doc": "Q503577",
        "dod": "Q11209",
        "doi": "Q608427",
        "dot": "Q852211",
        "usaid": "Q217072",
        "omb": "Q284392",
        "ovw": "Q7079431",
        "cbp": "Q368804",
    }


# --- names users type -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("node", "names"),
    [
        (AGENCY.dhs, {"DHS", "Homeland Security", "Department of Homeland Security"}),
        (AGENCY.doj, {"DOJ", "Justice Department", "Department of Justice", "Justice"}),
        (AGENCY.state, {"State", "State Department", "DOS"}),
        (AGENCY.fincen, {"FinCEN"}),
        (AGENCY.usaid, {"USAID"}),
        (BODY.pitf, {"PITF"}),
        (BODY.fletf, {"FLETF"}),
        (BODY.jtfa, {"JTFA"}),
        (BODY.spog, {"SPOG"}),
        (TOPIC["forced-labor"], {"forced labour"}),
        (PROVISION["tariff-act-1930-s307"], {"section 307", "Section 307"}),
        (STATUTE["tariff-act-1930"], {"the Tariff Act", "Tariff Act"}),
        (STATUTE.tvpa, {"TVPA"}),
        (STATUTE.uflpa, {"UFLPA"}),
        (DOCUMENT.nap, {"NAP", "National Action Plan"}),
        (EO["14053"], {"EO 14053", "Executive Order 14053"}),
    ],
)
def test_alt_labels_users_type(graph, node, names):
    assert names <= {str(v) for v in graph.objects(node, SKOS.altLabel)}


def test_every_agency_and_body_has_an_alt_label(graph):
    for cls in (TF.Agency, TF.CoordinationBody):
        for node in data_resources(graph, cls):
            assert graph.value(node, SKOS.altLabel) is not None, node


def test_no_name_points_to_two_resources(graph):
    owners: dict[str, set] = {}
    for prop in (RDFS.label, SKOS.altLabel, SKOS.prefLabel):
        for node, name in graph.subject_objects(prop):
            if str(node).startswith(str(TFR)):
                owners.setdefault(collapse(str(name)).lower(), set()).add(node)
    assert {name: nodes for name, nodes in owners.items() if len(nodes) > 1} == {}


# --- concept schemes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cls", "scheme"),
    [(TF.Topic, TFR.topics), (TF.Sector, TFR.sectors), (TF.Pillar, TFR.pillars)],
)
def test_concepts_sit_in_their_scheme_with_one_name(graph, cls, scheme):
    assert (scheme, RDF.type, SKOS.ConceptScheme) in graph
    assert graph.value(scheme, RDFS.label) is not None
    for node in data_resources(graph, cls):
        assert (node, RDF.type, SKOS.Concept) in graph
        assert (node, SKOS.inScheme, scheme) in graph
        assert objects(graph, node, SKOS.prefLabel) == objects(graph, node, RDFS.label)


def test_topic_hierarchy(graph):
    broader = {
        (str(s).rsplit("/", 1)[-1], str(o).rsplit("/", 1)[-1])
        for s, o in graph.subject_objects(SKOS.broader)
        if (s, RDF.type, TF.Topic) in graph
    }
    for kind, parent in [
        ("forced-labor", "human-trafficking"),
        ("labor-trafficking", "human-trafficking"),
        ("sex-trafficking", "human-trafficking"),
        ("domestic-violence", "gender-based-violence"),
        ("dating-violence", "gender-based-violence"),
        ("sexual-assault", "gender-based-violence"),
        ("stalking", "gender-based-violence"),
        ("trauma-informed-care", "victim-services"),
        ("racial-equity", "equity"),
        ("gender-equity", "equity"),
        ("anti-money-laundering", "illicit-finance"),
    ]:
        assert (kind, parent) in broader
    # migrant smuggling is a crime of its own, not a kind of trafficking
    assert not any(kind == "migrant-smuggling" for kind, _ in broader)


def test_fixed_slugs_of_identifiers_md_exist(graph):
    text = (resources.root() / "docs" / "identifiers.md").read_text(encoding="utf-8")
    for line in text.splitlines():
        match = re.match(
            r"\| (agency|body|statute|provision|eo|document|pillar|topic|sector|"
            r"country|event|source|person) \| (.*) \|$",
            line,
        )
        if not match:
            continue
        kind, cells = match.groups()
        for slug in re.findall(r"`([a-z0-9-]+)`", cells):
            assert (KIND_NS[kind][slug], RDFS.label, None) in graph, f"{kind}:{slug}"


# --- spot checks read off the sheet -----------------------------------------------------------


def test_doj_funding(graph):
    # lines 102-108: "In December 2021, the Department of Justice (DOJ) announced almost
    # $87 million in funding ... This includes approximately $15 million ..."
    whole = INITIATIVE["doj-anti-trafficking-funding-2021"]
    part = INITIATIVE["doj-victim-housing-funding-2021"]
    assert graph.value(whole, TF.amountUSD) == Literal("87000000", datatype=XSD.decimal)
    assert str(graph.value(whole, TF.amountQualifier)) == "almost"
    assert graph.value(whole, TF.date) == Literal("2021-12", datatype=XSD.gYearMonth)
    assert graph.value(whole, TF.status) == STATUS.completed
    assert graph.value(whole, TF.pillar) == PILLAR.protection
    assert {TOPIC["labor-trafficking"], TOPIC["sex-trafficking"], TOPIC.research} <= objects(
        graph, whole, TF.addresses
    )
    assert graph.value(part, TF.amountUSD) == Literal("15000000", datatype=XSD.decimal)
    assert str(graph.value(part, TF.amountQualifier)) == "approximately"
    assert graph.value(part, DCTERMS.isPartOf) == whole
    amounts = {s for s, _ in graph.subject_objects(TF.amountUSD)}
    assert amounts == {whole, part}  # the sheet gives no other dollar figure


def test_fletf(graph):
    # lines 93-98: "The Forced Labor Enforcement Task Force, chaired by the Department of
    # Homeland Security (DHS), will work to implement the Uyghur Forced Labor Prevention Act by
    # developing a strategy for supporting enforcement of Section 307 ..."
    assert graph.value(BODY.fletf, TF.chairedBy) == AGENCY.dhs
    strategy = INITIATIVE["fletf-uflpa-enforcement-strategy"]
    assert objects(graph, strategy, TF.ledBy) == {BODY.fletf}
    assert objects(graph, strategy, TF.implements) == {
        STATUTE.uflpa,
        PROVISION["tariff-act-1930-s307"],
    }
    assert objects(graph, strategy, TF.country) == {COUNTRY.china}
    assert (
        graph.value(PROVISION["tariff-act-1930-s307"], DCTERMS.isPartOf)
        == (STATUTE["tariff-act-1930"])
    )
    # its U.S. Code citation names the Code's section, to which it is linked
    assert graph.value(PROVISION["tariff-act-1930-s307"], TF.codifiedAt) == TFR["law/usc/19/1307"]
    assert str(graph.value(TFR["law/usc/19/1307"], RDFS.label)) == "19 U.S.C. 1307"
    # reference facts: members and creators, cited
    members = {s for s in graph.subjects(TF.memberOf, BODY.fletf)}
    assert slugs(members) == {"dhs", "ustr", "dol", "state", "treasury", "doj", "doc"}
    assert slugs(objects(graph, BODY.fletf, TF.establishedBy)) == {
        "usmca-implementation-act-s741",
        "13923",
    }
    assert graph.value(BODY.fletf, DCTERMS.source) is not None


def test_jtfa(graph):
    # lines 136-142: "In 2021, DOJ launched Joint Task Force Alpha (JTFA), in partnership with
    # DHS ... from Guatemala, El Salvador, Honduras, and Mexico. The Task Force is working ..."
    launch = INITIATIVE["doj-jtfa-launch"]
    assert objects(graph, launch, TF.ledBy) == {AGENCY.doj}
    assert objects(graph, launch, TF.partner) == {AGENCY.dhs}
    assert objects(graph, launch, TF.produces) == {BODY.jtfa}
    assert slugs(objects(graph, launch, TF.country)) == {
        "guatemala",
        "el-salvador",
        "honduras",
        "mexico",
    }
    assert {"guatemala", "el-salvador", "honduras", "mexico"} <= slugs(
        objects(graph, BODY.jtfa, TF.country)
    )
    work = INITIATIVE["jtfa-criminal-network-disruption"]
    assert objects(graph, work, TF.ledBy) == {BODY.jtfa}
    assert graph.value(work, TF.status) == STATUS.ongoing


def test_pitf(graph):
    # lines 24-29: "A cabinet-level entity created by the Trafficking Victims Protection Act
    # (TVPA) of 2000, the PITF ... implementing the recently released National Action Plan"
    assert STATUTE.tvpa in objects(graph, BODY.pitf, TF.establishedBy)
    # (and the TVPA: "Coordinate the implementation of this chapter", 22 U.S.C. 7103(d)(1))
    assert objects(graph, BODY.pitf, TF.implements) == {DOCUMENT.nap, STATUTE.tvpa}
    assert graph.value(BODY.pitf, TF.chairedBy) == AGENCY.state  # 22 U.S.C. 7103(c)
    assert str(graph.value(STATUTE.tvpa, DCTERMS.identifier)) == "Pub. L. 106-386"
    # line 30: the Advisory Council joined the meeting; reference facts: it advises PITF, SPOG
    meeting = EVENT["pitf-meeting-2022-01-25"]
    assert objects(graph, meeting, SCHEMA.attendee) == {BODY.pitf, BODY["advisory-council"]}
    assert graph.value(meeting, TF.date) == Literal("2022-01-25", datatype=XSD.date)
    assert objects(graph, BODY["advisory-council"], TF.advises) == {BODY.pitf, BODY.spog}


def test_treasury_has_at_least_three_partnership_initiatives(graph):
    # lines 183-194: engagement, co-hosted gaming training, public-private partnership,
    # "will continue to engage"; FinCEN's priorities are FinCEN's
    treasury = {
        s
        for s in graph.subjects(TF.ledBy, AGENCY.treasury)
        if (s, TF.pillar, PILLAR.partnerships) in graph
    }
    assert len(treasury) >= 3
    gaming = INITIATIVE["treasury-gaming-training"]
    assert objects(graph, gaming, TF.partner) == {AGENCY.doj, AGENCY.dhs}
    assert objects(graph, gaming, TF.sector) == {SECTOR.gaming}
    assert graph.value(AGENCY.fincen, ORG_SUB) == AGENCY.treasury


ORG_SUB = URIRef("http://www.w3.org/ns/org#subOrganizationOf")


def test_components_and_their_parents(graph):
    parents = {
        ("fincen", "treasury"),
        ("ovw", "doj"),
        ("bia", "doi"),
        ("bia-ojs", "bia"),
        ("mmu", "bia-ojs"),
        ("cbp", "dhs"),
        ("state-tip", "state"),
    }
    found = {
        (str(s).rsplit("/", 1)[-1], str(o).rsplit("/", 1)[-1])
        for s, o in graph.subject_objects(ORG_SUB)
        if (s, RDF.type, TF.Agency) in graph
    }
    assert found == parents
    assert graph.value(BODY["hhs-task-force"], ORG_SUB) == AGENCY.hhs


def test_state_trainings_are_two_planned_initiatives(graph):
    # lines 115-125: "State will launch a publicly available online training ..." and
    # "State will also engage a Network consultant to develop a training for Federal agencies"
    for slug in (
        "state-trauma-informed-online-training",
        "state-federal-trauma-informed-interview-training",
    ):
        node = INITIATIVE[slug]
        assert objects(graph, node, TF.ledBy) == {AGENCY.state}
        assert graph.value(node, TF.status) == STATUS.planned
        assert graph.value(node, TF.pillar) == PILLAR.protection
        assert TOPIC["trauma-informed-care"] in objects(graph, node, TF.addresses)


def test_ustr_strategy_is_ongoing_in_2022(graph):
    # line 226: "In 2022, the Office of the U.S. Trade Representative will continue to develop"
    node = INITIATIVE["ustr-forced-labor-trade-strategy"]
    assert graph.value(node, TF.status) == STATUS.ongoing
    assert graph.value(node, TF.date) == Literal("2022", datatype=XSD.gYear)
    assert graph.value(node, TF.produces) == DOCUMENT["ustr-forced-labor-trade-strategy"]


def test_north_american_leaders_summit(graph):
    # lines 220-224: "As announced at the North American Leaders’ Summit in November 2021, the
    # U.S. Government, led by the Department of State, will work with Canada and Mexico ..."
    summit = EVENT["north-american-leaders-summit-2021"]
    assert graph.value(summit, TF.date) == Literal("2021-11", datatype=XSD.gYearMonth)
    announced = set(graph.subjects(TF.announcedAt, summit))
    assert slugs(announced) == {
        "state-trilateral-working-group-restart",
        "state-legal-migration-pathways",
    }
    for node in announced:
        assert objects(graph, node, TF.ledBy) == {AGENCY.state}
        # November 2021 is when they were announced; they are plans for 2022 (line 232)
        assert graph.value(node, TF.date) == Literal("2022", datatype=XSD.gYear)
    # "will work with Canada and Mexico to restart the Trilateral Working Group ... and will
    # promote legal pathways": Canada and Mexico are partners of the restart only
    restart = INITIATIVE["state-trilateral-working-group-restart"]
    pathways = INITIATIVE["state-legal-migration-pathways"]
    assert objects(graph, restart, TF.partner) == {COUNTRY.canada, COUNTRY.mexico}
    assert objects(graph, pathways, TF.partner) == set()
    assert objects(graph, pathways, TF.country) == {COUNTRY.usa}


def test_implements_only_where_the_sheet_says_so(graph):
    # lines 27, 94-96, 72, 161-162; the DHS detentions (line 144) name no law, so none is linked;
    # and where the law says so: 22 U.S.C. 7103(d)(1) (PITF, TVPA), 19 U.S.C. 4681(a) (FLETF, 1307)
    found = {
        (str(s).rsplit("/", 1)[-1], str(o).rsplit("/", 1)[-1])
        for s, o in graph.subject_objects(TF.implements)
    }
    assert found == {
        ("pitf", "nap"),
        ("fletf-uflpa-enforcement-strategy", "uflpa"),
        ("fletf-uflpa-enforcement-strategy", "tariff-act-1930-s307"),
        ("doj-national-strategy", "nap"),
        ("usaid-ctip-policy-programming", "usaid-ctip-policy"),
        ("pitf", "tvpa"),
        ("fletf", "tariff-act-1930-s307"),
    }


def test_nap_and_usaid_policy_dates(graph):
    # line 34 "released in December 2021" (reference facts: 2021-12-03); line 243 "Released
    # Dec. 14, 2021"
    assert graph.value(DOCUMENT.nap, TF.date) == Literal("2021-12-03", datatype=XSD.date)
    assert graph.value(DOCUMENT.nap, DCTERMS.source) is not None
    assert graph.value(DOCUMENT.nap, TF.issuedBy) == AGENCY["white-house"]
    assert str(graph.value(DOCUMENT.nap, SCHEMA.url)).endswith(
        "National-Action-Plan-to-Combat-Human-Trafficking.pdf"
    )
    assert graph.value(DOCUMENT["usaid-ctip-policy"], TF.date) == Literal(
        "2021-12-14", datatype=XSD.date
    )


def test_executive_orders(graph):
    # lines 244-256: numbers, titles, dates and Federal Register links
    expected = {
        "13985": ("2021-01-20", "Advancing Racial Equity"),
        "14020": ("2021-03-08", "Establishment of the White House Gender Policy Council"),
        "14053": ("2021-11-15", "Improving Public Safety and Criminal Justice for Native"),
    }
    for number, (date, title) in expected.items():
        node = EO[number]
        assert graph.value(node, TF.date) == Literal(date, datatype=XSD.date)
        assert str(graph.value(node, RDFS.label)).startswith(title)
        assert str(graph.value(node, DCTERMS.identifier)) == f"EO {number}"
        assert str(graph.value(node, SCHEMA.url)).startswith("https://www.federalregister.gov/")


def test_kamala_harris(graph):
    # lines 11-20: the two quotations of Vice President Kamala Harris
    harris = PERSON["kamala-harris"]
    assert str(graph.value(harris, SCHEMA.jobTitle)) == "Vice President"
    assert len(objects(graph, harris, TF.quote)) == 2


# --- every initiative: lead, pillar, status, date, read off the sheet ----------------------------

C, GO, P = "completed", "ongoing", "planned"  # tense: done / "continue", "is working" / "will"
#: slug -> (leads, pillar, status, date or None, line of the sheet). Line 232 dates every plan
#: ("will ...") and the work that "will continue": "This fact sheet offers only a snapshot of the
#: Administration’s accomplishments from 2021 and plans for 2022."
INITIATIVES = {
    "hhs-task-force-establishment": ({"hhs"}, "prevention", C, None, 52),
    "hhs-task-force-focus-areas": ({"hhs-task-force"}, "prevention", P, "2022", 54),
    "spog-visa-working-group-establishment": ({"spog"}, "prevention", C, "2021", 59),
    "spog-visa-working-group-analysis": ({"spog-visa-working-group"}, "prevention", P, "2022", 61),
    "doc-seafood-coordination-group": ({"doc"}, "prevention", C, "2021", 65),
    "usaid-ctip-policy-release": ({"usaid"}, "prevention", C, "2021-12", 70),
    "usaid-ctip-policy-programming": ({"usaid"}, "prevention", P, "2022", 72),
    "dod-student-guide": ({"dod"}, "prevention", C, None, 76),
    "dhs-senior-accountable-official": ({"dhs"}, "prevention", C, None, 81),
    "dol-investigator-training": ({"dol"}, "prevention", P, "2022", 84),
    "ed-school-webinars": ({"ed"}, "prevention", P, "2022", 89),
    "fletf-uflpa-enforcement-strategy": ({"fletf"}, "prevention", P, "2022", 93),
    "doj-anti-trafficking-funding-2021": ({"doj"}, "protection", C, "2021-12", 102),
    "doj-victim-housing-funding-2021": ({"doj"}, "protection", C, "2021-12", 106),
    "spog-screening-working-group-establishment": ({"spog"}, "protection", C, None, 110),
    "spog-screening-best-practices": (
        {"spog-screening-working-group"},
        "protection",
        P,
        "2022",
        111,
    ),
    "state-trauma-informed-online-training": ({"state"}, "protection", P, "2022", 115),
    "state-federal-trauma-informed-interview-training": ({"state"}, "protection", P, "2022", 122),
    "doj-hhs-standards-of-care": ({"doj", "hhs"}, "protection", P, "2022", 127),
    "dhs-victim-centered-approach": ({"dhs"}, "protection", P, "2022", 131),
    "doj-jtfa-launch": ({"doj"}, "prosecution", C, "2021", 136),
    "jtfa-criminal-network-disruption": ({"jtfa"}, "prosecution", GO, None, 139),
    "dhs-forced-labor-shipment-detentions": ({"dhs"}, "prosecution", C, "2021", 144),
    "dhs-forced-labor-criminal-investigations": ({"dhs"}, "prosecution", GO, None, 147),
    "doi-missing-murdered-unit": ({"doi"}, "prosecution", C, "2021-04", 151),
    "doj-national-strategy": ({"doj"}, "prosecution", P, "2022", 159),
    "ovw-law-enforcement-training-consortium": ({"ovw"}, "prosecution", P, "2022", 168),
    "ovw-prosecution-ta-training": ({"ovw"}, "prosecution", P, "2022", 173),
    "ic-law-enforcement-information-sharing": ({"ic"}, "prosecution", P, "2022", 177),
    "treasury-financial-industry-engagement": ({"treasury"}, "partnerships", C, None, 183),
    "treasury-gaming-training": ({"treasury"}, "partnerships", C, None, 184),
    "treasury-forced-labor-public-private-partnership": (
        {"treasury"},
        "partnerships",
        C,
        None,
        186,
    ),
    "fincen-aml-cft-priorities": ({"fincen"}, "partnerships", C, None, 187),
    "treasury-continued-engagement": ({"treasury"}, "partnerships", GO, "2022", 192),
    "dot-transportation-stakeholder-work": ({"dot"}, "partnerships", GO, "2022", 196),
    "dot-tlaht-expansion": ({"dot"}, "partnerships", P, "2022", 200),
    # the programmes DOT "will ... expand" (lines 200-203), ongoing; BLI's leads are reference facts
    "tlaht": ({"dot"}, "partnerships", GO, None, 200),
    "blue-lightning-initiative": ({"dot", "cbp"}, "partnerships", GO, None, 202),
    "dot-blue-lightning-expansion": ({"dot"}, "partnerships", P, "2022", 201),
    "dot-advisory-committee-reestablishment": ({"dot"}, "partnerships", P, "2022", 203),
    "doc-forced-labor-supply-chain-guidance": ({"doc"}, "partnerships", P, "2022", 209),
    "omb-federal-procurement-dialogue": ({"omb"}, "partnerships", P, "2022", 214),
    "state-trilateral-working-group-restart": ({"state"}, "partnerships", P, "2022", 220),
    "state-legal-migration-pathways": ({"state"}, "partnerships", P, "2022", 223),
    "ustr-forced-labor-trade-strategy": ({"ustr"}, "partnerships", GO, "2022", 226),
}
DATE_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}


def test_the_table_covers_every_initiative(graph):
    assert slugs(data_resources(graph, TF.Initiative)) == set(INITIATIVES)


@pytest.mark.parametrize("slug", sorted(INITIATIVES))
def test_initiative_against_the_sheet(graph, sheet_text, slug):
    leads, pillar, status, date, line = INITIATIVES[slug]
    node = INITIATIVE[slug]
    assert slugs(graph.objects(node, TF.ledBy)) == leads
    assert graph.value(node, TF.pillar) == PILLAR[pillar]
    assert graph.value(node, TF.status) == STATUS[status]
    expected_date = None if date is None else Literal(date, datatype=DATE_TYPES[len(date)])
    assert graph.value(node, TF.date) == expected_date
    # every quote comes from the cited paragraph of the sheet (from the line before the cited
    # one to the next blank line), and the first of them starts on (or next to) the cited line
    lines = resources.source_document().read_text(encoding="utf-8").splitlines()
    end = next(i for i in range(line, len(lines) + 1) if i == len(lines) or not lines[i].strip())
    paragraph = plain_text("\n".join(lines[line - 2 : end]))
    quotes = sorted(collapse(str(q)) for q in graph.objects(node, TF.quote))
    assert quotes and all(q in paragraph for q in quotes), (slug, quotes, paragraph)
    first_words = " ".join(min(quotes, key=paragraph.index).split()[:2])
    nearby = collapse(" ".join(lines[line - 2 : line + 1]))
    assert first_words in nearby, (slug, first_words, nearby)


def test_separate_actions_have_separate_evidence(graph):
    # a bullet that names several actions gives one initiative per action, each with its own words
    seen: dict[str, URIRef] = {}
    for node in data_resources(graph, TF.Initiative):
        for quote in graph.objects(node, TF.quote):
            text = collapse(str(quote))
            assert text not in seen, (node, seen.get(text))
            seen[text] = node


def test_what_initiatives_produce(graph):
    # lines 52-53, 59-60, 65-67, 70-72, 110, 136, 151-153, 159, 168-170, 187-189, 203, 226
    found = {
        (str(s).rsplit("/", 1)[-1], str(o).split("/id/")[1])
        for s, o in graph.subject_objects(TF.produces)
    }
    assert {
        ("hhs-task-force-establishment", "body/hhs-task-force"),
        ("spog-visa-working-group-establishment", "body/spog-visa-working-group"),
        ("spog-screening-working-group-establishment", "body/spog-screening-working-group"),
        ("doc-seafood-coordination-group", "body/seafood-coordination-group"),
        ("usaid-ctip-policy-release", "document/usaid-ctip-policy"),
        ("doj-jtfa-launch", "body/jtfa"),
        ("doi-missing-murdered-unit", "agency/mmu"),
        ("doj-national-strategy", "document/doj-national-strategy"),
        ("ovw-law-enforcement-training-consortium", "body/ovw-consortium"),
        ("fincen-aml-cft-priorities", "document/fincen-aml-cft-priorities"),
        ("dot-advisory-committee-reestablishment", "document/dot-triennial-report"),
        ("ustr-forced-labor-trade-strategy", "document/ustr-forced-labor-trade-strategy"),
    } <= found


def test_partners_read_off_the_sheet(graph):
    # "in collaboration with" (line 65), "co-hosting ... with" (184), "in partnership with" (136),
    # "in coordination with" (201, 207), "with Canada and Mexico" (222: the restart only); the
    # Network of lines 120 and 123 is State's own ("its ... Network"), so it is no partner
    found = {
        (str(s).rsplit("/", 1)[-1], str(o).rsplit("/", 1)[-1])
        for s, o in graph.subject_objects(TF.partner)
    }
    assert found == {
        ("doc-seafood-coordination-group", "state"),
        ("doc-seafood-coordination-group", "dol"),
        ("treasury-gaming-training", "doj"),
        ("treasury-gaming-training", "dhs"),
        ("doj-jtfa-launch", "dhs"),
        ("dot-blue-lightning-expansion", "dhs"),
        ("dot-advisory-committee-reestablishment", "doj"),
        ("state-trilateral-working-group-restart", "canada"),
        ("state-trilateral-working-group-restart", "mexico"),
    }


def test_pillars_carry_the_sheets_words(graph, sheet_text):
    # line 16 and line 37: "prevention, protection, prosecution, and partnerships"
    for node in data_resources(graph, TF.Pillar):
        assert (
            str(graph.value(node, TF.quote))
            == "prevention, protection, prosecution, and partnerships"
        )
        assert str(graph.value(node, RDFS.label)).lower() in sheet_text


# --- the line-by-line audit of the data against the sheet (issue 15), point by point ----------
# Each test names the sheet's sentence it comes from; each failed on the data before the fix.

GROUP, STATEMENT = KIND_NS["group"], TFR["statement/"]
RDF_SUBJECT, RDF_PREDICATE, RDF_OBJECT = RDF.subject, RDF.predicate, RDF.object
#: line 232, the sheet's closing sentence
CLOSING = (
    "This fact sheet offers only a snapshot of the Administration’s accomplishments from 2021 "
    "and plans for 2022."
)


def test_1_forced_labor_and_labor_trafficking_are_related_as_the_law_relates_them(graph):
    # the sheet says "forced labor" (lines 45, 56, 65-67, 86, 93-98, 144-148, 186, 209, 226) and
    # "labor trafficking" (lines 104, 163); 22 U.S.C. 7102(11)(B) makes obtaining a person "for
    # labor or services, through the use of force, fraud, or coercion" a severe form of
    # trafficking, 19 U.S.C. 1307 defines forced labor: related, neither a kind of the other
    forced, labor = TOPIC["forced-labor"], TOPIC["labor-trafficking"]
    assert (forced, SKOS.related, labor) in graph
    assert (labor, SKOS.related, forced) in graph
    assert (forced, SKOS.broader, labor) not in graph
    assert (labor, SKOS.broader, forced) not in graph
    # each direction is a statement quoting the law that states it, at its subdivision
    for subject, obj, source, locator in (
        (labor, forced, SOURCE["22-usc-7102"], TFR["law/usc/22/7102/11/b"]),
        (forced, labor, SOURCE["19-usc-1307"], TFR["law/usc/19/1307"]),
    ):
        [statement] = [
            s
            for s in graph.subjects(RDF_SUBJECT, subject)
            if graph.value(s, RDF_PREDICATE) == SKOS.related and graph.value(s, RDF_OBJECT) == obj
        ]
        assert graph.value(statement, PROV.wasDerivedFrom) == source
        assert graph.value(statement, TF.locator) == locator
        assert graph.value(statement, TF.quote) is not None


PLANNED_DOCUMENTS = {
    "doj-national-strategy",  # line 159: "In 2022, DOJ will release"
    "doc-forced-labor-guidance",  # line 209: "DOC will develop training and guidance"
    "ustr-forced-labor-trade-strategy",  # line 226: "will continue to develop a trade strategy"
    "fletf-uflpa-enforcement-strategy",  # line 94: "will work to ... by developing a strategy"
    "dot-triennial-report",  # line 203: "to prepare and submit a triennial ... report"
}


def test_3_documents_have_a_status_and_forthcoming_ones_are_planned(graph):
    documents = data_resources(graph, TF.PolicyDocument)
    status = {slugs([d]).pop(): graph.value(d, TF.status) for d in documents}
    assert {s for s, v in status.items() if v == STATUS.planned} == PLANNED_DOCUMENTS
    assert {s for s, v in status.items() if v != STATUS.planned} == {
        s for s, v in status.items() if v == STATUS.published
    }
    assert len(status) == 18 and None not in status.values()


def test_4_plans_for_2022_are_dated_by_the_closing_sentence(graph, sheet_text):
    assert quote_in_source(CLOSING, sheet_text)
    planned = {n for n in data_resources(graph, TF.Initiative) if graph.value(n, TF.status) == P_}
    # lines 196 ("DOT ... will continue working"), 192 ("Treasury will continue"), 226 ("In
    # 2022, ... USTR will continue"): ongoing work the sheet plans for 2022 too
    continuing = {
        INITIATIVE[s]
        for s in (
            "dot-transportation-stakeholder-work",
            "treasury-continued-engagement",
            "ustr-forced-labor-trade-strategy",
        )
    }
    for node in planned | continuing:
        assert graph.value(node, TF.date) == Literal("2022", datatype=XSD.gYear), node
    # the two whose own sentence says "In 2022" need no other words; the rest cite line 232
    own = {
        INITIATIVE[s] for s in ("doj-national-strategy", "ovw-law-enforcement-training-consortium")
    }
    own.add(INITIATIVE["ustr-forced-labor-trade-strategy"])
    cited = set()
    for statement in graph.subjects(RDF_PREDICATE, TF.date):
        assert (statement, RDF.type, TF.Statement) in graph
        assert str(graph.value(statement, TF.quote)) == CLOSING
        assert graph.value(statement, PROV.wasDerivedFrom) == SHEET
        assert graph.value(statement, RDF_OBJECT) == Literal("2022", datatype=XSD.gYear)
        subject = graph.value(statement, RDF_SUBJECT)
        assert (subject, TF.date, Literal("2022", datatype=XSD.gYear)) in graph  # also plain
        cited.add(subject)
    assert cited == (planned | continuing) - own
    assert len(cited) == 22


P_ = STATUS.planned


def test_5_a_plan_is_dated_when_it_happens_not_when_it_was_announced(graph):
    # lines 220-224: "As announced at the North American Leaders’ Summit in November 2021"
    summit = EVENT["north-american-leaders-summit-2021"]
    for slug in ("state-trilateral-working-group-restart", "state-legal-migration-pathways"):
        node = INITIATIVE[slug]
        assert graph.value(node, TF.announcedAt) == summit
        assert graph.value(node, TF.date) != graph.value(summit, TF.date)


def test_6_the_meeting_is_the_administrations_first_not_the_pitfs(graph):
    # line 22: "the Biden-Harris Administration convened its first meeting of the President’s
    # Interagency Task Force"; line 24: the PITF was "created by the ... TVPA ... of 2000"
    label = str(graph.value(EVENT["pitf-meeting-2022-01-25"], RDFS.label))
    assert label == "The Biden-Harris Administration’s first meeting of the PITF, 25 January 2022"
    assert not label.startswith("First meeting of the PITF")


def test_7_bodies_to_be_launched_restarted_or_reestablished_are_planned(graph):
    status = {
        slugs([b]).pop(): graph.value(b, TF.status)
        for b in data_resources(graph, TF.CoordinationBody)
    }
    assert {s for s, v in status.items() if v == STATUS.planned} == {
        "trilateral-working-group",  # line 222: "to restart the Trilateral Working Group"
        "ovw-consortium",  # line 168: "OVW will launch a new ... Consortium"
        "dot-advisory-committee",  # line 203: "DOT will also reestablish the Advisory Committee"
    }
    assert {s for s, v in status.items() if v != STATUS.planned} == {
        s for s, v in status.items() if v == STATUS.established
    }
    # a restart does not create the body, and no one is named as having established these
    restart = INITIATIVE["state-trilateral-working-group-restart"]
    assert objects(graph, restart, TF.restarts) == {BODY["trilateral-working-group"]}
    assert objects(graph, restart, TF.produces) == set()
    again = INITIATIVE["dot-advisory-committee-reestablishment"]
    assert objects(graph, again, TF.restarts) == {BODY["dot-advisory-committee"]}
    assert BODY["dot-advisory-committee"] not in objects(graph, again, TF.produces)
    for body in ("trilateral-working-group", "dot-advisory-committee", "ovw-consortium"):
        assert objects(graph, BODY[body], TF.establishedBy) == set(), body


def test_10_the_tariff_act_is_a_name_of_the_act_not_of_its_section(graph):
    # line 96: "Section 307 of the Tariff Act of 1930"
    from tf_graph.questions.resolve import resolve_entity

    for name in ("Tariff Act", "the Tariff Act"):
        assert resolve_entity(graph, name) == STATUTE["tariff-act-1930"], name
    assert resolve_entity(graph, "section 307") == PROVISION["tariff-act-1930-s307"]
    names = {
        str(n).lower() for n in graph.objects(PROVISION["tariff-act-1930-s307"], SKOS.altLabel)
    }
    assert "the tariff act" not in names and "tariff act" not in names


def test_11_the_groups_human_trafficking_disproportionately_impacts(graph, sheet_text):
    # lines 40-42: "Human trafficking disproportionately impacts persons of color, women and
    # girls, LGBTQI+ individuals, migrants, and others from historically marginalized and
    # underserved communities."
    groups = objects(graph, TOPIC["human-trafficking"], TF.disproportionatelyAffects)
    assert {str(graph.value(g, RDFS.label)) for g in groups} == {
        "persons of color",
        "women and girls",
        "LGBTQI+ individuals",
        "migrants",
        "historically marginalized and underserved communities",
    }
    for group in groups:
        assert (group, RDF.type, TF.Group) in graph
        assert (group, SKOS.inScheme, TFR.groups) in graph
        assert quote_in_source(str(graph.value(group, TF.quote)), sheet_text)


def test_12_labels_of_plans_say_will(graph):
    # every "will ..." of the sheet: a label read without its status must not say it is done
    for node in data_resources(graph, TF.Initiative):
        if graph.value(node, TF.status) == STATUS.planned:
            assert re.search(r"\bwill\b", str(graph.value(node, RDFS.label))), node
    assert str(graph.value(INITIATIVE["doj-national-strategy"], RDFS.label)).startswith(
        "DOJ will release"
    )  # line 159: "In 2022, DOJ will release"
    assert str(
        graph.value(INITIATIVE["ovw-law-enforcement-training-consortium"], RDFS.label)
    ).startswith("OVW will launch")  # line 168: "OVW will launch"


def test_13_dot_expands_the_programmes_it_names(graph):
    # lines 200-203: "expand its Transportation Leaders Against Human Trafficking initiative and
    # ... expand training program for aviation personnel under the Blue Lightning Initiative"
    tlaht, bli = INITIATIVE.tlaht, INITIATIVE["blue-lightning-initiative"]
    assert objects(graph, INITIATIVE["dot-tlaht-expansion"], TF.expands) == {tlaht}
    assert objects(graph, INITIATIVE["dot-blue-lightning-expansion"], TF.expands) == {bli}
    for programme in (tlaht, bli):
        assert (
            graph.value(programme, TF.status) == STATUS.ongoing
        )  # they exist: "its ... initiative"
    assert objects(graph, tlaht, TF.ledBy) == {AGENCY.dot}  # "its" = DOT's
    # ref: "led by DOT and U.S. Customs and Border Protection", each lead cited by a statement
    assert objects(graph, bli, TF.ledBy) == {AGENCY.dot, AGENCY.cbp}
    for lead in (AGENCY.dot, AGENCY.cbp):
        [statement] = [
            s
            for s in graph.subjects(RDF_OBJECT, lead)
            if graph.value(s, RDF_SUBJECT) == bli and graph.value(s, RDF_PREDICATE) == TF.ledBy
        ]
        assert str(graph.value(statement, DCTERMS.source)).startswith("https://www.transportation")
    # users' names open the programme, not the web page the sheet links to
    assert "TLAHT" in {str(n) for n in graph.objects(tlaht, SKOS.altLabel)}
    assert "BLI" in {str(n) for n in graph.objects(bli, SKOS.altLabel)}


def test_14_ustr_engages_the_four_stakeholders_the_sheet_lists(graph):
    # line 229: "key stakeholders, such as labor organizations, civil society, survivors, and
    # businesses"
    ustr = INITIATIVE["ustr-forced-labor-trade-strategy"]
    assert objects(graph, ustr, TF.stakeholder) == {
        SECTOR["labor-organizations"],
        SECTOR["civil-society"],
        GROUP.survivors,
        SECTOR["private-sector"],
    }
    assert "businesses" in {str(n) for n in graph.objects(SECTOR["private-sector"], SKOS.altLabel)}


def test_15_executive_orders_issuer_cites_its_source(graph):
    # lines 244-256 name the orders, not who issued them: that fact has a source of its own
    for number in ("13985", "14020", "14053", "13923"):
        node = EO[number]
        assert graph.value(node, TF.issuedBy) == AGENCY["white-house"]
        sources = {str(s) for s in graph.objects(node, DCTERMS.source)}
        statements = {
            s
            for s in graph.subjects(RDF_SUBJECT, node)
            if graph.value(s, RDF_PREDICATE) == TF.issuedBy
        }
        assert sources or statements, number


def test_16_facts_that_lived_only_in_quotes_are_data(graph):
    # line 24: "A cabinet-level entity ... coordinating efforts across 20 Federal agencies"
    assert graph.value(BODY.pitf, TF.cabinetLevel) == Literal(True)
    assert graph.value(BODY.pitf, TF.agencyCount) == Literal(20)
    # line 35: "over 60 priority actions focused on the foundational pillars ... – prevention,
    # protection, prosecution, and partnerships"
    assert graph.value(DOCUMENT.nap, TF.priorityActionCount) == Literal(60)
    assert str(graph.value(DOCUMENT.nap, TF.countQualifier)) == "over"
    assert objects(graph, DOCUMENT.nap, TF.coversPillar) == set(data_resources(graph, TF.Pillar))
    # lines 145-146: "leading four separate international corporations to remediate"
    detentions = INITIATIVE["dhs-forced-labor-shipment-detentions"]
    assert graph.value(detentions, TF.remediatingCorporationCount) == Literal(4)
    # line 59: "consisting of senior officials from across the U.S. government"; line 121: "made
    # up of individuals with lived experience of enduring human trafficking and other subject
    # matter experts"
    assert (
        str(graph.value(BODY.spog, TF.madeUpOf))
        == "senior officials from across the U.S. government"
    )
    assert str(graph.value(BODY["expert-consultant-network"], TF.madeUpOf)) == (
        "individuals with lived experience of enduring human trafficking and other subject "
        "matter experts"
    )


def test_17_smaller_points(graph):
    # line 147: "DHS also initiated the first-ever criminal investigations": begun, not done
    node = INITIATIVE["dhs-forced-labor-criminal-investigations"]
    assert graph.value(node, TF.status) == STATUS.ongoing
    # documents name their issuer with tf:issuedBy, never dcterms:creator
    assert list(graph.subject_objects(DCTERMS.creator)) == []
    assert graph.value(DOCUMENT["fletf-uflpa-enforcement-strategy"], TF.issuedBy) == BODY.fletf
    assert (
        graph.value(DOCUMENT["dot-triennial-report"], TF.issuedBy) == BODY["dot-advisory-committee"]
    )
    # lines 258-259: "Xinjiang Supply Chain Business Advisory (Updated on July 13, 2021)": an update
    advisory = DOCUMENT["xinjiang-supply-chain-business-advisory"]
    assert graph.value(advisory, TF.date) is None
    assert graph.value(advisory, DCTERMS.modified) == Literal("2021-07-13", datatype=XSD.date)
    # lines 120-121: "its Human Trafficking Expert Consultant Network": State's own, no partner
    for slug in (
        "state-trauma-informed-online-training",
        "state-federal-trauma-informed-interview-training",
    ):
        training = INITIATIVE[slug]
        assert objects(graph, training, TF.partner) == set()
        assert objects(graph, training, TF.involves) == {BODY["expert-consultant-network"]}

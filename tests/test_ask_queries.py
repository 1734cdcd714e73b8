"""Expected rows of the queries the ask kinds added (law-agencies, lookup/codified-at), written
by hand from the fact sheet, the law texts and the reference facts."""

from __future__ import annotations

import pytest

from tf_graph import resources
from tf_graph.questions.queries import execute
from tf_graph.questions.run import run_query

pytestmark = pytest.mark.engines

TFR = "https://w3id.org/tf-graph/id/"


def short(term: object) -> str | None:
    if term is None:
        return None
    text = str(term)
    return text[len(TFR) :] if text.startswith(TFR) else text


def rows_of(graph, params, *columns):
    return [
        tuple(short(row[c]) for c in columns)
        for row in run_query(graph, "law-agencies", params).rows
    ]


COLUMNS = ("agency", "role", "via", "evidence", "provision")


def test_law_agencies_tariff_act(graph):
    assert rows_of(graph, {"law": "Tariff Act of 1930"}, *COLUMNS) == [
        # reference facts: FLETF members DHS, USTR, Labor, State, Treasury, Justice, Commerce;
        # law 19 U.S.C. 4681(a): the FLETF monitors "enforcement of the prohibition under
        # section 1307" (section 307 of the Tariff Act)
        ("agency/doc", "member", None, "body/fletf", "provision/tariff-act-1930-s307"),
        # sheet Prevention 9: the FLETF, "chaired by the Department of Homeland Security
        # (DHS)", will develop "a strategy for supporting enforcement of Section 307"
        ("agency/dhs", "lead", "body/fletf", "initiative/fletf-uflpa-enforcement-strategy",
         "provision/tariff-act-1930-s307"),
        # law 19 U.S.C. 4681(b)(1): "chaired by the Secretary of Homeland Security"
        ("agency/dhs", "chair", None, "body/fletf", "provision/tariff-act-1930-s307"),
        ("agency/dhs", "member", None, "body/fletf", "provision/tariff-act-1930-s307"),
        # reference facts: section 307 is "enforced by U.S. Customs and Border Protection (a
        # DHS component)": DHS through CBP, and CBP itself (last, by its label)
        ("agency/dhs", "enforces", "agency/cbp", "provision/tariff-act-1930-s307",
         "provision/tariff-act-1930-s307"),
        ("agency/doj", "member", None, "body/fletf", "provision/tariff-act-1930-s307"),
        # law 19 U.S.C. 4681(b)(1): "including ... the Department of Labor"
        ("agency/dol", "member", None, "body/fletf", "provision/tariff-act-1930-s307"),
        ("agency/state", "member", None, "body/fletf", "provision/tariff-act-1930-s307"),
        ("agency/treasury", "member", None, "body/fletf", "provision/tariff-act-1930-s307"),
        # law 19 U.S.C. 4681(b)(1): "including the Office of the United States Trade
        # Representative"
        ("agency/ustr", "member", None, "body/fletf", "provision/tariff-act-1930-s307"),
        ("agency/cbp", "enforces", None, "provision/tariff-act-1930-s307",
         "provision/tariff-act-1930-s307"),
    ]  # fmt: skip


def test_law_agencies_one_agency(graph):
    # sheet Prevention 9: DHS takes part in the UFLPA's strategy through the FLETF it chairs
    assert rows_of(graph, {"law": "UFLPA", "agency": "DHS"}, *COLUMNS) == [
        ("agency/dhs", "lead", "body/fletf", "initiative/fletf-uflpa-enforcement-strategy",
         None),
    ]  # fmt: skip
    # law 19 U.S.C. 4681(b)(1): Labor sits on the FLETF, which implements section 307 itself
    assert rows_of(graph, {"law": "section 307", "agency": "DOL"}, *COLUMNS) == [
        ("agency/dol", "member", None, "body/fletf", None),
    ]
    # reference facts: CBP enforces section 307 itself (a statement citing 19 U.S.C. 1307's
    # page, no quoted words): the section is its evidence
    assert rows_of(graph, {"law": "section 307", "agency": "CBP"}, *COLUMNS) == [
        ("agency/cbp", "enforces", None, "provision/tariff-act-1930-s307", None),
    ]
    # nor does the law's own FLETF row name CBP: DOT, with neither, has none
    assert rows_of(graph, {"law": "section 307", "agency": "DOT"}, *COLUMNS) == []


def test_law_agencies_tvpa(graph):
    # law 22 U.S.C. 7103: the Task Force implements the chapter (7103(d)(1)), its members
    # (7103(b)) and its chair, the Secretary of State (7103(c))
    members = [
        "agency/dhs", "agency/doc", "agency/dod", "agency/doj", "agency/dol", "agency/ed",
        "agency/hhs", "agency/odni", "agency/state", "agency/treasury", "agency/usaid",
        "agency/ustr",
    ]  # fmt: skip
    expected = [(a, "member", "body/pitf") for a in members] + [
        ("agency/state", "chair", "body/pitf")
    ]
    got = rows_of(graph, {"law": "TVPA"}, "agency", "role", "evidence")
    assert sorted(got) == sorted(expected)


def test_codified_at(graph):
    text = (resources.queries_dir() / "lookup" / "codified-at.rq").read_text("utf-8")
    rows = execute(graph, text, {}, where="codified-at")[1]
    got = [(short(r["law"]), short(r["text"]), int(str(r["texts"]))) for r in rows]
    # data/law/facts.ttl: the codification statements (outside facts, uscode.house.gov and
    # law.cornell.edu)
    assert got == [
        ("provision/jvta-2015-s115", "law/usc/22/7103b", 1),
        ("provision/tariff-act-1930-s307", "law/usc/19/1307", 1),
        ("provision/tvpa-s105", "law/usc/22/7103", 1),
        ("provision/usmca-implementation-act-s741", "law/usc/19/4681", 1),
        ("statute/tvpa", "law/usc/22/7101", 2),
        ("statute/tvpa", "law/usc/22/7102", 2),
    ]


def test_advisers(graph):
    rows = [(short(r["adviser"]), short(r["body"])) for r in run_query(graph, "advisers", {}).rows]
    # law 22 U.S.C. 7103b(b): the Advisory Council "shall provide advice and recommendations
    # to the Senior Policy Operating Group ... and the President's Interagency Task Force"
    assert rows == [
        ("body/advisory-council", "body/pitf"),
        ("body/advisory-council", "body/spog"),
    ]


def test_laws_by_topic_forced_labor(graph):
    rows = [
        (short(r["law"]), short(r["partOf"]))
        for r in run_query(graph, "laws-by-topic", {"topic": "forced labor"}).rows
    ]
    assert rows == [
        # reference facts: EO 13923 (2020) established the FLETF under section 741
        ("eo/13923", None),
        # law 19 U.S.C. 1307: goods made by "forced labor" are not entitled to entry
        ("provision/tariff-act-1930-s307", "statute/tariff-act-1930"),
        # law 19 U.S.C. 4681: the Forced Labor Enforcement Task Force
        ("provision/usmca-implementation-act-s741", "statute/usmca-implementation-act"),
        # sheet Prevention 9: the Uyghur Forced Labor Prevention Act
        ("statute/uflpa", None),
    ]


def test_stated_counts(graph):
    rows = run_query(graph, "stated-counts", {}).rows
    got = [(short(r["entity"]), str(r["stated"]), str(r["quote"])) for r in rows]
    assert [(e, stated, quote[: len(start)]) for (e, stated, quote), (*_, start) in zip(
        got, EXPECTED_COUNTS, strict=True
    )] == EXPECTED_COUNTS  # fmt: skip
    # the NAP's quote is its one sentence with the figure, not both of its sentences
    assert got[1][2] == (
        "The new National Action Plan, released in December 2021, is a comprehensive and "
        "forward-looking strategy with over 60 priority actions focused on the foundational "
        "pillars of U.S. and global anti-trafficking efforts – prevention, protection, "
        "prosecution, and partnerships."
    )
    [nap] = run_query(graph, "stated-counts", {"entity": "NAP"}).rows
    assert (int(nap["count"]), str(nap["qualifier"])) == (60, "over")


#: (counted, stated count, the start of its words)
EXPECTED_COUNTS = [
        # sheet Prevention 5: "Last year, DHS detained more shipments ... leading four separate
        # international corporations to remediate forced labor conditions" (no figure: all its
        # words)
        ("initiative/dhs-forced-labor-shipment-detentions", "remediating corporation count: 4",
         "Last year, DHS detained more shipments of goods (in value and"),
        # sheet, opening: "a comprehensive and forward-looking strategy with over 60 priority
        # actions" (the sentence with the figure, not the plan's other sentence)
        ("document/nap", "priority action count: over 60",
         "The new National Action Plan, released in December 2021, is a"),
        # sheet, opening: "coordinating efforts across 20 Federal agencies"
        ("body/pitf", "agency count: 20",
         "A cabinet-level entity created by the Trafficking Victims Pro"),
]  # fmt: skip


def test_announced_at_the_north_american_leaders_summit(graph):
    rows = run_query(graph, "announced-at", {"event": "North American Leaders' Summit"}).rows
    # sheet Partnerships 5: "As announced at the North American Leaders' Summit in November
    # 2021, the U.S. Government, led by the Department of State, will work with Canada and
    # Mexico to restart the Trilateral Working Group ... and will promote legal pathways"
    assert [(short(r["initiative"]), short(r["lead"])) for r in rows] == [
        ("initiative/state-trilateral-working-group-restart", "agency/state"),
        ("initiative/state-legal-migration-pathways", "agency/state"),
    ]
    # the PITF meeting is an event at which the sheet announces nothing
    assert run_query(graph, "announced-at", {"event": "PITF meeting"}).rows == []


def test_laws_by_topic_sex_trafficking(graph):
    rows = run_query(graph, "laws-by-topic", {"topic": "sex trafficking"}).rows
    # law 22 U.S.C. 7101(b)(2) (the TVPA's findings): "Many of these persons are trafficked
    # into the international sex trade, often by force, fraud, or coercion."
    assert [(short(r["law"]), short(r["about"])) for r in rows] == [
        ("statute/tvpa", "topic/sex-trafficking"),
    ]

"""ask: phrasings of each kind of question map to the right query, parameters and answer."""

from __future__ import annotations

import json

import pytest

from tf_graph.errors import UnansweredQuestionError, UnknownEntityError
from tf_graph.questions.ask import answer, format_answer

#: every test on the shipped graph runs on each engine (tests/conftest.py)
pytestmark = pytest.mark.engines

TFR = "https://w3id.org/tf-graph/id/"


def slugs(terms) -> list[str]:
    return [str(t)[len(TFR) :] for t in terms]


#: the agencies that touch forced labor, by the fact sheet (see test_queries for the evidence)
FORCED_LABOR_AGENCIES = [
    "agency/doc", "agency/hhs", "agency/dhs", "agency/doj", "agency/dol", "agency/state",
    "agency/treasury", "agency/ustr",
]  # fmt: skip


@pytest.mark.parametrize(
    "question",
    [
        "Which agencies touch forced labor?",
        "What agencies work on forced labour?",
        "Which departments address forced labor",
        "which agencies combat Forced Labor?",
        "Who works on forced labor?",
        "which agencies work on forced labr?",  # misspelt
        "  Which   agencies touch\nforced labor ?  ",
        "Which agencies are responsible for forced labor?",
        "Which agencies are fighting forced labour?",
    ],
)
def test_agencies_by_topic_phrasings(graph, question):
    result = answer(graph, question)
    assert result.query_name == "agencies-by-topic"
    assert str(result.result.bindings["topic"]) == TFR + "topic/forced-labor"
    assert slugs(s for s, _ in result.subjects) == FORCED_LABOR_AGENCIES


def test_first_question_comes_with_evidence_for_every_agency(graph):
    result = answer(graph, "Which agencies touch forced labor?")
    assert len(result.evidence) == len(result.result.rows) == 18
    for item in result.evidence:
        assert item.item is not None and item.item_label
        assert item.quote, f"no quote for {item.item}"
        assert item.detail.split(",")[0] in {"lead", "partner", "chair", "member", "parent"}
    hhs = [e for e in result.evidence if str(e.subject).endswith("/hhs")]
    assert [e.detail for e in hhs] == [
        "parent",
        "lead, via HHS Task Force to Prevent Human Trafficking",
    ]
    text = format_answer(result)
    assert "Department of Homeland Security (DHS)" in text
    assert "“The Forced Labor Enforcement Task Force, chaired by the Department" in text
    assert text.index("Answer (8):") < text.index("Evidence:")


@pytest.mark.parametrize(
    ("question", "query", "params", "first"),
    [
        ("Who works on sex trafficking?", "agencies-by-topic", {"topic": "sex trafficking"},
         "agency/doj"),
        ("What initiatives address victim services?", "initiatives-by-topic",
         {"topic": "victim services"}, None),
        ("What does DHS do?", "initiatives-by-agency", {"agency": "DHS"},
         "initiative/dhs-senior-accountable-official"),
        ("what is Homland Security doing", "initiatives-by-agency",
         {"agency": "Homland Security"}, "initiative/dhs-senior-accountable-official"),
        ("What has the Justice Department done?", "initiatives-by-agency",
         {"agency": "the Justice Department"}, "initiative/doj-anti-trafficking-funding-2021"),
        ("What are DOJ's initiatives?", "initiatives-by-agency", {"agency": "DOJ"},
         "initiative/doj-anti-trafficking-funding-2021"),
        ("Who does DHS work with?", "agency-partners", {"agency": "DHS"}, "agency/doj"),
        ("Who works with the Department of Justice?", "agency-partners",
         {"agency": "the Department of Justice"}, "agency/dhs"),
        ("Who are DOJ’s partners?", "agency-partners", {"agency": "DOJ"}, "agency/dhs"),
        ("What implements the UFLPA?", "law-implementers", {"law": "the UFLPA"},
         "initiative/fletf-uflpa-enforcement-strategy"),
        ("What enforces the Tariff Act?", "law-implementers", {"law": "the Tariff Act"},
         "initiative/fletf-uflpa-enforcement-strategy"),
        ("Who implements section 307?", "law-implementers", {"law": "section 307"},
         "initiative/fletf-uflpa-enforcement-strategy"),
        ("Who chairs the PITF?", "coordination-bodies", {"body": "the PITF"}, "agency/state"),
        ("Who leads the Senior Policy Operating Group?", "coordination-bodies",
         {"body": "the Senior Policy Operating Group"}, "agency/state-tip"),
        ("Who created JTFA?", "coordination-bodies", {"body": "JTFA"}, "agency/doj"),
        ("Who sits on FLETF?", "coordination-bodies", {"body": "FLETF"}, "agency/dhs"),
        ("What is planned for 2022?", "planned-actions", {"year": "2022"},
         "initiative/doj-national-strategy"),
        ("What will happen in 2022?", "planned-actions", {"year": "2022"},
         "initiative/doj-national-strategy"),
        ("What is planned?", "planned-actions", {}, "initiative/spog-visa-working-group-analysis"),
        ("What happened in December 2021?", "timeline", {"month": "2021-12"},
         "initiative/doj-anti-trafficking-funding-2021"),
        ("What happened in April 2021?", "timeline", {"month": "2021-04"},
         "initiative/doi-missing-murdered-unit"),
        ("What happened in 2021?", "timeline", {"year": "2021"},
         "initiative/doc-seafood-coordination-group"),
        ("What falls under prevention?", "initiatives-by-pillar", {"pillar": "prevention"},
         "initiative/spog-visa-working-group-analysis"),
        ("What falls under the protection pillar?", "initiatives-by-pillar",
         {"pillar": "protection"}, "initiative/spog-screening-best-practices"),
        ("Which agencies act in all four pillars?", "agencies-across-pillars", {"pillars": "4"},
         "agency/dhs"),
        ("Which agencies work across all pillars?", "agencies-across-pillars", {"pillars": "4"},
         "agency/dhs"),
        ("What concerns Mexico?", "by-country", {"country": "Mexico"},
         "initiative/doj-jtfa-launch"),
        ("What concerns the seafood industry?", "by-sector", {"sector": "the seafood industry"},
         "initiative/doc-seafood-coordination-group"),
        ("How much money?", "funding", {}, "initiative/doj-anti-trafficking-funding-2021"),
        ("How much funding was announced?", "funding", {},
         "initiative/doj-anti-trafficking-funding-2021"),
    ],
)  # fmt: skip
def test_question_kinds(graph, question, query, params, first):
    result = answer(graph, question)
    assert (result.query_name, result.params) == (query, params)
    if first is not None:
        assert slugs([result.subjects[0][0]]) == [first]


def test_who_chairs_keeps_only_the_chair(graph):
    result = answer(graph, "Who chairs FLETF?")
    assert [str(r["relation"]) for r in result.result.rows] == ["chair"]
    assert result.subjects[0][1] == "Department of Homeland Security (DHS)"


def test_all_four_pillars_is_dhs_with_evidence_per_pillar(graph):
    result = answer(graph, "Which agencies act in all four pillars?")
    assert slugs(s for s, _ in result.subjects) == ["agency/dhs"]
    pillars = {e.detail.split(", ")[0] for e in result.evidence}
    assert pillars == {
        "pillar: Prevention", "pillar: Protection", "pillar: Prosecution", "pillar: Partnerships",
    }  # fmt: skip


def test_funding_answer_reads_in_dollars(graph):
    text = format_answer(answer(graph, "How much money?"))
    assert "$87,000,000, qualifier: almost" in text
    assert "$15,000,000, qualifier: approximately" in text


def test_to_json(graph):
    document = answer(graph, "Who chairs the PITF?").to_json()
    json.dumps(document)  # plain data
    assert document["query"] == "coordination-bodies"
    assert document["params"]["body"] == {
        "given": "the PITF",
        "type": "uri",
        "value": TFR + "body/pitf",
    }
    assert document["answer"][0]["value"] == TFR + "agency/state"
    assert document["evidence"][0]["detail"] == "chair"
    assert document["evidence"][0]["quote"]
    assert "SELECT" in document["sparql"]


def test_show_sparql(graph):
    text = format_answer(answer(graph, "What is planned for 2022?"), show_sparql=True)
    assert "SELECT ?initiative" in text
    assert '# bound with initBindings: ?year = "2022"' in text


def test_no_rows_is_said_plainly(graph):
    text = format_answer(answer(graph, "What is planned for 2031?"))
    assert text.rstrip().endswith("No answer in the graph.")


@pytest.mark.parametrize(
    "question",
    ["What is the meaning of life?", "Tell me a joke", "", "???", "DROP GRAPH <x>"],
)
def test_unmappable_questions_list_what_can_be_asked(graph, question):
    with pytest.raises(UnansweredQuestionError) as err:
        answer(graph, question)
    assert err.value.exit_code == 1
    assert "Questions I can answer:" in str(err.value)
    assert "Which agencies touch forced labor?" in str(err.value)


def test_unknown_entity_in_a_known_question(graph):
    with pytest.raises(UnknownEntityError, match=r"unknown topic 'unicorns'"):
        answer(graph, "Which agencies touch unicorns?")
    with pytest.raises(UnknownEntityError, match=r"unknown country or sector 'Atlantis'"):
        answer(graph, "What concerns Atlantis?")


def test_too_long_question(graph):
    with pytest.raises(UnansweredQuestionError, match="question too long"):
        answer(graph, "Which agencies touch " + "forced labor " * 100)

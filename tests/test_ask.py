"""ask: mentions linked by the graph's own names, intents from the lexicon, the declared kinds,
evidence that supports its row, refusals that say what was recognised.

(tests/test_paraphrases.py runs the hand-written suite of 207 questions.)
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from rdflib import URIRef

from tf_graph import resources
from tf_graph.errors import UnansweredQuestionError
from tf_graph.questions.ask import abbreviations, answer, format_answer, names_of, understand
from tf_graph.questions.intents import declarations
from tf_graph.questions.linking import link, words

#: every test on the shipped graph runs on each engine (tests/conftest.py)
pytestmark = pytest.mark.engines

TFR = "https://w3id.org/tf-graph/id/"
TF = "https://w3id.org/tf-graph/ontology#"


def slugs(terms) -> list[str]:
    return [str(t)[len(TFR) :] for t in terms]


def mentions(graph, question):
    return [
        (m.text, m.kind, m.value.removeprefix(TFR))
        for m in link(question, names_of(graph), declarations().lexicon.stop)
    ]


# --- linking -----------------------------------------------------------------------------------


def test_words_read_citations_possessives_and_plurals():
    assert [w.key for w in words("DHS's 22 U.S.C. 7103 agencies’ chairs")] == [
        "dhs", "22", "usc", "7103", "agency", "chair",
    ]  # fmt: skip
    assert [w.typed for w in words("U.S.C.")] == ["U.S.C"]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # the longest mention wins: the task force, not the topic "trafficking in persons"
        ("Who heads the Interagency Task Force to Monitor and Combat Trafficking in Persons?",
         [("Interagency Task Force to Monitor and Combat Trafficking", "body", "body/pitf"),
          ("Persons", "class", TF + "Person")]),
        # acronyms, possessives, British spelling, a misspelling
        ("What is DOJ's role on forced labour?",
         [("DOJ", "agency", "agency/doj"), ("forced labour", "topic", "topic/forced-labor")]),
        ("What does Homland Security do?",
         [("Homland Security", "agency", "agency/dhs")]),
        # citations and a section of an Act, read as one mention
        # a citation of the one U.S. Code section an Act's section is codified at names that
        # section of the Act (whose profile carries the text); a subdivision keeps its own
        ("what does 19 U.S.C. 1307 say",
         [("19 U.S.C 1307", "law", "provision/tariff-act-1930-s307")]),
        ("what does 19 U.S.C. 4681(b)(1) say",
         [("19 U.S.C 4681 b 1", "law", "law/usc/19/4681/b/1")]),
        # 22 U.S.C. 7102 is one of the two sections the TVPA is codified at: the text itself
        ("what does 22 U.S.C. 7102 say",
         [("22 U.S.C 7102", "law", "law/usc/22/7102")]),
        # amounts of money, however written; a plain number is no amount
        ("What is the $87 million for?", [("87 million", "amount", "87000000")]),
        ("Which grants are over 10 million dollars, or $87M, or $87,000,000, or $1.5 million?",
         [("10 million dollars", "amount", "10000000"), ("87M", "amount", "87000000"),
          ("87,000,000", "amount", "87000000"), ("1.5 million", "amount", "1500000")]),
        ("Who enforces Section 307 of the Tariff Act?",
         [("Section 307 of the Tariff Act", "law", "provision/tariff-act-1930-s307")]),
        # law 19 U.S.C. 4682(a): petitions "submitted to the Commissioner of U.S. Customs and
        # Border Protection": the office's name holds the agency's, which is linked
        ("What does the Commissioner of U.S. Customs and Border Protection do?",
         [("U.S Customs and Border Protection", "agency", "agency/cbp")]),
        # a resource and its class's name read as one: "the prevention pillar"
        ("Which initiatives are in the prevention pillar?",
         [("initiatives", "class", TF + "Initiative"),
          ("prevention pillar", "pillar", "pillar/prevention")]),
        # years, months, numbers
        ("What happened in December 2021 and 2022?",
         [("December 2021", "month", "2021-12"), ("2022", "year", "2022")]),
        # "us" in lower case is a word, "US" the country
        ("Tell us about Mexico", [("Mexico", "country", "country/mexico")]),
        ("What is the US doing with Mexico",
         [("US", "country", "country/usa"), ("Mexico", "country", "country/mexico")]),
        # nothing the graph names
        ("What is the capital of France?", []),
    ],
)  # fmt: skip
def test_mentions(graph, question, expected):
    assert mentions(graph, question) == expected


def test_names_come_from_the_graph(tmp_path, graph):
    """A resource added as data is understood by its names, with no new code (and not with
    the names of the shipped graph, read first in this process: caches are per graph)."""
    import tf_graph

    answer(graph, "Who chairs the PITF?")  # the shipped graph's names read first

    extra = tmp_path / "extra.ttl"
    extra.write_text(
        "@prefix tf: <https://w3id.org/tf-graph/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "<https://w3id.org/tf-graph/id/agency/ftc> a tf:Agency ;\n"
        '    rdfs:label "Federal Trade Commission"@en ; skos:altLabel "FTC"@en .\n'
        "<https://w3id.org/tf-graph/id/initiative/ftc-test> a tf:Initiative ;\n"
        '    rdfs:label "FTC guidance on forced labor claims"@en ;\n'
        "    tf:ledBy <https://w3id.org/tf-graph/id/agency/ftc> ;\n"
        "    tf:addresses <https://w3id.org/tf-graph/id/topic/forced-labor> .\n"
        "<https://w3id.org/tf-graph/id/agency/ftc-bureau> a tf:Agency ;\n"
        '    rdfs:label "FTC Bureau of Competition"@en ; skos:altLabel "FTC"@en .\n',
        "utf-8",
    )
    graph = tf_graph.open_graph([extra])
    result = graph.ask("What does the Federal Trade Comission do?")
    assert result.kind == "what an agency does"
    assert slugs(s for s, _ in result.subjects) == ["initiative/ftc-test"]
    assert [m.fuzzy for m in result.recognised] == [True]
    # a name that fits two resources: the answer says so
    both = graph.ask("What does FTC do?")
    assert both.recognised[0].alternatives == (TFR + "agency/ftc-bureau",)
    assert "'FTC' also names ftc-bureau" in both.note


# --- kinds -------------------------------------------------------------------------------------


def test_every_declared_kind_runs_a_shipped_query_and_its_example_works(graph):
    """kinds.toml names real queries, and each kind's example is answered by that kind."""
    from tf_graph.questions.catalogue import query_names

    names = set(query_names())
    kinds = declarations().kinds
    assert len(kinds) >= 20
    for kind in kinds:
        assert kind.query in names, kind.name
        assert kind.example, kind.name
        found = understand(names_of(graph), kind.example)
        assert found.choice is not None and found.choice.kind.name == kind.name, kind.example


@pytest.mark.parametrize(
    ("question", "kind", "params"),
    [
        ("Who leads JTFA?", "chair", {"body": "body/jtfa"}),
        ("Who is in charge of the PITF?", "chair", {"body": "body/pitf"}),
        # the misrouted example: it asks for agencies, not initiatives
        ("Which agencies work with Mexico?", "agencies by country",
         {"country": "country/mexico"}),
        ("What is DOJ doing about forced labor?", "agency and topic",
         {"agency": "agency/doj", "topic": "topic/forced-labor"}),
        ("What was completed in 2021?", "by status",
         {"status": "status/completed", "year": "2021"}),
        ("What is planned for 2022?", "planned", {"year": "2022"}),
        ("What is still in progress?", "by status", {"status": "status/ongoing"}),
        ("Which executive orders are cited?", "instances", {"class": TF + "ExecutiveOrder"}),
        ("Which countries are involved?", "instances", {"class": TF + "Country"}),
        ("What are the pillars?", "instances", {"class": TF + "Pillar"}),
        ("Tell me about DHS", "profile", {"entity": "agency/dhs"}),
        ("What is the TVPA?", "profile", {"entity": "statute/tvpa"}),
        ("Is DOL a member of the PITF?", "is a member", {"body": "body/pitf"}),
        ("How much money goes to victim housing?", "funding", {}),
        ("What is done on forced labour under prevention?", "pillar and topic",
         {"pillar": "pillar/prevention", "topic": "topic/forced-labor"}),
        # found by trying questions as a new user would (second round)
        ("What does the UFLPA do?", "what a law does", {"entity": "statute/uflpa"}),
        ("Who advises the PITF?", "advisers", {"body": "body/pitf"}),
        ("Which laws address forced labor?", "laws by topic", {"topic": "topic/forced-labor"}),
        ("When was the National Action Plan released?", "when one thing happened",
         {"entity": "document/nap"}),
        ("How is forced labor defined?", "profile", {"entity": "topic/forced-labor"}),
        ("What is DOJ planning?", "planned", {}),
        ("What is the FLETF's job?", "what a body does", {"entity": "body/fletf"}),
        # (shared-work is symmetric: the last of two equal mentions fills the first need)
        ("What does DOT do with DHS?", "two agencies",
         {"agency": "agency/dhs", "other": "agency/dot"}),
        ("Which agencies enforce the Tariff Act?", "agencies by law",
         {"law": "statute/tariff-act-1930"}),
        ("What is DOL's role in enforcing the Tariff Act?", "agency under a law",
         {"law": "statute/tariff-act-1930", "agency": "agency/dol"}),
        # third round: what was announced where, and by whom
        ("What was announced at the North American Leaders' Summit?", "announced at an event",
         {"event": "event/north-american-leaders-summit-2021"}),
        ("What did DOJ announce?", "what an agency does", {"agency": "agency/doj"}),
        ("When was the NAP announced?", "when one thing happened", {"entity": "document/nap"}),
        ("How many priority actions does the NAP have?", "stated count",
         {"entity": "document/nap"}),
        ("Does CBP enforce section 307?", "does an agency carry out a law",
         {"law": "provision/tariff-act-1930-s307"}),
    ],
)  # fmt: skip
def test_kinds_and_bindings(graph, question, kind, params):
    found = understand(names_of(graph), question)
    assert found.choice is not None
    assert found.choice.kind.name == kind
    bound = {
        p: m.value.removeprefix(TFR)
        for p, m in found.choice.params.items()
        if not p.startswith("_")
    }
    assert bound == params


def test_who_leads_a_body_without_a_chair_is_who_created_it(graph):
    result = answer(graph, "Who leads JTFA?")
    assert slugs(s for s, _ in result.subjects) == ["agency/doj"]
    assert {str(r["relation"]) for r in result.result.rows} == {"created by", "part of"}


def test_agency_and_topic_composed(graph):
    result = answer(graph, "What is DHS doing about forced labor?")
    assert result.query_name == "agency-topic"
    assert slugs(s for s, _ in result.subjects) == [
        "initiative/dhs-forced-labor-shipment-detentions",
        "initiative/dhs-forced-labor-criminal-investigations",
        "initiative/fletf-uflpa-enforcement-strategy",
    ]
    via = {e.detail for e in result.evidence if e.subject == result.subjects[-1][0]}
    assert via == {"leads, via Forced Labor Enforcement Task Force"}


def test_yes_and_no(graph):
    yes = answer(graph, "Does the Labor Department sit on the PITF?")
    assert yes.boolean is True
    assert slugs(s for s, _ in yes.subjects) == ["agency/dol"]
    no = answer(graph, "Is DOI on the PITF?")
    assert no.boolean is False
    assert "Answer: no" in format_answer(no)
    assert "agency/dol" in slugs(s for s, _ in no.subjects)  # the members the graph names


def test_profile_answer(graph):
    result = answer(graph, "What is JTFA?")
    assert result.kind == "profile"
    assert slugs(s for s, _ in result.subjects) == ["body/jtfa"]
    text = format_answer(result)
    assert "Joint Task Force Alpha" in text and "Links in:" in text
    assert result.to_json()["profile"]["iri"] == TFR + "body/jtfa"


def test_a_year_that_nothing_has_is_refused_with_what_was_recognised(graph):
    with pytest.raises(UnansweredQuestionError) as err:
        answer(graph, "What did DHS do in 2023?")
    first = str(err.value).splitlines()[0]
    assert first == (
        "Department of Homeland Security (agency), 2023 (year): nothing that answers it is "
        "dated 2023. Questions I can answer:"
    )
    assert err.value.exit_code == 1
    assert [m["value"] for m in err.value.recognised] == [TFR + "agency/dhs", "2023"]
    assert len(err.value.suggestions) == 3
    assert "What does DHS do?" in err.value.suggestions


@pytest.mark.parametrize(
    "question",
    [
        "What is the capital of France?",
        "How tall is Mount Everest?",
        "'; DROP TABLE agencies; --",
        "<script>alert(1)</script>",
        "} UNION { ?s ?p ?o }",
        "",
        "???",
    ],
)
def test_out_of_scope_and_hostile_questions_are_refused(graph, question):
    with pytest.raises(UnansweredQuestionError) as err:
        answer(graph, question)
    assert "Questions I can answer:" in str(err.value)
    assert len(err.value.suggestions) == 3
    for offered in err.value.suggestions:  # each offered question works
        assert works(graph, offered)


#: (graph, question) -> whether it is answered with subjects: the same few examples are
#: offered on most refusals, and each is answered once per engine
_WORKS: dict[tuple[int, str], bool] = {}


def works(graph, question: str) -> bool:
    key = (id(graph), question)
    if key not in _WORKS:
        _WORKS[key] = bool(answer(graph, question).subjects)
    return _WORKS[key]


def test_the_query_text_is_the_file_and_values_are_bound(graph):
    """Python never builds SPARQL from the question: the query is the .rq file as shipped."""
    result = answer(graph, "Who chairs the PITF?")
    shipped = (resources.queries_dir() / "coordination-bodies.rq").read_text("utf-8")
    assert result.result.sparql == shipped
    assert str(result.result.bindings["body"]) == TFR + "body/pitf"


def test_too_long_question(graph):
    with pytest.raises(UnansweredQuestionError, match="question too long"):
        answer(graph, "Which agencies touch " + "forced labor " * 100)


# --- evidence ----------------------------------------------------------------------------------


def test_roles_read_in_words(graph):
    result = answer(graph, "Which agencies touch forced labor?")
    details = {e.detail.split(",")[0] for e in result.evidence}
    assert details <= {"leads", "partners in", "chairs", "is a member of", "through its part"}
    assert "parent" not in format_answer(result)


def test_subjects_carry_their_abbreviation_from_the_names_read_once(graph):
    """Each subject's shortest all-capitals name (not its label) follows it; the names questions
    are linked with give it, with no query per answer (it cost up to 1 s on rdflib's memory);
    a subject they lack is looked up in the graph."""
    result = answer(graph, "Who sits on the FLETF?")
    assert [name for _, name in result.subjects] == [
        "Department of Homeland Security (DHS)",
        "Department of Commerce (DOC)",
        "Department of Justice (DOJ)",
        "Department of Labor (DOL)",
        "Department of State (DOS)",
        "Department of the Treasury",
        "Office of the U.S. Trade Representative (USTR)",
    ]
    names = names_of(graph)
    dhs, nobody = TFR + "agency/dhs", TFR + "agency/no-such-agency"
    assert abbreviations(None, names, [URIRef(dhs)]) == {dhs: "DHS"}  # no graph read
    unnamed = replace(names, things={k: v for k, v in names.things.items() if k != dhs})
    assert abbreviations(graph, unnamed, [URIRef(dhs), URIRef(nobody)]) == {dhs: "DHS"}


def test_a_body_quote_that_does_not_name_the_member_is_not_its_evidence(graph):
    result = answer(graph, "Who sits on the FLETF?")
    chair_quote = "The Forced Labor Enforcement Task Force, chaired by the Department of Homeland"
    for e in result.evidence:
        if not str(e.subject).endswith("/dhs"):
            assert not e.quote.startswith(chair_quote), e.subject


def test_a_statement_of_the_fact_is_its_evidence(tmp_path):
    """Where the graph states a row's fact as a tf:Statement, its words and the part of the
    source that says them are the row's evidence (not the body's quote)."""
    import tf_graph

    extra = tmp_path / "statement.ttl"
    extra.write_text(
        "@prefix tf: <https://w3id.org/tf-graph/ontology#> .\n"
        "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix prov: <http://www.w3.org/ns/prov#> .\n"
        "@prefix id: <https://w3id.org/tf-graph/id/> .\n"
        "<https://w3id.org/tf-graph/id/statement/test-chair> a tf:Statement ;\n"
        "    rdf:subject <https://w3id.org/tf-graph/id/body/pitf> ;\n"
        "    rdf:predicate tf:chairedBy ;\n"
        "    rdf:object <https://w3id.org/tf-graph/id/agency/state> ;\n"
        '    tf:quote "The Task Force shall be chaired by the Secretary of State." ;\n'
        "    tf:locator <https://w3id.org/tf-graph/id/law/test/7103/c> .\n"
        '<https://w3id.org/tf-graph/id/law/test/7103/c> rdfs:label "22 U.S.C. 7103(c)"@en .\n',
        "utf-8",
    )
    result = tf_graph.open_graph([extra]).ask("Who chairs the PITF?")
    (evidence,) = result.evidence
    assert evidence.quote == "The Task Force shall be chaired by the Secretary of State."
    assert evidence.source == "22 U.S.C. 7103(c)"


def test_json_says_what_was_recognised_and_which_query_ran(graph):
    document = answer(graph, "What is DHS doing about forced labour?").to_json()
    json.dumps(document)
    assert [(m["text"], m["kind"]) for m in document["recognised"]] == [
        ("DHS", "agency"), ("forced labour", "topic"),
    ]  # fmt: skip
    assert document["kind"] == "agency and topic"
    assert document["query"] == "agency-topic"
    assert document["params"]["topic"]["value"] == TFR + "topic/forced-labor"
    assert "SELECT" in document["sparql"]


# --- answers built on the audit of the data (issue 15) ----------------------------------------

#: the agencies that touch forced labor, by the fact sheet (see test_queries for the evidence)
FORCED_LABOR_AGENCIES = [
    "agency/doc", "agency/hhs", "agency/dhs", "agency/doj", "agency/dol", "agency/state",
    "agency/treasury", "agency/ustr",
]  # fmt: skip


def test_labor_trafficking_question_finds_the_forced_labor_work(graph):
    # before: DOJ alone; the law relates labor trafficking and forced labor, so DHS, DOL,
    # Commerce, Treasury and USTR's forced-labor work (sheet: Prevention, Prosecution,
    # Partnerships) answers it too
    result = answer(graph, "Which agencies work on labor trafficking?")
    assert slugs(s for s, _ in result.subjects) == FORCED_LABOR_AGENCIES
    forced = answer(graph, "Which agencies touch forced labor?")
    assert {(e.subject, e.item) for e in forced.evidence} == {
        (e.subject, e.item) for e in result.evidence
    }


def test_plans_for_2022_include_the_work_that_will_continue(graph):
    result = answer(graph, "What is planned for 2022?")
    items = slugs(e.item for e in result.evidence)
    assert len(set(items)) == 25  # 22 "will ..." and 3 "will continue" (closing sentence)
    ustr = [e for e in result.evidence if str(e.item).endswith("ustr-forced-labor-trade-strategy")]
    assert [e.detail.split(", ")[2] for e in ustr] == ["status: ongoing"]
    text = format_answer(result)
    assert "DOJ will release an intra-Departmental National Strategy" in text
    assert "plans, and ongoing work that will continue, the source dates in 2022" in text


def test_funding_answer_says_the_15_million_is_part_of_the_87(graph):
    # sheet: "almost $87 million ... This includes approximately $15 million"
    text = format_answer(answer(graph, "How much money?"))
    assert (
        "$15,000,000, qualifier: approximately, part of DOJ announces almost $87 million to "
        "combat human trafficking, not in addition to it"
    ) in text


# --- laws and agencies, amounts, evidence of a role --------------------------------------------


def test_law_and_agency_composed(graph):
    # sheet Prevention 9: "The Forced Labor Enforcement Task Force, chaired by the Department of
    # Homeland Security (DHS), will work to implement the Uyghur Forced Labor Prevention Act"
    found = answer(graph, "Which DHS initiatives implement the UFLPA?")
    assert (found.kind, found.query_name) == ("agency under a law", "law-agencies")
    assert slugs(found.result.bindings[p] for p in ("law", "agency")) == [
        "statute/uflpa", "agency/dhs",
    ]  # fmt: skip
    assert slugs(s for s, _ in found.subjects) == ["initiative/fletf-uflpa-enforcement-strategy"]
    assert found.evidence[0].detail == "leads, via Forced Labor Enforcement Task Force"


def test_agencies_by_law(graph):
    found = answer(graph, "Which agencies enforce the Tariff Act?")
    assert found.kind == "agencies by law"
    # law 19 U.S.C. 4681(b)(1) (DHS chairs; USTR and Labor); the reference facts (the other
    # members, and CBP, which enforces section 307); sheet Prevention 9 (the FLETF's strategy)
    assert sorted(slugs(s for s, _ in found.subjects)) == [
        "agency/cbp", "agency/dhs", "agency/doc", "agency/doj", "agency/dol", "agency/state",
        "agency/treasury", "agency/ustr",
    ]  # fmt: skip


def test_a_role_is_evidenced_by_the_statement_of_that_role(graph):
    """DHS chairs the FLETF and sits on it: each row's quote is the law's sentence that says
    so (19 U.S.C. 4681(b)(1)), not the FLETF's mandate (4681(a)), which names no agency."""
    found = answer(graph, "What does DHS do under section 307?")
    rows = {(e.item_label, e.detail): (e.quote, e.source) for e in found.evidence}
    chair = rows[("Forced Labor Enforcement Task Force", "chairs")]
    assert chair[0].startswith("The Task Force shall be chaired by the Secretary of Homeland")
    assert chair[1] == "19 U.S.C. 4681(b)(1)"


@pytest.mark.parametrize(
    ("question", "kind", "expected"),
    [
        # sheet Protection 1: "almost $87 million ... This includes approximately $15 million"
        ("What is the $87 million for?", "amount",
         ["initiative/doj-anti-trafficking-funding-2021"]),
        ("What is the $15 million for?", "amount", ["initiative/doj-victim-housing-funding-2021"]),
        ("Which grants are over $10 million?", "amounts over",
         ["initiative/doj-anti-trafficking-funding-2021",
          "initiative/doj-victim-housing-funding-2021"]),
        ("Which funding is more than $20 million?", "amounts over",
         ["initiative/doj-anti-trafficking-funding-2021"]),
        ("Which amounts are under $20 million?", "amounts under",
         ["initiative/doj-victim-housing-funding-2021"]),
    ],
)  # fmt: skip
def test_amounts(graph, question, kind, expected):
    found = answer(graph, question)
    assert found.kind == kind
    assert slugs(s for s, _ in found.subjects) == expected


def test_an_amount_nothing_reaches_is_refused_saying_so(graph):
    with pytest.raises(UnansweredQuestionError) as err:
        answer(graph, "Which grants are over $100 million?")
    assert str(err.value).startswith(
        "$100,000,000 (amount): nothing in the graph answers it. Questions I can answer:"
    )


def test_a_citation_answers_with_the_sections_own_text(graph):
    # law 19 U.S.C. 1307, both paragraphs: the prohibition, the Treasury's regulations and the
    # definition of forced labor
    found = answer(graph, "what does 19 U.S.C. 1307 say")
    assert slugs([found.profile.iri]) == ["provision/tariff-act-1930-s307"]
    text = " ".join(part.text for part in found.profile.law_text)
    assert "the Secretary of the Treasury is authorized and directed to prescribe" in text
    assert "“Forced labor”, as herein used, shall mean all work or service" in text


def test_a_dated_plan_shows_the_dating_sentence_and_its_own_words(graph):
    """'What is planned for 2022?': the sheet dates DOL's training only by its closing
    sentence ("plans for 2022"); the row shows that and the training's own sentence."""
    found = answer(graph, "What is planned for 2022?")
    row = next(
        e for e in found.evidence if slugs([e.subject]) == ["initiative/dol-investigator-training"]
    )
    assert row.quote.endswith("accomplishments from 2021 and plans for 2022.")
    assert row.own.startswith("The Department of Labor (DOL) will provide additional trauma-")
    assert "and its own words: “The Department of Labor (DOL) will provide" in format_answer(found)


def test_who_advises_is_evidenced_by_the_law(graph):
    found = answer(graph, "Who advises the PITF?")
    assert slugs(s for s, _ in found.subjects) == ["body/advisory-council"]
    assert found.evidence[0].source == "22 U.S.C. 7103b(b)"
    assert found.evidence[0].quote.startswith("which shall provide advice and recommendations")


def test_a_statement_of_a_membership_is_evidence_though_it_names_the_official(graph):
    """22 U.S.C. 7103(b) names "the Attorney General", not DOJ: the statement of DOJ's
    membership still is its evidence (a body's own quote must name the member)."""
    found = answer(graph, "Who sits on the PITF?")
    doj = next(e for e in found.evidence if slugs([e.subject]) == ["agency/doj"])
    assert (doj.source, doj.quote[:45]) == (
        "22 U.S.C. 7103(b)", "The President shall appoint the members of th",
    )  # fmt: skip


def test_created_by_is_not_evidenced_by_another_fact_of_the_pair(graph):
    """The PITF implements the TVPA (7103(d)(1)) and was created by it: the "created by" row
    shows the sheet's "created by the Trafficking Victims Protection Act", not the duty."""
    found = answer(graph, "Who created the PITF?")
    tvpa = next(e for e in found.evidence if slugs([e.subject]) == ["statute/tvpa"])
    assert "created by the Trafficking Victims Protection Act (TVPA) of 2000" in tvpa.quote
    assert tvpa.source == "fact sheet"


def test_agencies_by_country_list_the_leads_without_the_countrys_roles(graph):
    # sheet Prosecution 1 (DOJ's JTFA: "... Honduras, and Mexico") and Partnerships 5 ("led by
    # the Department of State, will work with Canada and Mexico")
    found = answer(graph, "Which agencies work with Mexico?")
    assert slugs(s for s, _ in found.subjects) == ["agency/doj", "agency/state"]
    listed = format_answer(found).split("Evidence:")[0]
    # the rows' relation is the initiative's to Mexico ("concerns", "partner"), not DOJ's
    assert "  - Department of Justice (DOJ)\n" in listed
    assert "concerns" not in listed and "partners in" not in listed


def test_plans_of_one_agency(graph):
    # sheet Protection 4 ("DOJ and HHS will launch a joint effort"), Prosecution 4 ("In 2022,
    # DOJ will release an intra-Departmental National Strategy"); closing sentence ("plans
    # for 2022")
    found = answer(graph, "What will DOJ release in 2022?")
    assert found.kind == "planned"
    assert sorted(slugs(s for s, _ in found.subjects)) == [
        "initiative/doj-hhs-standards-of-care", "initiative/doj-national-strategy",
    ]  # fmt: skip


def test_who_enforces_section_307_names_the_reference_not_the_sheet(graph):
    """Reference facts: section 307 is "enforced by U.S. Customs and Border Protection (a DHS
    component)"; the graph holds it as a statement citing 19 U.S.C. 1307's page, no words."""
    page = "https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title19-section1307"
    where = f"not in a shipped source's words; see {page}&num=0&edition=prelim"
    who = answer(graph, "Who enforces section 307 of the Tariff Act?")
    assert slugs(s for s, _ in who.subjects) == [
        "initiative/fletf-uflpa-enforcement-strategy", "body/fletf", "agency/cbp",
    ]  # fmt: skip
    [cbp] = [e for e in who.evidence if str(e.subject).endswith("/cbp")]
    assert (cbp.detail, cbp.quote, cbp.source) == ("enforces", "", where)
    does = answer(graph, "Does CBP enforce section 307?")
    assert does.boolean is True
    assert [(e.quote, e.source) for e in does.evidence] == [("", where)]
    assert answer(graph, "Does DOT enforce section 307?").boolean is False
    # DHS enforces it through CBP: the evidence is CBP's statement, not the section's own
    # words in the sheet (which name neither)
    dhs = answer(graph, "What does DHS do under section 307?")
    [via] = [
        e for e in dhs.evidence if e.detail == "enforces, via U.S. Customs and Border Protection"
    ]
    assert (via.quote, via.source) == ("", where)


def test_how_many_is_answered_with_the_count_the_sheet_states(graph):
    """Sheet, opening: the NAP is "a comprehensive and forward-looking strategy with over 60
    priority actions": the answer is that count in the sheet's words, not a count of rows."""
    found = answer(graph, "How many priority actions does the NAP have?")
    assert (found.kind, found.counted) == ("stated count", False)
    assert slugs(s for s, _ in found.subjects) == ["document/nap"]
    [said] = found.evidence
    assert said.detail == "priority action count: over 60"
    assert "with over 60 priority actions focused on" in said.quote
    assert said.source == "fact sheet"
    text = format_answer(found)
    assert "Count:" not in text and ": priority action count: over 60" in text
    assert "count" not in found.to_json()
    # sheet: the PITF coordinates "efforts across 20 Federal agencies"; the law names 12
    # members (22 U.S.C. 7103(b)): asked who is on it, the members are counted
    assert answer(graph, "How many agencies does the PITF coordinate?").evidence[0].detail == (
        "agency count: 20"
    )
    members = answer(graph, "How many agencies are on the PITF?")
    assert (members.kind, members.counted, len(members.subjects)) == ("members", True, 12)
    assert "Count: 12" in format_answer(members)

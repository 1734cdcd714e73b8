"""The query catalogue and run_query: headers, parameters, user files, portability, formats.

Unit tests run on a small crafted graph; the expected rows on the shipped graph run on each
engine (the ``engines`` marker). That every named query gives the same rows on every engine and
through a remote store's trailing VALUES is tests/test_backends.py's.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.query import Result

from tf_graph.build.rules import apply_rules
from tf_graph.engines import rdflib_parse
from tf_graph.errors import InputFileError, QueryError, UnknownEntityError
from tf_graph.questions.catalogue import (
    AnswerView,
    Detail,
    Kind,
    Param,
    find_query,
    list_queries,
    parse_header,
)
from tf_graph.questions.params import parse_month
from tf_graph.questions.results import render
from tf_graph.questions.run import run_query

#: every test on the shipped graph runs on each engine (tests/conftest.py)
pytestmark = pytest.mark.engines

TFR = "https://w3id.org/tf-graph/id/"

PREFIXES = """
@prefix tf: <https://w3id.org/tf-graph/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix agency: <https://w3id.org/tf-graph/id/agency/> .
@prefix body: <https://w3id.org/tf-graph/id/body/> .
@prefix initiative: <https://w3id.org/tf-graph/id/initiative/> .
@prefix topic: <https://w3id.org/tf-graph/id/topic/> .
@prefix statute: <https://w3id.org/tf-graph/id/statute/> .
@prefix document: <https://w3id.org/tf-graph/id/document/> .
@prefix pillar: <https://w3id.org/tf-graph/id/pillar/> .
@prefix status: <https://w3id.org/tf-graph/id/status/> .
"""

#: a tiny world: a department with a component, a body, laws, topics with a hierarchy
CRAFTED = (
    PREFIXES
    + """
agency:dept a tf:Agency ; rdfs:label "Department of Examples"@en ; skos:altLabel "DOE"@en .
agency:unit a tf:Agency ; rdfs:label "Example Unit"@en ; skos:altLabel "EXU"@en ;
    org:subOrganizationOf agency:dept .
agency:other a tf:Agency ; rdfs:label "Other Agency"@en .
agency:bystander a tf:Agency ; rdfs:label "Bystander Agency"@en .
body:tf1 a tf:CoordinationBody ; rdfs:label "Example Task Force"@en ;
    tf:chairedBy agency:other ; tf:addresses topic:narrow ; tf:quote "the task force" .
agency:other tf:memberOf body:tf1 .
agency:dept tf:memberOf body:tf1 .
body:broad-body a tf:CoordinationBody ; rdfs:label "Broad Body"@en ; tf:addresses topic:broad .
agency:bystander tf:memberOf body:broad-body .
topic:broad a tf:Topic ; rdfs:label "broad topic"@en .
topic:narrow a tf:Topic ; rdfs:label "narrow topic"@en ; skos:altLabel "narrow topics"@en ;
    skos:broader topic:broad .
topic:elsewhere a tf:Topic ; rdfs:label "elsewhere"@en .
statute:act a tf:Statute ; rdfs:label "Example Act"@en ; tf:addresses topic:narrow .
document:plan a tf:PolicyDocument ; rdfs:label "Example Plan"@en ; tf:addresses topic:narrow .
initiative:a a tf:Initiative ; rdfs:label "Unit does A"@en ; tf:ledBy agency:unit ;
    tf:partner agency:other ; tf:addresses topic:narrow ; tf:pillar pillar:prevention ;
    tf:status status:planned ; tf:date "2022"^^xsd:gYear ; tf:quote "quote B" , "quote A" .
initiative:b a tf:Initiative ; rdfs:label "Other enforces the Act"@en ; tf:ledBy agency:other ;
    tf:implements statute:act ; tf:addresses topic:elsewhere ; tf:pillar pillar:prosecution ;
    tf:status status:planned ; tf:quote "quote of b" .
initiative:c a tf:Initiative ; rdfs:label "Bystander follows the plan"@en ;
    tf:ledBy agency:bystander ; tf:implements document:plan ; tf:pillar pillar:protection ;
    tf:status status:planned ; tf:date "2021-12"^^xsd:gYearMonth ; tf:quote "quote of c" .
initiative:d a tf:Initiative ; rdfs:label "Unrelated work"@en ; tf:ledBy agency:bystander ;
    tf:addresses topic:elsewhere ; tf:pillar pillar:prevention ; tf:status status:completed ;
    tf:quote "quote of d" .
pillar:prevention a tf:Pillar ; rdfs:label "Prevention"@en .
pillar:protection a tf:Pillar ; rdfs:label "Protection"@en .
pillar:prosecution a tf:Pillar ; rdfs:label "Prosecution"@en .
status:planned rdfs:label "planned"@en .
status:completed rdfs:label "completed"@en .
"""
)


@pytest.fixture(scope="module")
def crafted() -> Graph:
    graph = Graph()
    graph.parse(data=CRAFTED, format="turtle")
    apply_rules(graph)  # the derived facts, as load_graph adds them
    return graph


def short(term: object) -> str | None:
    if term is None:
        return None
    text = str(term)
    return text[len(TFR) :] if text.startswith(TFR) else text


def table(result, *columns: str) -> list[tuple]:
    return [tuple(short(row[c]) for c in columns) for row in result.rows]


# --- the catalogue ---------------------------------------------------------------------------


def test_catalogue_has_the_named_queries_with_headers():
    specs = {spec.name: spec for spec in list_queries()}
    required = {
        "agencies-by-topic", "initiatives-by-pillar", "initiatives-by-agency", "agency-partners",
        "law-implementers", "coordination-bodies", "timeline", "planned-actions", "funding",
        "agencies-across-pillars", "by-country", "by-sector", "entity-profile",
    }  # fmt: skip
    assert required <= set(specs)
    assert len(specs) >= 14
    for spec in specs.values():
        assert spec.title and spec.title != spec.name, spec.name
        assert len(spec.description) > 30, spec.name
        text = spec.text
        assert text.lstrip().startswith("# title:"), spec.name
        # (that each is valid SPARQL 1.1: parsed in tests/test_sparql_subset.py)
        assert "ORDER BY" in text, f"{spec.name} must be ordered to be deterministic"
        select = text[text.index("SELECT") : text.index("WHERE")]
        for param in spec.params:
            assert param.meaning, (spec.name, param.name)
            # Oxigraph substitutes only variables of the SELECT clause
            assert f"?{param.name}" in select.split(), (spec.name, param.name)


def test_header_parsing_of_params(tmp_path):
    text = (
        "# title: T\n# description: D (with\n#  description: parentheses)\n"
        "# param: topic (tf:Topic) - the topic (e.g. forced labor) (default: forced labor)\n"
        "# param: year (year) - a year (default: any)\n"
        "# param: entity - anything\n"
        "# param: law (tf:Statute | tf:ExecutiveOrder) - a law (default: any)\n"
        "# param: n (xsd:integer 1-4) - how many (default: any)\n"
        "SELECT * WHERE { ?s ?p ?o }\n"
    )
    spec = parse_header(text, tmp_path / "t.rq")
    assert spec.title == "T" and spec.description == "D (with parentheses)"
    assert spec.params == (
        Param("topic", "the topic (e.g. forced labor)", "forced labor", Kind(classes=("Topic",))),
        Param("year", "a year", "any", Kind(literal="year")),
        Param("entity", "anything", None),
        Param("law", "a law", "any", Kind(classes=("Statute", "ExecutiveOrder"))),
        Param("n", "how many", "any", Kind(literal="xsd:integer", low=1, high=4)),
    )
    assert [str(p.kind) for p in spec.params] == [
        "tf:Topic", "year", "any", "tf:Statute | tf:ExecutiveOrder", "xsd:integer 1-4",
    ]  # fmt: skip
    assert [p.required for p in spec.params] == [False, False, True, False, False]
    assert [p.optional for p in spec.params] == [False, True, False, True, True]


def test_header_answer_lines(tmp_path):
    text = (
        "# title: T\n# param: year (year) - a year (default: any)\n"
        '# answer: subject agency\n# answer: detail role "{}"\n# answer: detail via\n'
        "# answer: role role\n# answer: evidence item\n# answer: quote quote\n"
        '# answer: note year "dated {year}"\nSELECT * WHERE { ?s ?p ?o }\n'
    )
    view = parse_header(text, tmp_path / "t.rq").answer
    assert view == AnswerView(
        subject="agency",
        details=(Detail("role", "{}"), Detail("via")),
        role="role",
        evidence="item",
        quote="quote",
        notes=(("year", "dated {year}"),),
    )


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("# param: x (tf:topic) - t", r"t\.rq: unknown parameter kind \(tf:topic\)"),
        ("# param: x (xsd:integer 4-1) - t", r"unknown parameter kind \(xsd:integer 4-1\)"),
        ("# param: x the topic", r"t\.rq: bad '# param:' line"),
        ("# answer: subjects agency", r"t\.rq: bad '# answer:' line"),
        ("# answer: subject a\n# answer: subject b", r"'# answer: subject' given twice"),
        ('# answer: note year "x"', r"'# answer: note year' names no parameter"),
    ],
)
def test_bad_header_lines_are_named(tmp_path, line, message):
    with pytest.raises(QueryError, match=message):
        parse_header(f"{line}\nSELECT * WHERE {{ ?s ?p ?o }}\n", tmp_path / "t.rq")


def test_every_shipped_parameter_declares_its_kind():
    for spec in list_queries():
        for param in spec.params:
            assert f"# param: {param.name} ({param.kind}) - " in spec.text, (spec.name, param)


def test_unknown_query_name_suggests_close_names():
    with pytest.raises(QueryError, match=r"unknown query 'agencies-by-topik'.*agencies-by-topic"):
        find_query("agencies-by-topik")


def test_parse_month():
    assert parse_month("2021-12") == "2021-12"
    assert parse_month("December 2021") == "2021-12"
    assert parse_month("dec. 2021") == "2021-12"
    assert parse_month("Sept 2021") == "2021-09"
    assert parse_month("2021-13") is None
    assert parse_month("Smarch 2021") is None


# --- parameters on a crafted graph -----------------------------------------------------------


def test_agencies_by_topic_routes_components_and_narrower_topics(crafted):
    result = run_query(crafted, "agencies-by-topic", {"topic": "broad topic"})
    rows = table(result, "agency", "role", "via", "evidence")
    assert rows == [
        # ordered by agency label, then evidence label
        # the body about the broad topic itself
        ("agency/bystander", "member", None, "body/broad-body"),
        ("agency/dept", "member", None, "body/tf1"),
        # the component's initiative, counted for the department "via" the unit
        ("agency/dept", "lead", "agency/unit", "initiative/a"),
        ("agency/unit", "lead", None, "initiative/a"),
        # the chair is not listed again as a member
        ("agency/other", "chair", None, "body/tf1"),
        # an initiative implementing an Act about a narrower topic
        ("agency/other", "lead", None, "initiative/b"),
        ("agency/other", "partner", None, "initiative/a"),
    ]
    # a plan (not a law) about the topic does not make its followers count: no initiative/c
    assert ("agency/bystander", "lead", None, "initiative/c") not in rows
    # every quote of an item, in a fixed order
    quotes = {short(r["evidence"]): str(r["quote"]) for r in result.rows if r["quote"]}
    assert quotes["initiative/a"] == "quote A … quote B"


def test_agencies_by_topic_narrow_topic_excludes_broader_things(crafted):
    result = run_query(crafted, "agencies-by-topic", {"topic": "narrow topics"})
    evidence = {short(r["evidence"]) for r in result.rows}
    assert evidence == {"initiative/a", "initiative/b", "body/tf1"}
    assert result.bindings == {"topic": URIRef(TFR + "topic/narrow")}


def test_optional_year_parameter(crafted):
    every = run_query(crafted, "planned-actions")
    assert table(every, "initiative", "year") == [
        ("initiative/a", "2022"),
        ("initiative/c", "2021"),
        ("initiative/b", ""),
    ]
    assert "year" not in every.bindings
    only = run_query(crafted, "planned-actions", {"year": "2022"})
    assert table(only, "initiative", "year") == [("initiative/a", "2022")]
    assert only.bindings == {"year": Literal("2022")}
    assert run_query(crafted, "planned-actions", {"year": "1999"}).rows == []


def test_timeline_month_and_year(crafted):
    result = run_query(crafted, "timeline", {"month": "December 2021"})
    assert table(result, "item", "date", "month") == [("initiative/c", "2021-12", "2021-12")]
    result = run_query(crafted, "timeline", {"year": "2022"})
    assert table(result, "item") == [("initiative/a",)]


def test_missing_required_parameter_is_named(crafted):
    with pytest.raises(QueryError, match=r"needs parameter 'entity'.*--param entity=VALUE"):
        run_query(crafted, "entity-profile")


def test_unknown_parameter_is_refused(crafted):
    with pytest.raises(QueryError, match=r"has no parameter 'topik' \(its parameters: topic\)"):
        run_query(crafted, "agencies-by-topic", {"topik": "x"})
    with pytest.raises(QueryError, match="takes no parameters"):
        run_query(crafted, "funding", {"year": "2022"})


def test_bad_literal_parameters(crafted):
    with pytest.raises(QueryError, match="expected a year such as 2022, got '22'"):
        run_query(crafted, "planned-actions", {"year": "22"})
    with pytest.raises(QueryError, match="expected a number from 1 to 4"):
        run_query(crafted, "agencies-across-pillars", {"pillars": "5"})


def test_entity_parameter_of_the_wrong_kind_is_unknown(crafted):
    message = r"^'Example Unit' names the agency Example Unit, not a topic$"
    with pytest.raises(UnknownEntityError, match=message):
        run_query(crafted, "agencies-by-topic", {"topic": "Example Unit"})


def test_labels_for_display(crafted):
    result = run_query(crafted, "agencies-by-topic", {"topic": "narrow topic"})
    assert result.label(URIRef(TFR + "agency/unit")) == "Example Unit"
    assert result.label(result.bindings["topic"]) == "narrow topic"


# --- a user's own query file -----------------------------------------------------------------


def test_user_file_runs_with_its_own_params(crafted, tmp_path):
    path = tmp_path / "mine.rq"
    path.write_text(
        "# title: Mine\n# description: initiatives led by an agency\n"
        "# param: agency - the agency\n"
        "PREFIX tf: <https://w3id.org/tf-graph/ontology#>\n"
        "SELECT ?i WHERE { ?i tf:ledBy ?agency } ORDER BY ?i\n",
        encoding="utf-8",
    )
    result = run_query(crafted, str(path), {"agency": "EXU"})
    assert table(result, "i") == [("initiative/a",)]
    assert result.spec.title == "Mine" and not result.spec.named


def test_user_file_ask_and_construct(crafted, tmp_path):
    ask = tmp_path / "ask.rq"
    ask.write_text("ASK { ?s ?p ?o }", encoding="utf-8")
    result = run_query(crafted, str(ask))
    assert result.boolean is True
    assert json.loads(render(result, "json")) == {"head": {}, "boolean": True}
    construct = tmp_path / "c.rq"
    construct.write_text(
        "PREFIX tf: <https://w3id.org/tf-graph/ontology#>\n"
        "CONSTRUCT { ?i tf:ledBy ?a } WHERE { ?i tf:ledBy ?a }",
        encoding="utf-8",
    )
    result = run_query(crafted, str(construct))
    assert result.vars == ["subject", "predicate", "object"]
    assert len(result.rows) == 4


def test_syntax_error_reports_line_and_column(crafted, tmp_path):
    path = tmp_path / "bad.rq"
    path.write_text(
        "# title: bad\nSELECT ?s WHERE {\n  ?s ?p ?o .\n  FILTER( }\n", encoding="utf-8"
    )
    with pytest.raises(QueryError) as err:
        run_query(crafted, str(path))
    assert str(err.value).startswith(f"{path}:4:")
    assert "SPARQL syntax error" in str(err.value)
    assert err.value.exit_code == 2


def test_rdflib_parses_a_query_text_once(crafted, monkeypatch):
    """rdflib's engine parses a query text once (0.1-0.3 s a named query, most of a run on a
    small graph) and runs the parse with each call's bindings: the rows of the text parsed
    afresh."""
    from rdflib.plugins.sparql import parser, processor

    parsed: list[str] = []

    def counting(text):
        parsed.append(text)
        return real(text)

    real = parser.parseQuery
    monkeypatch.setattr(parser, "parseQuery", counting)
    monkeypatch.setattr(processor, "parseQuery", counting)
    rdflib_parse.forget()
    answers = [run_query(crafted, "initiatives-by-agency", {"agency": a}) for a in ("DOE", "EXU")]
    assert parsed.count(answers[0].sparql) == 1
    for answer in answers:
        fresh = crafted.query(answer.sparql, initBindings=answer.bindings)
        assert answer.rows == [dict(zip(map(str, fresh.vars), row, strict=True)) for row in fresh]
        assert answer.rows
    assert answers[0].rows != answers[1].rows


def test_missing_huge_binary_and_non_utf8_files_are_refused(crafted, tmp_path):
    with pytest.raises(InputFileError, match="no such file"):
        run_query(crafted, str(tmp_path / "nothing.rq"))
    huge = tmp_path / "huge.rq"
    huge.write_text("# " + "x" * 1_100_000 + "\nSELECT * WHERE { ?s ?p ?o }", encoding="utf-8")
    with pytest.raises(InputFileError, match="too large"):
        run_query(crafted, str(huge))
    binary = tmp_path / "binary.rq"
    binary.write_bytes(b"SELECT\x00\x01\x02 * WHERE {}")
    with pytest.raises(InputFileError, match="binary"):
        run_query(crafted, str(binary))
    latin = tmp_path / "latin.rq"
    latin.write_bytes("# caf\xe9\nSELECT * WHERE { ?s ?p ?o }".encode("latin-1"))
    with pytest.raises(InputFileError, match="not UTF-8"):
        run_query(crafted, str(latin))


# --- formats ---------------------------------------------------------------------------------


def test_json_is_w3c_sparql_results_and_round_trips(crafted):
    result = run_query(crafted, "planned-actions")
    text = render(result, "json")
    document = json.loads(text)
    assert document["head"]["vars"] == result.vars
    first = document["results"]["bindings"][0]
    assert first["initiative"] == {"type": "uri", "value": TFR + "initiative/a"}
    assert first["initiativeLabel"] == {"type": "literal", "value": "Unit does A", "xml:lang": "en"}
    assert first["date"]["datatype"] == "http://www.w3.org/2001/XMLSchema#gYear"
    parsed = Result.parse(io.StringIO(text), format="json")
    assert [dict(zip(result.vars, r, strict=True)) for r in parsed] == result.rows


def test_csv_is_w3c_sparql_csv(crafted):
    result = run_query(crafted, "planned-actions")
    text = render(result, "csv")
    assert text.startswith(",".join(result.vars) + "\r\n")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == len(result.rows) + 1
    assert rows[1][0] == TFR + "initiative/a" and rows[1][1] == "Unit does A"
    # unbound is empty; quotes with commas are quoted
    assert rows[3][result.vars.index("date")] == ""


def test_csv_cells_of_every_kind_of_term(tmp_path):
    """IRIs and literals as their text, a blank node as _:label, unbound as empty."""
    turtle = """@prefix ex: <https://example.org/> .
    ex:a ex:p [ ex:q "2022-01-25"^^<http://www.w3.org/2001/XMLSchema#date> ] , "x, \\"y\\""@en .
    """
    graph = Graph().parse(data=turtle, format="turtle")
    path = tmp_path / "kinds.rq"
    path.write_text(
        "SELECT ?s ?o ?d ?none WHERE { ?s <https://example.org/p> ?o OPTIONAL { ?o ?q ?d } }"
    )
    rows = list(csv.reader(io.StringIO(render(run_query(graph, str(path)), "csv"))))
    blank = next(str(o) for o in graph.objects() if not isinstance(o, Literal))
    assert sorted(rows[1:]) == [
        ["https://example.org/a", f"_:{blank}", "2022-01-25", ""],
        ["https://example.org/a", 'x, "y"', "", ""],
    ]
    assert rows[0] == ["s", "o", "d", "none"]


def test_table_shows_labels_not_iris(crafted):
    text = render(run_query(crafted, "agencies-by-topic", {"topic": "broad topic"}), "table")
    assert "Example Unit" in text and TFR not in text
    header = text.splitlines()[0].split()
    assert header == ["agency", "role", "via", "evidence", "quote", "source", "topic"]
    assert text.rstrip().endswith("(7 rows)")


def test_markdown_escapes_pipes(tmp_path):
    graph = Graph()
    graph.parse(
        data=PREFIXES + 'initiative:x a tf:Initiative ; rdfs:label "a | b"@en ; tf:amountUSD 5 .',
        format="turtle",
    )
    text = render(run_query(graph, "funding"), "md")
    lines = text.splitlines()
    assert lines[0] == "| initiative | amountUSD | qualifier | partOf | lead | date | quote |"
    assert "[a \\| b](https://w3id.org/tf-graph/id/initiative/x)" in lines[2]
    assert lines[2].count(" | ") == 6


def test_unknown_format(crafted):
    with pytest.raises(QueryError, match=r"unknown format 'yaml' \(expected one of table, csv"):
        render(run_query(crafted, "funding"), "yaml")


# --- exact rows on the shipped graph, checked by hand against the fact sheet -----------------
# "sheet: <section>, <bullet>" names the bullet of data/sources/pitf-fact-sheet-2022-01-25.md a
# row comes from; "ref:" a row of shared/design/reference-facts.md.


def rows_of(graph, name, params, *columns):
    return table(run_query(graph, name, params), *columns)


def test_shipped_agencies_by_topic_forced_labor(graph):
    assert rows_of(graph, "agencies-by-topic", {}, "agency", "role", "via", "evidence") == [
        # sheet: Prevention, DOC "in collaboration with the Departments of State and Labor,
        # launched a new coordination group ... forced labor in the seafood industry"
        ("agency/doc", "lead", None, "initiative/doc-seafood-coordination-group"),
        # sheet: Partnerships, "DOC will develop training and guidance ... forced labor in
        # supply chains"
        ("agency/doc", "lead", None, "initiative/doc-forced-labor-supply-chain-guidance"),
        # ref: FLETF members DHS, USTR, Labor, State, Treasury, Justice, Commerce
        ("agency/doc", "member", None, "body/fletf"),
        # sheet: Prevention, HHS Task Force "preventing forced labor in health care supply
        # chains"; the task force is HHS's own
        ("agency/hhs", "parent", None, "body/hhs-task-force"),
        ("agency/hhs", "lead", "body/hhs-task-force", "initiative/hhs-task-force-focus-areas"),
        # sheet: Prosecution, "DHS detained more shipments of goods ... made by forced labor"
        ("agency/dhs", "lead", None, "initiative/dhs-forced-labor-shipment-detentions"),
        # sheet: Prosecution, "DHS also initiated the first-ever criminal investigations ...
        # who use forced labor"
        ("agency/dhs", "lead", None, "initiative/dhs-forced-labor-criminal-investigations"),
        # sheet: Prevention, "The Forced Labor Enforcement Task Force, chaired by ... (DHS)"
        ("agency/dhs", "chair", None, "body/fletf"),
        # labor trafficking, which the law relates to forced labor: sheet: Protection, DOJ's
        # funding for "research into the nature and causes of labor and sex trafficking";
        # Prosecution, DOJ's strategy "countering emerging labor trafficking threats"
        ("agency/doj", "lead", None, "initiative/doj-anti-trafficking-funding-2021"),
        ("agency/doj", "lead", None, "initiative/doj-national-strategy"),
        ("agency/doj", "member", None, "body/fletf"),  # ref: FLETF members
        # sheet: Prevention, DOC "in collaboration with the Departments of State and Labor"
        ("agency/dol", "partner", None, "initiative/doc-seafood-coordination-group"),
        # sheet: Prevention, DOL training for investigators "in order to combat forced labor"
        ("agency/dol", "lead", None, "initiative/dol-investigator-training"),
        ("agency/dol", "member", None, "body/fletf"),  # ref: FLETF members
        ("agency/state", "partner", None, "initiative/doc-seafood-coordination-group"),
        ("agency/state", "member", None, "body/fletf"),  # ref: FLETF members
        ("agency/treasury", "member", None, "body/fletf"),  # ref: FLETF members
        # sheet: Partnerships, Treasury "hosted a public-private partnership focusing on forced
        # labor and supply chain due diligence"
        (
            "agency/treasury",
            "lead",
            None,
            "initiative/treasury-forced-labor-public-private-partnership",
        ),
        ("agency/ustr", "member", None, "body/fletf"),  # ref: FLETF members
        # sheet: Partnerships, USTR "trade strategy for combating forced labor"
        ("agency/ustr", "lead", None, "initiative/ustr-forced-labor-trade-strategy"),
    ]


def test_shipped_agencies_by_topic_counts_components_for_parents(graph):
    rows = rows_of(graph, "agencies-by-topic", {"topic": "illicit finance"}, "agency", "via")
    # sheet: Partnerships, "Treasury’s Financial Crimes Enforcement Network issued ... priorities
    # ... disrupting the illicit financial flows": FinCEN, and Treasury via FinCEN
    assert ("agency/fincen", None) in rows
    assert ("agency/treasury", "agency/fincen") in rows


def test_shipped_initiatives_by_pillar_prevention(graph):
    # sheet: the nine bullets of *Prevention*; HHS, SPOG and USAID bullets give two each
    got = rows_of(
        graph,
        "initiatives-by-pillar",
        {"pillar": "prevention"},
        "initiative",
        "lead",
        "status",
        "date",
    )
    assert got == [
        ("initiative/doc-seafood-coordination-group", "agency/doc", "status/completed", "2021"),
        ("initiative/dhs-senior-accountable-official", "agency/dhs", "status/completed", None),
        # "will ...": plans for 2022 (the sheet's closing sentence)
        ("initiative/dol-investigator-training", "agency/dol", "status/planned", "2022"),
        ("initiative/dod-student-guide", "agency/dod", "status/completed", None),
        ("initiative/ed-school-webinars", "agency/ed", "status/planned", "2022"),
        ("initiative/fletf-uflpa-enforcement-strategy", "body/fletf", "status/planned", "2022"),
        ("initiative/hhs-task-force-focus-areas", "body/hhs-task-force", "status/planned", "2022"),
        ("initiative/hhs-task-force-establishment", "agency/hhs", "status/completed", None),
        (
            "initiative/spog-visa-working-group-establishment",
            "body/spog",
            "status/completed",
            "2021",
        ),
        (
            "initiative/spog-visa-working-group-analysis",
            "body/spog-visa-working-group",
            "status/planned",
            "2022",
        ),
        ("initiative/usaid-ctip-policy-release", "agency/usaid", "status/completed", "2021-12"),
        ("initiative/usaid-ctip-policy-programming", "agency/usaid", "status/planned", "2022"),
    ]


def test_shipped_initiatives_by_agency_dhs(graph):
    got = rows_of(
        graph, "initiatives-by-agency", {"agency": "DHS"}, "initiative", "role", "via", "pillar"
    )
    assert got == [
        # sheet: Prevention, "DHS designated a senior accountable official"
        ("initiative/dhs-senior-accountable-official", "lead", None, "pillar/prevention"),
        # sheet: Protection, "DHS will incorporate a victim-centered approach"
        ("initiative/dhs-victim-centered-approach", "lead", None, "pillar/protection"),
        # sheet: Prosecution, detentions and criminal investigations
        ("initiative/dhs-forced-labor-shipment-detentions", "lead", None, "pillar/prosecution"),
        ("initiative/dhs-forced-labor-criminal-investigations", "lead", None, "pillar/prosecution"),
        # sheet: Prosecution, JTFA "in partnership with DHS"
        ("initiative/doj-jtfa-launch", "partner", None, "pillar/prosecution"),
        # sheet: Partnerships, "the Blue Lightning Initiative" (ref: led by DOT and CBP, a DHS
        # component); Blue Lightning "in coordination with the Department of Homeland Security";
        # Treasury "co-hosting a training with DOJ and DHS"
        ("initiative/blue-lightning-initiative", "lead", "agency/cbp", "pillar/partnerships"),
        ("initiative/dot-blue-lightning-expansion", "partner", None, "pillar/partnerships"),
        ("initiative/treasury-gaming-training", "partner", None, "pillar/partnerships"),
    ]


def test_shipped_initiatives_by_agency_counts_components(graph):
    got = rows_of(
        graph,
        "initiatives-by-agency",
        {"agency": "Justice Department"},
        "initiative",
        "role",
        "via",
    )
    assert got == [
        # sheet: Protection, DOJ and HHS joint effort; "$87 million" and "$15 million"
        ("initiative/doj-hhs-standards-of-care", "lead", None),
        ("initiative/doj-anti-trafficking-funding-2021", "lead", None),
        ("initiative/doj-victim-housing-funding-2021", "lead", None),
        # sheet: Prosecution, JTFA launch, JTFA's work, the strategy, OVW's consortium and TA
        ("initiative/doj-jtfa-launch", "lead", None),
        ("initiative/doj-national-strategy", "lead", None),
        ("initiative/jtfa-criminal-network-disruption", "lead", "body/jtfa"),
        ("initiative/ovw-law-enforcement-training-consortium", "lead", "agency/ovw"),
        ("initiative/ovw-prosecution-ta-training", "lead", "agency/ovw"),
        # sheet: Partnerships, DOT's report "in coordination with the Attorney General";
        # Treasury "co-hosting a training with DOJ and DHS"
        ("initiative/dot-advisory-committee-reestablishment", "partner", None),
        ("initiative/treasury-gaming-training", "partner", None),
    ]


def test_shipped_agency_partners_doj(graph):
    got = rows_of(
        graph, "agency-partners", {"agency": "DOJ"}, "partner", "sharedInitiatives", "evidence"
    )
    assert got == [
        # sheet: JTFA "in partnership with DHS"; the gaming training with DOJ and DHS
        ("agency/dhs", "2", "initiative/doj-jtfa-launch"),
        ("agency/dhs", "2", "initiative/treasury-gaming-training"),
        ("agency/hhs", "1", "initiative/doj-hhs-standards-of-care"),  # "DOJ and HHS will launch"
        ("agency/dot", "1", "initiative/dot-advisory-committee-reestablishment"),
        ("agency/treasury", "1", "initiative/treasury-gaming-training"),
    ]


def test_agency_partners_counts_parts_at_any_depth():
    """A part five org:subOrganizationOf links below an agency is the agency's, as one link
    below is (tf:partOfAgency is derived at any depth); the agency's own parts are never its
    partners."""
    chain = "".join(
        f'agency:level{n} a tf:Agency ; rdfs:label "Level {n}"@en ; '
        f"org:subOrganizationOf agency:level{n - 1} .\n"
        for n in range(1, 6)
    )
    graph = Graph().parse(
        format="turtle",
        data=PREFIXES
        + chain
        + """agency:top a tf:Agency ; rdfs:label "Top"@en .
        agency:level0 a tf:Agency ; rdfs:label "Level 0"@en .
        agency:ally a tf:Agency ; rdfs:label "Ally"@en .
        initiative:four a tf:Initiative ; rdfs:label "Four"@en ; tf:ledBy agency:level4 ;
            tf:partner agency:ally, agency:level1 .
        initiative:five a tf:Initiative ; rdfs:label "Five"@en ; tf:ledBy agency:level5 ;
            tf:partner agency:ally .
        """,
    )
    apply_rules(graph)
    got = rows_of(graph, "agency-partners", {"agency": "level0"}, "partner", "evidence")
    assert got == [("agency/ally", "initiative/five"), ("agency/ally", "initiative/four")]
    got = rows_of(graph, "agency-partners", {"agency": "level1"}, "partner", "evidence")
    assert got == [("agency/ally", "initiative/five"), ("agency/ally", "initiative/four")]
    got = rows_of(graph, "agency-partners", {"agency": "level5"}, "partner", "evidence")
    assert got == [("agency/ally", "initiative/five")]


@pytest.mark.parametrize("store", ["Memory", "Oxigraph"])
def test_agencies_by_topic_counts_a_part_for_every_department_above_it(store):
    """The work of a part counts for every department above it, however deep, named in
    "via"; a part reached by two chains gives one row per department, not two."""
    chain = "".join(
        f'agency:level{n} a tf:Agency ; rdfs:label "Level {n}"@en ; '
        f"org:subOrganizationOf agency:level{n - 1} .\n"
        for n in range(1, 6)
    )
    graph = Graph(store=store).parse(
        format="turtle",
        data=PREFIXES
        + chain
        + """agency:level0 a tf:Agency ; rdfs:label "Level 0"@en .
        topic:t a tf:Topic ; rdfs:label "T"@en .
        body:twice a tf:CoordinationBody ; rdfs:label "Twice"@en ;
            org:subOrganizationOf agency:level2 , agency:level3 .
        initiative:five a tf:Initiative ; rdfs:label "Five"@en ; tf:ledBy agency:level5 ;
            tf:addresses topic:t ; tf:quote "five" .
        initiative:both a tf:Initiative ; rdfs:label "Both"@en ; tf:partner body:twice ;
            tf:addresses topic:t ; tf:quote "both" .
        """,
    )
    apply_rules(graph)
    got = rows_of(graph, "agencies-by-topic", {"topic": "T"}, "agency", "via", "evidence", "quote")
    assert [row for row in got if row[0] == "agency/level0"] == [
        ("agency/level0", "body/twice", "initiative/both", "both"),
        ("agency/level0", "agency/level5", "initiative/five", "five"),
    ]
    assert ("agency/level5", None, "initiative/five", "five") in got
    assert [row[0] for row in got if row[2] == "initiative/both"] == [
        "agency/level0", "agency/level1", "agency/level2", "agency/level3",
    ]  # fmt: skip


def test_shipped_law_implementers(graph):
    # sheet: Prevention, FLETF "will work to implement the Uyghur Forced Labor Prevention Act by
    # developing a strategy for supporting enforcement of Section 307 of the Tariff Act of 1930"
    got = rows_of(
        graph, "law-implementers", {"law": "UFLPA"}, "relation", "evidence", "carriedOutBy"
    )
    assert got == [("implements", "initiative/fletf-uflpa-enforcement-strategy", "body/fletf")]
    got = rows_of(graph, "law-implementers", {"law": "Tariff Act of 1930"}, "evidence", "provision")
    assert got == [
        ("initiative/fletf-uflpa-enforcement-strategy", "provision/tariff-act-1930-s307"),
        # 19 U.S.C. 4681(a): the FLETF monitors enforcement of the prohibition under section 1307
        ("body/fletf", "provision/tariff-act-1930-s307"),
        # reference facts: section 307 is enforced by U.S. Customs and Border Protection
        ("agency/cbp", "provision/tariff-act-1930-s307"),
    ]
    # sheet: the PITF, "created by the Trafficking Victims Protection Act (TVPA) of 2000";
    # ref: TVPA section 105 (PITF) and 105(f), added by the TVPRA 2003 (SPOG)
    got = rows_of(graph, "law-implementers", {"law": "TVPA"}, "relation", "evidence", "provision")
    assert got == [
        ("implements", "body/pitf", None),  # 22 U.S.C. 7103(d)(1): "Coordinate the implementation"
        ("established under", "body/pitf", None),
        ("established under", "body/pitf", "provision/tvpa-s105"),
        ("established under", "body/spog", "provision/tvpa-s105"),
    ]


def test_shipped_coordination_bodies_fletf(graph):
    got = rows_of(graph, "coordination-bodies", {"body": "FLETF"}, "relation", "related")
    assert got == [
        # sheet: "The Forced Labor Enforcement Task Force ... will work to implement": it exists
        ("status", "status/established"),
        ("chair", "agency/dhs"),  # sheet: "chaired by the Department of Homeland Security"
        ("created by", "eo/13923"),  # ref: EO 13923 and USMCA Implementation Act s741
        ("created by", "provision/usmca-implementation-act-s741"),
        # ref: members DHS, USTR, Labor, State, Treasury, Justice, Commerce (by label)
        ("member", "agency/doc"),
        ("member", "agency/dhs"),
        ("member", "agency/doj"),
        ("member", "agency/dol"),
        ("member", "agency/state"),
        ("member", "agency/treasury"),
        ("member", "agency/ustr"),
    ]


def test_shipped_coordination_bodies_pitf_chair_and_creator(graph):
    got = rows_of(graph, "coordination-bodies", {"body": "PITF"}, "relation", "related")
    # sheet: "the PITF has primary responsibility": it exists; ref: chaired by the Secretary of
    # State; created by TVPA section 105
    assert got[:4] == [
        ("status", "status/established"),
        ("chair", "agency/state"),
        ("created by", "provision/tvpa-s105"),
        ("created by", "statute/tvpa"),
    ]
    # ref: the twelve members named in 22 U.S.C. 7103 (State, USAID, AG, Labor, HHS, Defense,
    # DHS, Education, Commerce, Treasury, DNI, USTR)
    assert {r for r, in [(x[1],) for x in got[4:]]} == {
        "agency/state", "agency/usaid", "agency/doj", "agency/dol", "agency/hhs", "agency/dod",
        "agency/dhs", "agency/ed", "agency/doc", "agency/treasury", "agency/odni", "agency/ustr",
    }  # fmt: skip
    assert all(x[0] == "member" for x in got[4:]) and len(got) == 16


def test_shipped_timeline_december_2021(graph):
    got = rows_of(graph, "timeline", {"month": "2021-12"}, "date", "item")
    assert got == [
        ("2021-12", "initiative/doj-anti-trafficking-funding-2021"),  # "In December 2021, DOJ"
        (
            "2021-12",
            "initiative/doj-victim-housing-funding-2021",
        ),  # "This includes ... $15 million"
        ("2021-12", "initiative/usaid-ctip-policy-release"),  # "In December 2021, ... USAID"
        ("2021-12-03", "document/nap"),  # ref: released 2021-12-03
        ("2021-12-14", "document/usaid-ctip-policy"),  # sheet: "(Released Dec. 14, 2021)"
        ("2021-12-23", "statute/uflpa"),  # ref: enacted 2021-12-23
    ]


def test_shipped_timeline_is_in_date_order(graph):
    dates = [row[0] for row in rows_of(graph, "timeline", {}, "date")]
    assert dates == sorted(dates)
    assert dates[-1] == "2022-01-25"  # sheet: "On January 25, 2022, ... first meeting"


def test_shipped_planned_actions_2022(graph):
    got = rows_of(graph, "planned-actions", {"year": "2022"}, "initiative", "lead", "status")
    # sheet, closing sentence: "a snapshot of the Administration’s accomplishments from 2021 and
    # plans for 2022": every "will ..." of the four pillars, and the work that "will continue"
    # (DOT, Treasury; USTR "In 2022 ... will continue"), pillar by pillar, by label
    P, GO = "status/planned", "status/ongoing"
    assert got == [
        ("initiative/dol-investigator-training", "agency/dol", P),
        ("initiative/ed-school-webinars", "agency/ed", P),
        ("initiative/fletf-uflpa-enforcement-strategy", "body/fletf", P),
        ("initiative/hhs-task-force-focus-areas", "body/hhs-task-force", P),
        ("initiative/spog-visa-working-group-analysis", "body/spog-visa-working-group", P),
        ("initiative/usaid-ctip-policy-programming", "agency/usaid", P),
        ("initiative/dhs-victim-centered-approach", "agency/dhs", P),
        ("initiative/doj-hhs-standards-of-care", "agency/hhs", P),
        ("initiative/doj-hhs-standards-of-care", "agency/doj", P),
        ("initiative/spog-screening-best-practices", "body/spog-screening-working-group", P),
        ("initiative/state-federal-trauma-informed-interview-training", "agency/state", P),
        ("initiative/state-trauma-informed-online-training", "agency/state", P),
        # sheet: Prosecution, "In 2022, DOJ will release an intra-Departmental National Strategy"
        ("initiative/doj-national-strategy", "agency/doj", P),
        ("initiative/ic-law-enforcement-information-sharing", "agency/ic", P),
        # sheet: Prosecution, "In 2022, DOJ’s Office on Violence Against Women (OVW) will launch"
        ("initiative/ovw-law-enforcement-training-consortium", "agency/ovw", P),
        ("initiative/ovw-prosecution-ta-training", "agency/ovw", P),
        ("initiative/doc-forced-labor-supply-chain-guidance", "agency/doc", P),
        ("initiative/dot-blue-lightning-expansion", "agency/dot", P),
        ("initiative/dot-transportation-stakeholder-work", "agency/dot", GO),
        ("initiative/dot-tlaht-expansion", "agency/dot", P),
        ("initiative/dot-advisory-committee-reestablishment", "agency/dot", P),
        ("initiative/omb-federal-procurement-dialogue", "agency/omb", P),
        # sheet: Partnerships, "As announced ... in November 2021, ... will work with Canada and
        # Mexico to restart ...": announced in 2021, planned for 2022
        ("initiative/state-trilateral-working-group-restart", "agency/state", P),
        ("initiative/treasury-continued-engagement", "agency/treasury", GO),
        ("initiative/state-legal-migration-pathways", "agency/state", P),
        ("initiative/ustr-forced-labor-trade-strategy", "agency/ustr", GO),
    ]


def test_shipped_planned_actions_all(graph):
    got = {row[0] for row in rows_of(graph, "planned-actions", {}, "initiative")}
    # sheet: every "will ..." of the four pillars, and the ongoing work the sheet dates into 2022
    # ("will continue"); JTFA's ("is working") and DHS's investigations ("initiated") are not plans
    assert got == {
        f"initiative/{slug}"
        for slug in (
            "hhs-task-force-focus-areas", "spog-visa-working-group-analysis",
            "usaid-ctip-policy-programming", "dol-investigator-training", "ed-school-webinars",
            "fletf-uflpa-enforcement-strategy", "spog-screening-best-practices",
            "state-trauma-informed-online-training",
            "state-federal-trauma-informed-interview-training", "doj-hhs-standards-of-care",
            "dhs-victim-centered-approach", "doj-national-strategy",
            "ovw-law-enforcement-training-consortium", "ovw-prosecution-ta-training",
            "ic-law-enforcement-information-sharing", "dot-tlaht-expansion",
            "dot-blue-lightning-expansion", "dot-advisory-committee-reestablishment",
            "doc-forced-labor-supply-chain-guidance", "omb-federal-procurement-dialogue",
            "state-trilateral-working-group-restart", "state-legal-migration-pathways",
            "dot-transportation-stakeholder-work", "treasury-continued-engagement",
            "ustr-forced-labor-trade-strategy",
        )
    }  # fmt: skip


def test_shipped_funding(graph):
    got = rows_of(
        graph, "funding", {}, "initiative", "amountUSD", "qualifier", "partOf", "lead", "date"
    )
    assert got == [
        # sheet: Protection, "In December 2021, ... DOJ ... announced almost $87 million"
        (
            "initiative/doj-anti-trafficking-funding-2021",
            "87000000",
            "almost",
            None,
            "agency/doj",
            "2021-12",
        ),
        # sheet: "This includes approximately $15 million to provide safe, stable housing": part
        # of the $87 million, not $15 million more
        (
            "initiative/doj-victim-housing-funding-2021",
            "15000000",
            "approximately",
            "initiative/doj-anti-trafficking-funding-2021",
            "agency/doj",
            "2021-12",
        ),
    ]


def test_shipped_agencies_across_all_four_pillars(graph):
    got = rows_of(
        graph, "agencies-across-pillars", {"pillars": "4"}, "agency", "pillar", "role", "evidence"
    )
    assert got == [
        ("agency/dhs", "pillar/prevention", "lead", "initiative/dhs-senior-accountable-official"),
        ("agency/dhs", "pillar/protection", "lead", "initiative/dhs-victim-centered-approach"),
        (
            "agency/dhs",
            "pillar/prosecution",
            "lead",
            "initiative/dhs-forced-labor-shipment-detentions",
        ),
        (
            "agency/dhs",
            "pillar/prosecution",
            "lead",
            "initiative/dhs-forced-labor-criminal-investigations",
        ),
        ("agency/dhs", "pillar/prosecution", "partner", "initiative/doj-jtfa-launch"),
        # sheet: Partnerships, "the Blue Lightning Initiative" (ref: led by DOT and CBP)
        ("agency/dhs", "pillar/partnerships", "lead", "initiative/blue-lightning-initiative"),
        ("agency/dhs", "pillar/partnerships", "partner", "initiative/dot-blue-lightning-expansion"),
        ("agency/dhs", "pillar/partnerships", "partner", "initiative/treasury-gaming-training"),
    ]
    # DOJ: protection, prosecution, partnerships, not prevention; State: prevention (seafood
    # partner), protection, partnerships
    three = {r[0] for r in rows_of(graph, "agencies-across-pillars", {"pillars": "3"}, "agency")}
    assert three == {"agency/doj", "agency/state"}


def test_shipped_by_country_mexico(graph):
    got = rows_of(graph, "by-country", {"country": "Mexico"}, "relation", "evidence")
    assert got == [
        # sheet: Prosecution, JTFA "from Guatemala, El Salvador, Honduras, and Mexico"
        ("concerns", "initiative/doj-jtfa-launch"),
        ("concerns", "body/jtfa"),
        # sheet: Partnerships, State "will work with Canada and Mexico to restart the Trilateral
        # Working Group": the restart only, not the legal pathways that follow
        ("concerns", "initiative/state-trilateral-working-group-restart"),
        ("partner", "initiative/state-trilateral-working-group-restart"),
        ("concerns", "body/trilateral-working-group"),
    ]


def test_shipped_by_sector(graph):
    # sheet: Prevention, "forced labor in the seafood industry"
    assert rows_of(graph, "by-sector", {"sector": "seafood"}, "evidence", "lead") == [
        ("initiative/doc-seafood-coordination-group", "agency/doc")
    ]
    # sheet: Partnerships, "a training with DOJ and DHS on identifying human trafficking in the
    # gaming industry"
    assert rows_of(graph, "by-sector", {"sector": "gaming"}, "evidence", "lead") == [
        ("initiative/treasury-gaming-training", "agency/treasury")
    ]
    # sheet: Partnerships, "expand training program for aviation personnel under the Blue
    # Lightning Initiative": the programme (ref: led by DOT and CBP) and its expansion
    assert rows_of(graph, "by-sector", {"sector": "aviation"}, "evidence", "lead") == [
        ("initiative/blue-lightning-initiative", "agency/dot"),
        ("initiative/blue-lightning-initiative", "agency/cbp"),
        ("initiative/dot-blue-lightning-expansion", "agency/dot"),
    ]
    # sheet: Partnerships, USTR's "key stakeholders, such as labor organizations"
    assert rows_of(graph, "by-sector", {"sector": "labor organizations"}, "evidence", "lead") == [
        ("initiative/ustr-forced-labor-trade-strategy", "agency/ustr")
    ]


def test_shipped_initiatives_by_topic_forced_labor(graph):
    got = rows_of(graph, "initiatives-by-topic", {"topic": "forced labor"}, "evidence", "lead")
    assert got == FORCED_LABOR_OR_LABOR_TRAFFICKING


#: sheet: every bullet on "forced labor" or "labor trafficking", which the law relates (19 U.S.C.
#: 1307; 22 U.S.C. 7102(11)(B)), by label
FORCED_LABOR_OR_LABOR_TRAFFICKING = [
    ("initiative/doc-seafood-coordination-group", "agency/doc"),
    ("initiative/doc-forced-labor-supply-chain-guidance", "agency/doc"),
    ("initiative/dhs-forced-labor-shipment-detentions", "agency/dhs"),
    ("initiative/dhs-forced-labor-criminal-investigations", "agency/dhs"),
    # Protection: "research into the nature and causes of labor and sex trafficking"
    ("initiative/doj-anti-trafficking-funding-2021", "agency/doj"),
    # Prosecution: "measures aimed at countering emerging labor trafficking threats"
    ("initiative/doj-national-strategy", "agency/doj"),
    ("initiative/dol-investigator-training", "agency/dol"),
    ("initiative/fletf-uflpa-enforcement-strategy", "body/fletf"),
    ("body/fletf", "agency/dhs"),
    ("body/hhs-task-force", None),
    ("initiative/hhs-task-force-focus-areas", "body/hhs-task-force"),
    ("body/seafood-coordination-group", None),
    ("initiative/treasury-forced-labor-public-private-partnership", "agency/treasury"),
    ("initiative/ustr-forced-labor-trade-strategy", "agency/ustr"),
]


def test_shipped_initiatives_by_topic_labor_trafficking_follows_the_relation(graph):
    # before, "labor trafficking" found DOJ's two items only, none of the forced-labor work
    got = rows_of(graph, "initiatives-by-topic", {"topic": "labor trafficking"}, "evidence", "lead")
    assert got == FORCED_LABOR_OR_LABOR_TRAFFICKING


def test_shipped_affected_groups(graph):
    # sheet, introduction: "Human trafficking disproportionately impacts persons of color, women
    # and girls, LGBTQI+ individuals, migrants, and others from historically marginalized and
    # underserved communities."
    got = rows_of(graph, "affected-groups", {"topic": "human trafficking"}, "group")
    assert got == [
        ("group/lgbtqi-individuals",),
        ("group/marginalized-underserved-communities",),
        ("group/migrants",),
        ("group/persons-of-color",),
        ("group/women-and-girls",),
    ]


def test_shipped_documents_status(graph):
    got = {
        row[0]: row[1:]
        for row in rows_of(graph, "documents", {}, "document", "status", "issuedBy")
        if row[1] is not None
    }
    # sheet: "In 2022, DOJ will release": its issuer is to come, the status says so
    assert got["document/doj-national-strategy"] == ("status/planned", "agency/doj")
    # sheet: "DOC will develop training and guidance"; "will work to implement ... by developing
    # a strategy"; USTR "will continue to develop a trade strategy"; DOT's committee "to prepare
    # and submit a triennial ... report"
    assert got["document/doc-forced-labor-guidance"][0] == "status/planned"
    assert got["document/fletf-uflpa-enforcement-strategy"] == ("status/planned", "body/fletf")
    assert got["document/ustr-forced-labor-trade-strategy"][0] == "status/planned"
    assert got["document/dot-triennial-report"] == (
        "status/planned",
        "body/dot-advisory-committee",
    )
    # sheet: "In December 2021, ... USAID ... released its revised policy"
    assert got["document/usaid-ctip-policy"] == ("status/published", "agency/usaid")
    assert len(got) == 18  # every policy document has a status


def test_shipped_coordination_bodies_to_be_restarted(graph):
    # sheet: Partnerships, "will work with Canada and Mexico to restart the Trilateral Working
    # Group": it is to be restarted, under State's lead; nobody "created" it
    got = rows_of(
        graph, "coordination-bodies", {"body": "Trilateral Working Group"}, "relation", "related"
    )
    assert got == [("status", "status/planned"), ("to be restarted by", "agency/state")]
    # "DOT will also reestablish the Advisory Committee on Human Trafficking"
    got = rows_of(
        graph, "coordination-bodies", {"body": "DOT advisory committee"}, "relation", "related"
    )
    assert got == [
        ("status", "status/planned"),
        ("to be restarted by", "agency/dot"),
        ("part of", "agency/dot"),
    ]


FLETF_MEETINGS = (
    "The Task Force shall meet on a quarterly basis regarding active Withhold and Release "
    "Orders, ongoing investigations, petitions received, and enforcement priorities, and other "
    "relevant issues with respect to enforcing the prohibition under section 1307 of this title ."
)


def test_shipped_entity_profile_fletf(graph):
    result = run_query(graph, "entity-profile", {"entity": "FLETF"})
    tf = "https://w3id.org/tf-graph/ontology#"
    links = {
        (str(r["direction"]), str(r["property"])[len(tf) :], short(r["value"]))
        for r in result.rows
        if str(r["property"]).startswith(tf) and str(r["property"]) != tf + "quote"
    }
    assert links == {
        ("out", "chairedBy", "agency/dhs"),
        ("out", "establishedBy", "provision/usmca-implementation-act-s741"),
        ("out", "establishedBy", "eo/13923"),
        ("out", "addresses", "topic/forced-labor"),
        ("out", "status", "status/established"),
        ("out", "implements", "provision/tariff-act-1930-s307"),  # 19 U.S.C. 4681(a)
        ("out", "duty", FLETF_MEETINGS),  # 19 U.S.C. 4681(b)(2)
        ("in", "ledBy", "initiative/fletf-uflpa-enforcement-strategy"),
        ("in", "issuedBy", "document/fletf-uflpa-enforcement-strategy"),
        *{
            ("in", "memberOf", f"agency/{a}")
            for a in ("dhs", "ustr", "dol", "state", "treasury", "doj", "doc")
        },
    }


def test_shipped_agencies(graph):
    got = {
        row[0]: row[1:]
        for row in rows_of(graph, "agencies", {}, "agency", "parent", "leads", "partners")
    }
    # sheet bullets counted by hand: (leads, partners)
    assert got["agency/dhs"] == (None, "4", "3")
    assert got["agency/doj"] == (None, "5", "2")
    assert got["agency/state"] == (None, "4", "1")
    # DOT's four bullets, and the two programmes it will expand (ref: BLI led by DOT and CBP)
    assert got["agency/dot"] == (None, "6", "0")
    assert got["agency/cbp"] == ("agency/dhs", "1", "0")
    assert got["agency/treasury"] == (None, "4", "0")
    assert got["agency/fincen"] == ("agency/treasury", "1", "0")
    assert got["agency/ovw"] == ("agency/doj", "2", "0")
    assert got["agency/mmu"][0] == "agency/bia-ojs"
    assert got["agency/bia-ojs"][0] == "agency/bia"
    assert got["agency/bia"][0] == "agency/doi"
    assert got["agency/cbp"][0] == "agency/dhs"  # ref: CBP, a DHS component
    assert got["agency/state-tip"][0] == "agency/state"


def test_shipped_topics_hierarchy(graph):
    got = {row[0]: row[1] for row in rows_of(graph, "topics", {}, "topic", "broader")}
    assert got["topic/forced-labor"] == "topic/human-trafficking"
    assert got["topic/labor-trafficking"] == "topic/human-trafficking"
    assert got["topic/sex-trafficking"] == "topic/human-trafficking"
    assert got["topic/trauma-informed-care"] == "topic/victim-services"
    assert got["topic/domestic-violence"] == "topic/gender-based-violence"
    assert got["topic/human-trafficking"] is None


def test_shipped_documents_laws(graph):
    got = [
        r
        for r in rows_of(graph, "documents", {}, "document", "kind", "identifier", "date")
        if r[1] in ("statute", "executive order")
    ]
    assert got == [
        # sheet: Additional references, with their signing dates
        ("eo/13985", "executive order", "EO 13985", "2021-01-20"),
        ("eo/14020", "executive order", "EO 14020", "2021-03-08"),
        ("eo/13923", "executive order", "EO 13923", "2020-05-15"),  # ref: FLETF
        ("eo/14053", "executive order", "EO 14053", "2021-11-15"),
        ("statute/jvta-2015", "statute", "Pub. L. 114-22", "2015-05-29"),  # ref
        ("statute/tariff-act-1930", "statute", None, "1930"),
        ("statute/tvpa", "statute", "Pub. L. 106-386", "2000-10-28"),  # ref
        ("statute/tvpra-2003", "statute", "Pub. L. 108-193", "2003-12-19"),  # ref
        ("statute/usmca-implementation-act", "statute", None, None),
        ("statute/uflpa", "statute", "Pub. L. 117-78", "2021-12-23"),  # ref
    ]


def test_shipped_entities_names_of_dhs(graph):
    result = run_query(graph, "entities")
    names = {str(r["name"]) for r in result.rows if short(r["entity"]) == "agency/dhs"}
    assert {"Department of Homeland Security", "DHS", "Homeland Security"} <= names


def test_shipped_agency_topic_dhs_forced_labor(graph):
    """One row per initiative and role; "via" only where a component or a chaired body does
    the work (before: the agency's own rows, whose via is unbound, were repeated once per
    label of the graph, 1,355 rows)."""
    got = rows_of(graph, "agency-topic", {}, "initiative", "role", "via", "viaLabel")
    assert got == [
        # sheet: Prosecution, "DHS detained more shipments of goods ... made with forced labor"
        ("initiative/dhs-forced-labor-shipment-detentions", "lead", None, None),
        # sheet: Prosecution, DHS "initiated the first-ever criminal investigations ... forced
        # labor"
        ("initiative/dhs-forced-labor-criminal-investigations", "lead", None, None),
        # sheet: "The Forced Labor Enforcement Task Force, chaired by the Department of Homeland
        # Security"
        (
            "initiative/fletf-uflpa-enforcement-strategy", "lead", "body/fletf",
            "Forced Labor Enforcement Task Force",
        ),
    ]  # fmt: skip


def test_shipped_agency_topic_through_a_component(graph):
    got = rows_of(
        graph, "agency-topic", {"agency": "DOJ", "topic": "human trafficking"},
        "initiative", "role", "via",
    )  # fmt: skip
    assert got == [
        ("initiative/doj-anti-trafficking-funding-2021", "lead", None),
        ("initiative/doj-jtfa-launch", "lead", None),
        ("initiative/doj-national-strategy", "lead", None),
        ("initiative/dot-advisory-committee-reestablishment", "partner", None),
        # DOJ's own body (JTFA) and component (OVW): the via column names them
        ("initiative/jtfa-criminal-network-disruption", "lead", "body/jtfa"),
        ("initiative/ovw-law-enforcement-training-consortium", "lead", "agency/ovw"),
        ("initiative/ovw-prosecution-ta-training", "lead", "agency/ovw"),
        ("initiative/treasury-gaming-training", "partner", None),
    ]

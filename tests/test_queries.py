"""The query catalogue and run_query: headers, parameters, user files, portability, formats.

Unit tests run on a small crafted graph; the portability test runs every named query on the
shipped graph three ways (rdflib bindings, Oxigraph substitution, a remote store's trailing
VALUES) and requires the same rows.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.query import Result

from tf_graph.errors import InputFileError, QueryError, UnknownEntityError
from tf_graph.queries import (
    Param,
    find_query,
    list_queries,
    parse_header,
    parse_month,
    run_query,
)
from tf_graph.results import render

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
        parseQuery(text)  # every named query is valid SPARQL 1.1
        assert "ORDER BY" in text, f"{spec.name} must be ordered to be deterministic"
        select = text[text.index("SELECT") : text.index("WHERE")]
        for param in spec.params:
            assert param.meaning, (spec.name, param.name)
            # Oxigraph substitutes only variables of the SELECT clause
            assert f"?{param.name}" in select.split(), (spec.name, param.name)


def test_header_parsing_of_params(tmp_path):
    text = (
        "# title: T\n# description: D (with parentheses)\n"
        "# param: topic - the topic (e.g. forced labor) (default: forced labor)\n"
        "# param: year - a year (default: any)\n"
        "# param: entity - anything\n"
        "SELECT * WHERE { ?s ?p ?o }\n"
    )
    spec = parse_header(text, tmp_path / "t.rq")
    assert spec.title == "T" and spec.description == "D (with parentheses)"
    assert spec.params == (
        Param("topic", "the topic (e.g. forced labor)", "forced labor"),
        Param("year", "a year", "any"),
        Param("entity", "anything", None),
    )
    assert [p.required for p in spec.params] == [False, False, True]
    assert [p.optional for p in spec.params] == [False, True, False]


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
    with pytest.raises(UnknownEntityError, match=r"unknown topic 'Example Unit'"):
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


def test_table_shows_labels_not_iris(crafted):
    text = render(run_query(crafted, "agencies-by-topic", {"topic": "broad topic"}), "table")
    assert "Example Unit" in text and TFR not in text
    header = text.splitlines()[0].split()
    assert header == ["agency", "role", "via", "evidence", "quote", "topic"]
    assert text.rstrip().endswith("(7 rows)")


def test_markdown_escapes_pipes(tmp_path):
    graph = Graph()
    graph.parse(
        data=PREFIXES + 'initiative:x a tf:Initiative ; rdfs:label "a | b"@en ; tf:amountUSD 5 .',
        format="turtle",
    )
    text = render(run_query(graph, "funding"), "md")
    lines = text.splitlines()
    assert lines[0] == "| initiative | amountUSD | qualifier | lead | date | quote |"
    assert "[a \\| b](https://w3id.org/tf-graph/id/initiative/x)" in lines[2]
    assert lines[2].count(" | ") == 5


def test_unknown_format(crafted):
    with pytest.raises(QueryError, match="unknown format 'xml'"):
        render(run_query(crafted, "funding"), "xml")


# --- portability: the same rows on rdflib, Oxigraph and a remote store ----------------------

#: each named query with parameters that exercise it
PORTABILITY_CASES = [
    ("agencies-by-topic", {}),
    ("agencies-by-topic", {"topic": "human trafficking"}),
    ("initiatives-by-topic", {"topic": "forced labor"}),
    ("initiatives-by-pillar", {"pillar": "prevention"}),
    ("initiatives-by-agency", {"agency": "DOJ"}),
    ("agency-partners", {"agency": "DHS"}),
    ("law-implementers", {"law": "Tariff Act of 1930"}),
    ("coordination-bodies", {"body": "FLETF"}),
    ("timeline", {"year": "2021"}),
    ("timeline", {"month": "2021-12"}),
    ("planned-actions", {}),
    ("planned-actions", {"year": "2022"}),
    ("funding", {}),
    ("agencies-across-pillars", {"pillars": "4"}),
    ("agencies-across-pillars", {"pillars": "1"}),
    ("by-country", {"country": "Mexico"}),
    ("by-sector", {"sector": "seafood"}),
    ("entity-profile", {"entity": "FLETF"}),
    ("agencies", {}),
    ("topics", {}),
    ("documents", {}),
]


@pytest.fixture(scope="module")
def oxigraph(graph) -> Graph:
    pytest.importorskip("oxrdflib")
    store = Graph(store="Oxigraph")
    for triple in graph:
        store.add(triple)
    return store


def trailing_values(text: str, bindings: dict) -> str:
    """What rdflib's SPARQLStore sends a remote endpoint: the bindings as a final VALUES."""
    names = " ".join(f"?{n}" for n in bindings)
    values = " ".join(term.n3() for term in bindings.values())
    return f"{text}\nVALUES ( {names} ) {{ ( {values} ) }}\n"


@pytest.mark.parametrize(("name", "params"), PORTABILITY_CASES)
def test_same_rows_on_every_backend(graph, oxigraph, name, params):
    reference = run_query(graph, name, params)
    assert reference.rows, f"{name} {params} should find something on the shipped graph"
    on_oxigraph = run_query(oxigraph, name, params)
    assert on_oxigraph.rows == reference.rows
    if reference.bindings:
        remote = graph.query(trailing_values(reference.sparql, reference.bindings))
        rows = [{str(v): row[i] for i, v in enumerate(remote.vars)} for row in remote]
        assert rows == reference.rows

"""Validation: shapes, quotes against the source text, dangling links, labels; the report."""

from __future__ import annotations

import json

import pytest
from rdflib import RDF, Graph, Literal
from rdflib.plugins.sparql import prepareQuery

from tf_graph import resources
from tf_graph.build.loading import new_graph
from tf_graph.build.validation import compact, quote_findings, validate
from tf_graph.errors import TfGraphError
from tf_graph.namespaces import TF

PREFIXES = """
@prefix tf: <https://w3id.org/tf-graph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix agency: <https://w3id.org/tf-graph/id/agency/> .
@prefix initiative: <https://w3id.org/tf-graph/id/initiative/> .
@prefix source: <https://w3id.org/tf-graph/id/source/> .
@prefix ex: <https://example.org/> .
"""
#: a small ontology: one class of ours below tf:Agency, to see sh:class follow rdfs:subClassOf
ONTOLOGY = (
    PREFIXES
    + """
tf:Agency a owl:Class ; rdfs:label "Agency" .
tf:Initiative a owl:Class ; rdfs:label "Initiative" .
ex:Bureau a owl:Class ; rdfs:subClassOf tf:Agency .
"""
)
SHAPES = (
    PREFIXES
    + """
ex:InitiativeShape a sh:NodeShape ;
  sh:targetClass tf:Initiative ;
  sh:property [ sh:path tf:ledBy ; sh:minCount 1 ; sh:class tf:Agency ] ;
  sh:property [ sh:path rdfs:comment ; sh:minCount 1 ; sh:severity sh:Warning ] .
"""
)
#: a valid little graph: quotes taken from the shipped fact sheet (typographic apostrophe)
GOOD = (
    PREFIXES
    + """
source:fs a tf:SourceDocument ; rdfs:label "Fact sheet" ;
  tf:localCopy "sources/pitf-fact-sheet-2022-01-25.md" .
agency:dhs a tf:Agency ; rdfs:label "Department of Homeland Security" .
agency:bureau a ex:Bureau ; rdfs:label "A bureau" .
initiative:meeting a tf:Initiative ; rdfs:label "First PITF meeting" ; rdfs:comment "x" ;
  tf:ledBy agency:dhs, agency:bureau ;
  tf:quote \"\"\"the Biden-Harris Administration convened its first
      meeting of the President’s   Interagency Task Force\"\"\" ;
  prov:wasDerivedFrom source:fs .
"""
)
MEETING = "https://w3id.org/tf-graph/id/initiative/meeting"


def check(extra: str = "", *, base: str = GOOD, **options):
    graph = new_graph().parse(data=base + extra, format="turtle")
    shapes = Graph().parse(data=SHAPES, format="turtle")
    ontology = Graph().parse(data=ONTOLOGY, format="turtle")
    return validate(graph, shapes=shapes, ontology=ontology, **options)


def findings_of(report, rule):
    return [f for f in report.findings if f.rule == rule]


def test_clean_graph_has_no_findings_and_says_what_it_checked():
    report = check()
    assert report.findings == []
    assert report.conforms
    assert report.quotes_checked == 1
    assert report.sources_read == [str(resources.source_document().resolve())]
    assert report.to_text().startswith("Valid: no problems found")
    assert "1 quotes checked against 1 source text(s)" in report.to_text()


def test_tampered_quote_is_caught_and_named():
    tampered = GOOD.replace("its first", "its second")
    report = check(base=tampered)
    [finding] = report.findings
    assert finding.rule == "quote"
    assert finding.resource == MEETING
    assert finding.label == "First PITF meeting"
    assert "its second" in finding.value
    assert finding.message.startswith("not found in the text of Fact sheet")
    assert "convened its'" in finding.message  # where the quote stops matching
    text = report.to_text()
    assert f"First PITF meeting  <{MEETING}>" in text
    assert "convened its second meeting" in text
    assert not report.conforms


def test_straight_apostrophe_is_not_the_sources_typographic_one():
    report = check(base=GOOD.replace("President’s", "President's"))
    [finding] = report.findings
    assert finding.rule == "quote"
    assert "matches up to" in finding.message and "President'" in finding.message


def test_quote_without_source_and_source_without_copy_are_reported():
    report = check(
        """
        initiative:orphan a tf:Initiative ; rdfs:label "Orphan" ; rdfs:comment "x" ;
          tf:ledBy agency:dhs ; tf:quote "anything" .
        initiative:elsewhere a tf:Initiative ; rdfs:label "Elsewhere" ; rdfs:comment "x" ;
          tf:ledBy agency:dhs ; tf:quote "anything" ; prov:wasDerivedFrom source:memo .
        source:memo a tf:SourceDocument ; rdfs:label "A memo" .
        source:lost a tf:SourceDocument ; rdfs:label "Lost" ; tf:localCopy "sources/lost.md" .
        initiative:lost a tf:Initiative ; rdfs:label "Lost one" ; rdfs:comment "x" ;
          tf:ledBy agency:dhs ; tf:quote "anything" ; prov:wasDerivedFrom source:lost .
        """
    )
    by_resource = {iri.rsplit("/", 1)[-1]: found for iri, _, found in report.by_resource()}
    assert set(by_resource) == {"orphan", "elsewhere", "memo", "lost"}
    assert "no prov:wasDerivedFrom" in by_resource["orphan"][0].message
    assert "source is unavailable" in by_resource["elsewhere"][0].message
    assert by_resource["memo"][0].rule == "source-text"
    assert "has no tf:localCopy" in by_resource["memo"][0].message
    # the source "lost" and the initiative "lost" share a slug but not an IRI
    lost = [f for iri, _, fs in report.by_resource() if iri.endswith("lost") for f in fs]
    assert {f.rule for f in lost} == {"source-text", "quote"}
    missing = next(f for f in lost if f.rule == "source-text")
    assert "local copy not found" in missing.message and "sources/lost.md" in missing.message


def test_local_copy_is_also_looked_for_in_the_users_folders(tmp_path):
    (tmp_path / "memo.md").write_text(
        "---\ntitle: x\n---\nThe *agency* will [act](http://x) now.\n"
    )
    extra = """
        source:memo a tf:SourceDocument ; rdfs:label "A memo" ; tf:localCopy "memo.md" .
        initiative:act a tf:Initiative ; rdfs:label "Act" ; rdfs:comment "x" ;
          tf:ledBy agency:dhs ; tf:quote "The agency will act now." ;
          prov:wasDerivedFrom source:memo .
        """
    assert findings_of(check(extra), "source-text")  # not in data/: unavailable
    report = check(extra, source_dirs=[tmp_path])
    assert report.findings == []
    assert report.quotes_checked == 2
    assert str((tmp_path / "memo.md").resolve()) in report.sources_read


def test_dangling_links_are_caught():
    report = check(
        """
        agency:typed-only a tf:Agency .
        initiative:meeting tf:partner agency:ghost, agency:typed-only .
        """
    )
    dangling = {f.value: f for f in findings_of(report, "dangling-link")}
    assert set(dangling) == {"agency:ghost", "agency:typed-only"}
    ghost = dangling["agency:ghost"]
    assert (ghost.resource, ghost.property) == (MEETING, "tf:partner")
    assert ghost.message == "links to agency:ghost, which has no rdf:type and no rdfs:label"
    assert dangling["agency:typed-only"].message.endswith("which has no rdfs:label")


def test_resources_without_exactly_one_label_are_caught():
    report = check(
        """
        agency:nameless a tf:Agency .
        agency:twice a tf:Agency ; rdfs:label "Twice", "Two times" .
        ex:users-own a tf:Agency .
        """
    )
    labels = {f.resource.rsplit("/", 1)[-1]: f.message for f in findings_of(report, "label")}
    assert labels == {
        "nameless": "has no rdfs:label",
        "twice": "has 2 rdfs:label values (needs one)",
        "users-own": "has no rdfs:label",
    }


def test_sub_organization_cycles_are_warned_of_and_deep_chains_are_not():
    # the closure rules follow any number of links, so a long chain is fine; a cycle is not
    chain = "".join(
        f'agency:level{n} a tf:Agency ; rdfs:label "Level {n}" ; '
        f"org:subOrganizationOf agency:level{n - 1} .\n"
        for n in range(1, 7)
    )
    head = "@prefix org: <http://www.w3.org/ns/org#> .\n"
    deep = check(head + 'agency:level0 a tf:Agency ; rdfs:label "Level 0" .\n' + chain)
    assert findings_of(deep, "part-of-cycle") == []
    looped = check(
        head
        + 'agency:level0 a tf:Agency ; rdfs:label "Level 0" ; '
        + "org:subOrganizationOf agency:level6 .\n"
        + chain
    )
    found = findings_of(looped, "part-of-cycle")
    assert len(found) == 7  # every agency on the cycle
    first = min(found, key=lambda f: f.resource)
    assert (first.resource.rsplit("/", 1)[-1], first.value) == ("level0", "agency:level6")
    assert first.severity == "warning" and looped.conforms
    assert first.message == (
        "is below itself by org:subOrganizationOf links (through agency:level6); "
        "the derived closures count each resource on the cycle as part of every other"
    )


def test_section_and_topic_cycles_are_warned_of():
    sections = "".join(
        f"<https://example.org/s{n}> dcterms:isPartOf <https://example.org/s{(n + 1) % 3}> .\n"
        for n in range(3)
    )
    report = check(
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        + sections
        + "<https://example.org/t> skos:broader <https://example.org/t> .\n"
    )
    found = {(f.resource, f.property) for f in findings_of(report, "part-of-cycle")}
    assert found == {
        ("https://example.org/s0", "dcterms:isPartOf"),
        ("https://example.org/s1", "dcterms:isPartOf"),
        ("https://example.org/s2", "dcterms:isPartOf"),
        ("https://example.org/t", "skos:broader"),
    }


def test_shacl_results_become_findings_and_sh_class_follows_subclasses():
    report = check(
        """
        initiative:leaderless a tf:Initiative ; rdfs:label "Leaderless" ; rdfs:comment "x" .
        ex:topic a ex:Thing ; rdfs:label "Not an agency" .
        initiative:meeting tf:ledBy ex:topic .
        """
    )
    shacl = {(f.resource.rsplit("/", 1)[-1], f.rule): f for f in report.findings}
    assert set(shacl) == {("leaderless", "shacl/MinCount"), ("meeting", "shacl/Class")}
    wrong = shacl[("meeting", "shacl/Class")]
    assert (wrong.property, wrong.value) == ("tf:ledBy", "<https://example.org/topic>")
    assert shacl[("leaderless", "shacl/MinCount")].property == "tf:ledBy"
    # agency:bureau is an ex:Bureau, a subclass of tf:Agency in the ontology: no finding for it


def test_warnings_are_reported_but_do_not_fail():
    report = check(base=GOOD.replace('rdfs:comment "x" ;', ""))
    [finding] = report.findings
    assert (finding.severity, finding.rule) == ("warning", "shacl/MinCount")
    assert report.conforms
    assert "(warning)" in report.to_text()


def test_report_groups_findings_by_resource_text_and_json():
    report = check(
        """
        initiative:meeting tf:partner agency:ghost ; rdfs:label "Second label" .
        agency:nameless a tf:Agency .
        """
    )
    groups = report.by_resource()
    assert [iri.rsplit("/", 1)[-1] for iri, _, _ in groups] == ["nameless", "meeting"]
    meeting = dict((iri, found) for iri, _, found in groups)[MEETING]
    assert {f.rule for f in meeting} == {"dangling-link", "label"}
    text = report.to_text()
    assert text.count(f"<{MEETING}>") == 1
    block = text.split(f"<{MEETING}>")[1].split("\n\n")[0]
    assert "[dangling-link] tf:partner = agency:ghost" in block
    assert "[label] rdfs:label: has 2 rdfs:label values" in block
    assert text.endswith(
        "Invalid: 3 violation(s), 0 warning(s) in 2 resource(s) "
        "(17 triples, 1 quotes checked against 1 source text(s), 0 fact(s) without words from "
        "a shipped source)."
    )
    data = json.loads(report.to_json())
    assert data["conforms"] is False and data["violations"] == 3
    assert [r["resource"] for r in data["resources"]] == [iri for iri, _, _ in groups]
    assert {f["rule"] for f in data["resources"][1]["findings"]} == {"dangling-link", "label"}


def test_compact_writes_our_iris_as_prefixed_names():
    text = "Less than 1 values on <https://w3id.org/tf-graph/id/agency/dhs>->" + str(TF.ledBy)
    assert compact(text) == "Less than 1 values on agency:dhs->tf:ledBy"
    assert compact("<https://example.org/x>") == "<https://example.org/x>"


# --- the shipped graph ----------------------------------------------------------------------


def test_shipped_graph_validates_clean(graph, shipped_validation):
    report = shipped_validation
    assert report.to_text().startswith("Valid: no problems found"), report.to_text()
    assert report.findings == []
    quotes = graph.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{TF.quote}> ?q }}")
    assert report.quotes_checked == int(next(iter(quotes))[0]) >= 30
    # the fact sheet and every law text: each shipped source is quoted at least once
    shipped = {resources.source_document()} | set(
        (resources.data_dir() / "sources/law").glob("*-*.md")
    )
    assert sorted(report.sources_read) == sorted(str(p.resolve()) for p in shipped)
    assert len(report.sources_read) == 11


def test_tampered_quote_in_shipped_graph_is_caught(graph):
    copy = new_graph()
    for triple in graph:
        copy.add(triple)
    subject, quote = sorted(copy.subject_objects(TF.quote))[0]
    copy.remove((subject, TF.quote, quote))
    copy.add((subject, TF.quote, Literal(str(quote) + " and more")))
    findings, checked, _ = quote_findings(copy, [resources.data_dir()])
    [finding] = findings
    assert (finding.resource, finding.value) == (str(subject), str(quote) + " and more")
    assert checked == len(set(graph.subject_objects(TF.quote)))


@pytest.mark.parametrize(
    "name",
    [
        "dangling-links",
        "label-count",
        "quotes",
        "part-of-cycle",
        "plans",
        "unsourced-facts",
        "shared-alias",
    ],
)
def test_qa_queries_are_documented(name):
    text = (resources.queries_dir() / "qa" / f"{name}.rq").read_text()
    assert text.startswith("# title: ")
    assert "\n# description: " in text
    assert prepareQuery(text).algebra is not None  # parses


def test_broken_shapes_give_one_line_error():
    broken = SHAPES.replace("sh:minCount 1 ; sh:class", 'sh:minCount "many" ; sh:class')
    graph = new_graph().parse(data=GOOD, format="turtle")
    with pytest.raises(TfGraphError, match="SHACL validation failed: .*sh:minCount") as info:
        validate(graph, shapes=Graph().parse(data=broken, format="turtle"), ontology=Graph())
    assert "\n" not in str(info.value)


# --- what the data says: kinds of error the audit of the fact sheet found (issue 15) ----------

STATUSES = """
@prefix status: <https://w3id.org/tf-graph/id/status/> .
@prefix document: <https://w3id.org/tf-graph/id/document/> .
@prefix body: <https://w3id.org/tf-graph/id/body/> .
@prefix eo: <https://w3id.org/tf-graph/id/eo/> .
@prefix statement: <https://w3id.org/tf-graph/id/statement/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
status:planned a ex:Status ; rdfs:label "planned" .
status:published a ex:Status ; rdfs:label "published" .
source:fs tf:date "2022-01-25"^^xsd:date .
"""
#: sheet, Prosecution: "In 2022, DOJ will release an intra-Departmental National Strategy"
PLANNED = """
initiative:strategy a tf:Initiative ; rdfs:label "DOJ releases a National Strategy" ;
  rdfs:comment "x" ; tf:ledBy agency:dhs ; tf:status status:planned ;
  tf:produces document:strategy ;
  tf:quote "In 2022, DOJ will release an intra-Departmental National Strategy" ;
  prov:wasDerivedFrom source:fs .
document:strategy a tf:PolicyDocument ; rdfs:label "National Strategy" ;
  tf:issuedBy agency:dhs .
"""


def rows_of(report, rule):
    return sorted(
        (f.resource.rsplit("/", 1)[-1], f.property, f.value) for f in findings_of(report, rule)
    )


def test_plans_that_read_as_done_are_caught():
    # a present-tense label and a planned document with an issuer but no status: both read as
    # done; with "will" in the label and the document's status, nothing is left
    report = check(STATUSES + PLANNED)
    assert rows_of(report, "plan") == [
        ("strategy", "rdfs:label", "DOJ releases a National Strategy"),
        ("strategy", "tf:status", None),
    ]
    assert not report.conforms
    # the wording is a warning (a word test), the missing status a violation
    assert {f.property: f.severity for f in findings_of(report, "plan")} == {
        "rdfs:label": "warning",
        "tf:status": "violation",
    }
    assert 'its label does not say "will"' in report.to_text()
    fixed = PLANNED.replace("DOJ releases", "DOJ will release").replace(
        "tf:issuedBy agency:dhs .", "tf:issuedBy agency:dhs ; tf:status status:planned ."
    )
    assert findings_of(check(STATUSES + fixed), "plan") == []
    # what a planned initiative produces cannot be out already
    published = fixed.replace("tf:status status:planned .", "tf:status status:published .")
    assert rows_of(check(STATUSES + published), "plan") == [
        ("strategy", "tf:status", "status:published")
    ]


def test_a_plan_dated_by_its_announcement_is_caught():
    # sheet, Partnerships: "As announced at the North American Leaders’ Summit in November 2021,
    # ... will work with Canada and Mexico to restart the Trilateral Working Group": the plan is
    # for 2022 (closing sentence), 2021-11 is when it was announced
    plan = PLANNED.replace("DOJ releases", "DOJ will release").replace(
        "tf:issuedBy agency:dhs .", "tf:issuedBy agency:dhs ; tf:status status:planned ."
    )
    dated = plan.replace(
        "tf:status status:planned ;\n  tf:produces",
        'tf:status status:planned ; tf:date "2021-11"^^xsd:gYearMonth ;\n  tf:produces',
    )
    assert rows_of(check(STATUSES + dated), "plan") == [("strategy", "tf:date", "2021-11")]
    for later in ('"2022"^^xsd:gYear', '"2022-01"^^xsd:gYearMonth', '"2022-03-01"^^xsd:date'):
        fine = dated.replace('"2021-11"^^xsd:gYearMonth', later)
        assert findings_of(check(STATUSES + fine), "plan") == [], later


ORDER = """
eo:13985 a tf:ExecutiveOrder ; rdfs:label "Advancing Racial Equity" ;
  tf:issuedBy agency:dhs .
"""


def test_an_outside_fact_without_its_own_source_is_caught():
    # the sheet lists "Executive Order 13985" but never says who issued it
    report = check(STATUSES + ORDER)
    assert rows_of(report, "unsourced-fact") == [("13985", "tf:issuedBy", "agency:dhs")]
    assert not report.conforms
    # a statement about that very triple, with its source, cites it
    cited = """
statement:eo-13985-issuer a ex:Statement ; rdfs:label "issuer of EO 13985" ;
  rdf:subject eo:13985 ; rdf:predicate tf:issuedBy ; rdf:object agency:dhs ;
  prov:wasDerivedFrom source:fs .
"""
    assert findings_of(check(STATUSES + ORDER + cited), "unsourced-fact") == []
    # so does an outside statement: no words, a reference's web address
    reference = cited.replace("prov:wasDerivedFrom source:fs", "dcterms:source ex:federal-register")
    assert findings_of(check(STATUSES + ORDER + reference), "unsourced-fact") == []
    # a statement about another fact does not
    other = cited.replace("rdf:object agency:dhs", "rdf:object agency:bureau")
    assert len(findings_of(check(STATUSES + ORDER + other), "unsourced-fact")) == 1
    # nor does a membership or a Wikidata link go unnoticed
    member = "agency:bureau tf:memberOf agency:dhs . agency:dhs owl:sameAs ex:Q11231 ."
    assert rows_of(check(STATUSES + member), "unsourced-fact") == [
        ("bureau", "tf:memberOf", "agency:dhs"),
        ("dhs", "owl:sameAs", "<https://example.org/Q11231>"),
    ]


def test_a_name_of_a_part_that_names_its_whole_is_caught():
    # "the Tariff Act" on section 307 made `show "Tariff Act"` open the section
    laws = """
ex:act a ex:Law ; rdfs:label "Tariff Act of 1930" .
ex:s307 a ex:Law ; rdfs:label "Section 307 of the Tariff Act of 1930" ;
  skos:altLabel "the Tariff Act" , "section 307" ; dcterms:isPartOf ex:act .
ex:office a ex:Office ; rdfs:label "Office of Justice Services" ; skos:altLabel "OJS" ;
  org:subOrganizationOf ex:bureau .
ex:bureau a ex:Office ; rdfs:label "Bureau of Indian Affairs" ; skos:altLabel "BIA" .
"""
    report = check(STATUSES + laws)
    assert rows_of(report, "shared-alias") == [("s307", "skos:altLabel", "the Tariff Act")]
    assert "a user typing it means the whole" in report.to_text()
    moved = laws.replace('"the Tariff Act" , ', "").replace(
        'rdfs:label "Tariff Act of 1930" .',
        'rdfs:label "Tariff Act of 1930" ; skos:altLabel "the Tariff Act" .',
    )
    assert findings_of(check(STATUSES + moved), "shared-alias") == []


def test_pyshacl_parses_each_constraint_text_once(memory_graph, monkeypatch):
    """pyshacl sends tfsh:StatementAsserted's text once per statement: each distinct text is
    parsed once (validation.prepared_queries), and rdflib's processor is restored after."""
    from collections import Counter

    from rdflib.plugins.sparql import processor

    from tf_graph.build import validation
    from tf_graph.engines import rdflib_parse

    rdflib_parse.forget()  # (kept parses of earlier tests)
    parsed: Counter = Counter()
    parse = processor.parseQuery

    def counting(text):
        parsed[text] += 1
        return parse(text)

    monkeypatch.setattr(processor, "parseQuery", counting)
    statements = sum(1 for _ in memory_graph.subjects(RDF.type, TF.Statement))
    assert statements > 50
    query = processor.SPARQLProcessor.query
    findings = validation.pyshacl_findings(
        memory_graph, validation.shipped_shapes(), validation.shipped_ontology()
    )
    assert [f for f in findings if f.severity == "violation"] == []
    assert parsed and max(parsed.values()) == 1
    assert processor.SPARQLProcessor.query is query

"""The law texts as sources (issue 14): their structure, the facts quoted from them, the checks.

Expected rows are written by hand from the texts in data/sources/law/, each naming its
subdivision.
"""

from __future__ import annotations

import shutil

import pytest
from rdflib import RDF, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, RDFS, SKOS

from tf_graph import resources
from tf_graph.build import lawtext
from tf_graph.build.export import FORMATS, export_graph
from tf_graph.build.loading import load_files, new_graph
from tf_graph.build.validation import validate
from tf_graph.errors import InputFileError
from tf_graph.namespaces import TF, TFR
from tf_graph.questions.profile import format_profile, profile
from tf_graph.questions.run import run_query

LAW = f"{TFR}law/"
B7103 = (
    "The President shall appoint the members of the Task Force, which shall include the "
    "Secretary of State, the Administrator of the United States Agency for International "
    "Development, the Attorney General, the Secretary of Labor, the Secretary of Health and "
    "Human Services, the Director of National Intelligence, the Secretary of Defense, the "
    "Secretary of Homeland Security, the Secretary of Education, the Secretary of Commerce, the "
    "Secretary of the Treasury, the United States Trade Representative, and such other officials "
    "as may be designated by the President."
)

PROHIBITION = (
    "All goods, wares, articles, and merchandise mined, produced, or manufactured wholly or in "
    "part in any foreign country by convict labor or/and forced labor or/and indentured labor "
    "under penal sanctions shall not be entitled to entry at any of the ports of the United "
    "States, and the importation thereof is hereby prohibited"
)


def facts(graph, subject=None, predicate=None, obj=None) -> set[tuple[str, str, str, str, str]]:
    """(subject, predicate, object, citation of the locator, quote) of each quoted statement."""
    rows = set()
    for statement in graph.subjects(RDF.type, TF.Statement):
        s, p, o = (graph.value(statement, x) for x in (RDF.subject, RDF.predicate, RDF.object))
        if any(
            want is not None and got != want
            for want, got in zip((subject, predicate, obj), (s, p, o), strict=True)
        ):
            continue
        quote = graph.value(statement, TF.quote)
        if quote is None:
            continue
        locator = graph.value(statement, TF.locator)
        citation = graph.value(locator, RDFS.label)
        assert (s, p, o) in graph, statement  # the fact is asserted, not only described
        short = [str(x).removeprefix(str(TFR)).removeprefix(str(TF)) for x in (s, p, o)]
        rows.add((*short, str(citation), str(quote)))
    return rows


# --- the generated structure ----------------------------------------------------------------


def test_generated_structure_is_what_the_generator_makes_of_the_texts():
    committed = lawtext.output_path().read_text(encoding="utf-8")
    assert lawtext.generate() == committed


def test_every_source_is_treated_alike(tmp_path):
    """A law file dropped into a folder becomes a source with its structure, like any other."""
    shutil.copy(resources.data_dir() / "sources/law/19-usc-1307.md", tmp_path / "19-usc-1307.md")
    graph = new_graph()
    graph.parse(data=lawtext.generate(tmp_path), format="turtle")
    source = TFR["source/19-usc-1307"]
    assert (source, RDF.type, TF.SourceDocument) in graph
    assert str(graph.value(source, TF.localCopy)) == "sources/law/19-usc-1307.md"
    section = TFR["law/usc/19/1307"]
    assert graph.value(section, PROV.wasDerivedFrom) == source
    assert str(graph.value(section, TF.text)).startswith("All goods, wares, articles")


def test_a_law_file_without_its_header_is_refused(tmp_path):
    (tmp_path / "19-usc-1.md").write_text("# 19 U.S.C. 1\nsource: x\n\n# Title 19— X\n")
    with pytest.raises(InputFileError, match=r"19-usc-1\.md: the header has no 'retrieved from:'"):
        lawtext.law_files(tmp_path)
    (tmp_path / "19-usc-1.md").write_text("no title\n")
    with pytest.raises(InputFileError, match=r"19-usc-1\.md: line 1: a law file starts with"):
        lawtext.law_files(tmp_path)


def test_structure_of_22_usc_7103(graph):
    section = URIRef(f"{LAW}usc/22/7103")
    parts = [str(p).rsplit("/", 1)[-1] for p in graph.objects(section, TF.text)]
    assert parts == []  # the section's words are all in its subsections
    rows = run_query(graph, "law-text", {"law": "22 U.S.C. 7103(g)"}).rows
    assert [(str(r["citation"]), str(r["heading"] or "")) for r in rows] == [
        ("22 U.S.C. 7103(g)", "Senior Policy Operating Group"),
        ("22 U.S.C. 7103(g)(1)", "Establishment"),
        ("22 U.S.C. 7103(g)(2)", "Membership; related matters"),
        ("22 U.S.C. 7103(g)(2)(A)", "In general"),
        ("22 U.S.C. 7103(g)(2)(B)", "Chairperson"),
        ("22 U.S.C. 7103(g)(2)(C)", "Meetings"),
        ("22 U.S.C. 7103(g)(3)", "Duties"),
        ("22 U.S.C. 7103(g)(4)", "Availability of information"),
        ("22 U.S.C. 7103(g)(5)", "Regulations"),
    ]
    # (d)(7)(I) and (V) are subparagraphs after (H) and (U), not Roman subclauses
    assert (URIRef(f"{LAW}usc/22/7103/d/7/i"), TF.within, URIRef(f"{LAW}usc/22/7103/d/7")) in graph
    assert (URIRef(f"{LAW}usc/22/7103/d/7/v/iii"), TF.within, section) in graph


def test_show_prints_the_words_of_a_subsection(graph):
    text = format_profile(profile(graph, "22 U.S.C. 7103(c)"))
    assert text.splitlines()[0] == "22 U.S.C. 7103(c)"
    assert text.endswith(
        "Text:\n  Chairman\n      The Task Force shall be chaired by the Secretary of State.\n"
    )


def test_show_prints_a_section_subsection_by_subsection(graph):
    lines = format_profile(profile(graph, "22 U.S.C. 7103")).splitlines()
    text = lines[lines.index("Text:") + 1 :]
    assert text[:6] == [
        "  Interagency Task Force to Monitor and Combat Trafficking",
        "    (a) Establishment",
        "        The President shall establish an Interagency Task Force to Monitor and Combat "
        "Trafficking.",
        "    (b) Appointment",
        f"        {B7103}",
        "    (c) Chairman",
    ]
    heads = [line.strip() for line in text if line.startswith("    (")]
    assert heads == [
        "(a) Establishment",
        "(b) Appointment",
        "(c) Chairman",
        "(d) Activities of the Task Force",
        "(e) Office To Monitor and Combat Trafficking",
        "(f) Regional strategies for combating trafficking in persons",
        "(g) Senior Policy Operating Group",
    ]
    assert "      (1) Coordinate the implementation of this chapter." in text


# --- facts quoted from the law ----------------------------------------------------------------


def test_pitf_chair_and_members(graph):
    assert facts(graph, TFR["body/pitf"], TF.chairedBy) == {
        (
            "body/pitf",
            "chairedBy",
            "agency/state",
            "22 U.S.C. 7103(c)",
            "The Task Force shall be chaired by the Secretary of State.",
        )
    }
    members = facts(graph, None, TF.memberOf, TFR["body/pitf"])
    # 22 U.S.C. 7103(b): State, USAID, Attorney General, Labor, HHS, DNI, Defense, Homeland
    # Security, Education, Commerce, Treasury, USTR
    assert {row[0] for row in members} == {
        "agency/state", "agency/usaid", "agency/doj", "agency/dol", "agency/hhs", "agency/odni",
        "agency/dod", "agency/dhs", "agency/ed", "agency/doc", "agency/treasury", "agency/ustr",
    }  # fmt: skip
    assert {row[3:] for row in members} == {("22 U.S.C. 7103(b)", B7103)}


def test_spog_and_fletf_chairs(graph):
    assert facts(graph, TFR["body/spog"], TF.chairedBy) == {
        (
            "body/spog",
            "chairedBy",
            "agency/state-tip",
            "22 U.S.C. 7103(g)(2)(B)",
            "The Operating Group shall be chaired by the Director of the Office to Monitor and "
            "Combat Trafficking of the Department of State.",
        )
    }
    (row,) = facts(graph, TFR["body/fletf"], TF.chairedBy)
    assert row[:4] == ("body/fletf", "chairedBy", "agency/dhs", "19 U.S.C. 4681(b)(1)")
    assert row[4].startswith(
        "The Task Force shall be chaired by the Secretary of Homeland Security"
    )
    members = facts(graph, None, TF.memberOf, TFR["body/fletf"])
    assert {r[0] for r in members} == {"agency/dhs", "agency/ustr", "agency/dol"}


def test_section_1307_prohibition(graph):
    assert facts(graph, TFR["provision/tariff-act-1930-s307"], TF.prohibits) == {
        (
            "provision/tariff-act-1930-s307",
            "prohibits",
            PROHIBITION,
            "19 U.S.C. 1307",
            PROHIBITION,
        )
    }


def test_definitions_query(graph):
    rows = run_query(graph, "definitions", {}).rows
    found = {
        str(r["topicLabel"]): (str(r["citation"]), str(r["definition"]))
        for r in rows
        if r["citation"] is not None
    }
    assert found["commercial sex act"] == (
        "22 U.S.C. 7102(4)",
        "The term “commercial sex act” means any sex act on account of which anything of value "
        "is given to or received by any person.",
    )
    assert found["coercion"] == (
        "22 U.S.C. 7102(3)",
        "The term “coercion” means (A) threats of serious harm to or physical restraint against "
        "any person; (B) any scheme, plan, or pattern intended to cause a person to believe that "
        "failure to perform an act would result in serious harm to or physical restraint against "
        "any person; or (C) the abuse or threatened abuse of the legal process.",
    )
    assert found["debt bondage"][0] == "22 U.S.C. 7102(7)"
    assert found["debt bondage"][1].startswith(
        "The term “debt bondage” means the status or condition of a debtor arising from a pledge"
    )
    assert found["involuntary servitude"][0] == "22 U.S.C. 7102(8)"
    assert found["sex trafficking"][0] == "22 U.S.C. 7102(12)"
    assert found["sex trafficking"][1].startswith(
        "The term “sex trafficking” means the recruitment, harboring, transportation, provision,"
    )
    assert found["severe forms of trafficking in persons"][0] == "22 U.S.C. 7102(11)"
    assert found["forced labor"] == (
        "19 U.S.C. 1307",
        "“Forced labor”, as herein used, shall mean all work or service which is exacted from "
        "any person under the menace of any penalty for its nonperformance and for which the "
        "worker does not offer himself voluntarily.",
    )
    assert len(found) == 7
    for row in rows:  # each definition is the skos:definition of its topic
        assert (row["topic"], SKOS.definition, row["definition"]) in graph


# --- checks ---------------------------------------------------------------------------------


def test_wrong_source_uncited_source_and_unasserted_fact_fail(graph):
    copy = new_graph()
    for triple in graph:
        copy.add(triple)
    chair = TFR["statement/pitf-chaired-by-state"]
    sheet = TFR["source/pitf-fact-sheet-2022-01-25"]
    # 1. the law's words, attributed to the fact sheet
    copy.set((chair, PROV.wasDerivedFrom, sheet))
    # 2. 22 U.S.C. 7101 quoted by nobody (its two statements: the purposes, the sex trade)
    for quoting in ("tvpa-addresses-human-trafficking", "tvpa-addresses-sex-trafficking"):
        copy.remove((TFR[f"statement/{quoting}"], None, None))
    # 3. a statement whose fact is not asserted
    copy.remove((TFR["body/spog"], TF.chairedBy, TFR["agency/state-tip"]))
    report = validate(copy)
    found = {(f.resource, f.rule): f.message for f in report.findings}
    assert found[(str(chair), "quote")] == (
        "not found in the text of FACT SHEET: President’s Interagency Task Force to Monitor and "
        "Combat Trafficking in Persons, the source it names; it is in the text of 22 U.S.C. 7103 "
        "— Interagency Task Force to Monitor and Combat Trafficking (shipped text)"
    )
    assert found[(str(TFR["source/22-usc-7101"]), "uncited-source")].startswith(
        "no fact quotes this source"
    )
    spog = TFR["statement/spog-chaired-by-state-tip"]
    assert "is not asserted as a plain triple" in found[(str(spog), "shacl/SPARQL")]
    assert not report.conforms


def test_validate_counts_facts_without_words_from_a_shipped_source(graph, shipped_validation):
    report = shipped_validation
    outside = {
        s for s in graph.subjects(RDF.type, TF.Statement) if (s, TF.quote, None) not in graph
    }
    # where the Acts are codified (the U.S. Code texts do not say), who leads the Blue
    # Lightning Initiative (DOT and CBP) and who enforces section 307 (CBP): the reference
    # facts, not the sheet
    assert {str(s).rsplit("/", 1)[1] for s in outside if "blue-lightning" in str(s)} == {
        "blue-lightning-initiative-led-by-dot",
        "blue-lightning-initiative-led-by-cbp",
    }
    assert TFR["statement/cbp-enforces-tariff-act-1930-s307"] in outside
    assert len(outside) == 9
    assert report.outside_facts >= len(outside)
    assert f"{report.outside_facts} fact(s) without words from a shipped source" in (
        report.to_text()
    )


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_statute_structure_round_trips_through_every_format(graph, tmp_path, fmt):
    law = new_graph()
    for part in [
        URIRef(f"{LAW}usc/22/7103"),
        *graph.subjects(TF.within, URIRef(f"{LAW}usc/22/7103")),
    ]:
        for triple in graph.triples((part, None, None)):
            law.add(triple)
    for act, _, section in graph.triples((None, TF.codifiedAt, URIRef(f"{LAW}usc/22/7103"))):
        law.add((act, TF.codifiedAt, section))  # TVPA section 105, with its type and label
        law += graph.triples((act, RDF.type, None))
        law += graph.triples((act, RDFS.label, None))
    path = tmp_path / f"out{FORMATS[fmt].suffix}"
    export_graph(law, fmt, path)
    text = path.read_text(encoding="utf-8")
    if fmt in ("ttl", "nt", "jsonld", "trig"):
        assert isomorphic(load_files([path]), law)
    else:  # the network and table formats: the Code's sections the data links to, as nodes
        assert "22 U.S.C. 7103" in text
        assert "TVPA section 105" in text  # tf:codifiedAt, its link to the Code
        assert "7103(g)(2)(B)" not in text  # the subdivisions are the section's words
    assert Literal("The Task Force shall be chaired by the Secretary of State.") in set(
        law.objects(URIRef(f"{LAW}usc/22/7103/c"), TF.text)
    )


def test_show_gives_each_fact_its_source_place_and_words(graph):
    found = profile(graph, "SPOG")
    chair = [e for e in found.evidence if " chaired by " in e.fact]
    assert [(e.fact, e.where, e.quote) for e in chair] == [
        (
            "Senior Policy Operating Group chaired by Office to Monitor and Combat Trafficking "
            "in Persons",
            "22 U.S.C. 7103(g)(2)(B)",
            "The Operating Group shall be chaired by the Director of the Office to Monitor and "
            "Combat Trafficking of the Department of State.",
        )
    ]
    text = format_profile(found)
    assert (
        "      22 U.S.C. 7103(g)(1): “There shall be established within the executive branch a "
        "Senior Policy Operating Group.”" in text.splitlines()
    )
    # the statements are the evidence, not links in
    assert "← subject" not in text and "← object" not in text
    outside = [e for e in profile(graph, "TVPA section 105").evidence if not e.quote]
    assert [(e.fact, e.reference) for e in outside] == [
        (
            "TVPA section 105 codified at 22 U.S.C. 7103",
            "https://www.law.cornell.edu/uscode/text/22/7103",
        )
    ]


def test_coordination_bodies_show_the_laws_words(graph):
    rows = run_query(graph, "coordination-bodies", {"body": "SPOG"}).rows
    got = {
        (str(r["relation"]), str(r["related"]).removeprefix(str(TFR)), str(r["lawCitation"]))
        for r in rows
        if r["lawCitation"] is not None
    }
    assert got == {
        ("chair", "agency/state-tip", "22 U.S.C. 7103(g)(2)(B)"),
        ("created by", "provision/tvpa-s105", "22 U.S.C. 7103(g)(1)"),
    }
    # the FLETF's members: the law names DHS (its chair), USTR and Labor (19 U.S.C. 4681(b)(1));
    # State, Treasury, Justice and Commerce are outside facts, with no law's words
    rows = run_query(graph, "coordination-bodies", {"body": "FLETF"}).rows
    members = {
        str(r["related"]).removeprefix(f"{TFR}agency/"): (
            str(r["lawCitation"]) if r["lawCitation"] is not None else None
        )
        for r in rows
        if str(r["relation"]) == "member"
    }
    assert members == {
        "dhs": "19 U.S.C. 4681(b)(1)",
        "ustr": "19 U.S.C. 4681(b)(1)",
        "dol": "19 U.S.C. 4681(b)(1)",
        "state": None,
        "treasury": None,
        "doj": None,
        "doc": None,
    }


def test_law_implementers_show_the_laws_words(graph):
    rows = run_query(graph, "law-implementers", {"law": "TVPA"}).rows
    got = [
        (
            str(r["relation"]),
            str(r["evidence"]).removeprefix(str(TFR)),
            str(r["lawCitation"]) if r["lawCitation"] is not None else None,
            str(r["lawWords"]) if r["lawWords"] is not None else None,
        )
        for r in rows
    ]
    assert got == [
        (
            "implements",
            "body/pitf",
            "22 U.S.C. 7103(d)(1)",
            "The Task Force shall carry out the following activities: (1) Coordinate the "
            "implementation of this chapter.",
        ),
        ("established under", "body/pitf", None, None),  # the TVPA itself: the fact sheet's
        (
            "established under",
            "body/pitf",
            "22 U.S.C. 7103(a)",
            "The President shall establish an Interagency Task Force to Monitor and Combat "
            "Trafficking.",
        ),
        (
            "established under",
            "body/spog",
            "22 U.S.C. 7103(g)(1)",
            "There shall be established within the executive branch a Senior Policy Operating "
            "Group.",
        ),
    ]

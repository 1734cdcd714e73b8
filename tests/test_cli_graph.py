"""The validate, stats and export commands: good input, bad input, exit codes, messages."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from rdflib.compare import isomorphic
from support import assert_one_line_error

from tf_graph import resources
from tf_graph.build.loading import load_files
from tf_graph.build.projection import to_networkx
from tf_graph.build.rules import stated_triples

PREFIXES = """@prefix tf: <https://w3id.org/tf-graph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix agency: <https://w3id.org/tf-graph/id/agency/> .
@prefix pillar: <https://w3id.org/tf-graph/id/pillar/> .
@prefix status: <https://w3id.org/tf-graph/id/status/> .
@prefix source: <https://w3id.org/tf-graph/id/source/> .
@prefix ex: <https://example.org/mine/> .
"""
#: a user's initiative with a lead nobody defined and a quote that is not in the fact sheet
BAD_INITIATIVE = (
    PREFIXES
    + """
ex:bad-initiative a tf:Initiative ;
  rdfs:label "My bad initiative"@en ;
  tf:ledBy agency:no-such-agency ;
  tf:pillar pillar:prevention ;
  tf:status status:planned ;
  tf:quote "The Task Force will end all trafficking by Tuesday." ;
  prov:wasDerivedFrom source:pitf-fact-sheet-2022-01-25 .
"""
)
#: a user's well-formed initiative whose source is the user's own notes file
GOOD_INITIATIVE = (
    PREFIXES
    + """
ex:notes a tf:SourceDocument ; rdfs:label "My field notes"@en ; tf:localCopy "notes.md" ;
  <https://schema.org/url> <https://example.org/notes> ;
  tf:date "2022-02-01"^^<http://www.w3.org/2001/XMLSchema#date> .
ex:good-initiative a tf:Initiative ;
  rdfs:label "DHS will train local partners"@en ;
  tf:ledBy agency:dhs ;
  tf:pillar pillar:prevention ;
  tf:status status:planned ;
  tf:quote "DHS will train   local partners." ;
  prov:wasDerivedFrom ex:notes .
"""
)


def write(folder, name, text):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# --- validate ---------------------------------------------------------------------------------


def test_validate_shipped_graph_is_clean(run):
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Valid: no problems found")


def test_validate_users_bad_initiative_exits_1_and_names_it(run, tmp_path):
    path = write(tmp_path, "mine.ttl", BAD_INITIATIVE)
    result = run("validate", "--data", str(path))
    assert result.exit_code == 1, result.output
    text = result.stdout
    assert "My bad initiative  <https://example.org/mine/bad-initiative>" in text
    block = text.split("<https://example.org/mine/bad-initiative>")[1].split("\n\n")[0]
    assert '[quote] tf:quote = "The Task Force will end all trafficking by Tuesday."' in block
    assert "not found in the text of FACT SHEET: President’s Interagency Task Force" in block
    # the dangling lead: found by the shapes (or, if they stop checking it, by the QA query)
    assert "tf:ledBy = agency:no-such-agency" in block and "dangling" in block
    assert "tf:ledBy must point to an agency or coordination body" in block  # range shape
    assert text.rstrip().splitlines()[-1].startswith("Invalid: ")
    # only the user's resource is at fault: the shipped graph stays clean
    assert text.count("  <") == 1


def test_validate_users_bad_initiative_json(run, tmp_path):
    path = write(tmp_path, "mine.ttl", BAD_INITIATIVE)
    result = run("validate", "--data", str(path), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["conforms"] is False
    [resource] = data["resources"]
    assert resource["resource"] == "https://example.org/mine/bad-initiative"
    assert resource["label"] == "My bad initiative"
    assert data["checked"]["quotes"] >= 31  # the shipped quotes and the user's
    quote = next(f for f in resource["findings"] if f["rule"] == "quote")
    assert quote["value"] == "The Task Force will end all trafficking by Tuesday."
    assert quote["property"] == "tf:quote"
    assert any(f["value"] == "agency:no-such-agency" for f in resource["findings"])


def test_validate_finds_users_sources_beside_their_file_and_in_cwd(run, tmp_path, monkeypatch):
    folder = tmp_path / "mine"
    folder.mkdir()
    second = GOOD_INITIATIVE.replace("ex:notes", "ex:memo").replace('"notes.md"', '"memo.md"')
    second = second.replace("ex:good-initiative", "ex:other-initiative")
    second = second.replace("My field notes", "My memo").replace("My good", "My other")
    mine = write(folder, "mine.ttl", GOOD_INITIATIVE)
    other = write(folder, "other.ttl", second)
    write(folder, "notes.md", "# Notes\n\nDHS will train\nlocal partners.\n")  # beside
    write(tmp_path, "memo.md", "DHS will *train* local partners.\n")  # in the CWD
    monkeypatch.chdir(tmp_path)
    result = run("validate", "--data", str(mine), "--data", str(other), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["resources"] == []
    law = sorted(p.name for p in (resources.data_dir() / "sources/law").glob("*-*.md"))
    assert len(law) == 10  # the shipped law texts, each quoted by the shipped data
    assert sorted(Path(p).name for p in data["checked"]["sources"]) == sorted(
        ["memo.md", "notes.md", "pitf-fact-sheet-2022-01-25.md", *law]
    )


# --- stats ------------------------------------------------------------------------------------


def test_stats_text_and_top(run, graph):
    result = run("stats", "--top", "3")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    net = to_networkx(graph)
    assert lines[0] == (
        f"{stated_triples(graph):,} triples; projection: {net.number_of_nodes():,} resources, "
        f"{net.number_of_edges():,} links"
    )
    degree_at = lines.index("Most connected agencies by degree (links in and out)")
    assert [line[:5] for line in lines[degree_at + 1 : degree_at + 4]] == [
        "   1.",
        "   2.",
        "   3.",
    ]
    assert lines[degree_at + 4] == ""


def test_stats_json_matches_projection(run, graph):
    result = run("stats", "--format", "json", "--top", "2")
    data = json.loads(result.stdout)
    net = to_networkx(graph)
    assert (data["nodes"], data["edges"]) == (net.number_of_nodes(), net.number_of_edges())
    assert len(data["by_degree"]) == len(data["by_betweenness"]) == 2
    top = data["by_degree"][0]
    assert top["score"] == net.degree(top["iri"])


def test_stats_counts_users_additions(run, graph, tmp_path):
    path = write(tmp_path, "mine.ttl", BAD_INITIATIVE)
    before = json.loads(run("stats", "--format", "json").stdout)
    after = json.loads(run("stats", "--format", "json", "--data", str(path)).stdout)
    assert after["classes"]["Initiative"] == before["classes"]["Initiative"] + 1
    assert after["triples"] == before["triples"] + 7


def test_stats_rejects_bad_top(run):
    result = run("stats", "--top", "0")
    assert result.exit_code == 2
    assert "Invalid value for '--top'" in result.stderr


# --- export -----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "trig"])
def test_export_rdf_round_trip(run, graph, tmp_path, fmt):
    out = tmp_path / f"graph.{fmt}"
    result = run("export", "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"wrote {out} (")
    assert f"{len(graph):,} triples" in result.stdout
    assert isomorphic(graph, load_files([out]))


def test_export_gexf_reports_nodes_and_edges(run, graph, tmp_path):
    out = tmp_path / "graph.gexf"
    result = run("export", "--format", "gexf", "-o", str(out))
    net = to_networkx(graph)
    assert f"GEXF: {net.number_of_nodes():,} nodes, {net.number_of_edges():,} edges" in (
        result.stdout
    )
    assert nx.read_gexf(out).number_of_nodes() == net.number_of_nodes()


def test_export_includes_users_data(run, tmp_path):
    path = write(tmp_path, "mine.ttl", BAD_INITIATIVE)
    out = tmp_path / "edges.csv"
    result = run("export", "--format", "csv", "-o", str(out), "--data", str(path))
    assert result.exit_code == 0, result.output
    assert "https://example.org/mine/bad-initiative,My bad initiative," in out.read_text()


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["validate"], ["stats"], ["export", "--format", "ttl"]])
def test_missing_data_file(run, tmp_path, command):
    out = tmp_path / "out.ttl"
    extra = ["-o", str(out)] if command[0] == "export" else []
    result = run(*command, *extra, "--data", str(tmp_path / "nope.ttl"))
    assert_one_line_error(result, "nope.ttl: no such file")
    assert not out.exists()


@pytest.mark.parametrize("command", [["validate"], ["stats"], ["export", "--format", "nt"]])
def test_malformed_turtle_names_file_and_line(run, tmp_path, command):
    bad = write(tmp_path, "bad.ttl", "@prefix a: <http://a/> .\na:b a:c a:d .\na:x a:y .\n")
    extra = ["-o", str(tmp_path / "out.nt")] if command[0] == "export" else []
    result = run(*command, *extra, "--data", str(bad))
    assert_one_line_error(result, f"{bad}:3:")
    assert not (tmp_path / "out.nt").exists()


def test_unknown_export_format(run, tmp_path):
    result = run("export", "--format", "xls", "-o", str(tmp_path / "x.xls"))
    assert result.exit_code == 2
    assert "Invalid value for '-f' / '--format': 'xls' is not one of" in result.stderr
    assert not (tmp_path / "x.xls").exists()


def test_unknown_output_format_for_reports(run):
    result = run("validate", "--format", "yaml")
    assert result.exit_code == 2
    assert "Invalid value for '-f' / '--format'" in result.stderr


def test_export_requires_output(run):
    result = run("export", "--format", "ttl")
    assert result.exit_code == 2
    assert "Missing option '-o' / '--output'" in result.stderr


def test_unwritable_output_path(run, tmp_path):
    out = tmp_path / "missing-folder" / "graph.ttl"
    result = run("export", "--format", "ttl", "-o", str(out))
    assert_one_line_error(result, f"{out}: cannot write: folder", "does not exist")
    assert list(tmp_path.iterdir()) == []


def test_existing_output_overwritten_only_on_success(run, tmp_path):
    out = write(tmp_path, "graph.ttl", "previous export")
    bad = write(tmp_path, "bad.ttl", "this is not turtle\n")
    failed = run("export", "--format", "ttl", "-o", str(out), "--data", str(bad))
    assert failed.exit_code == 2
    assert out.read_text() == "previous export"
    done = run("export", "--format", "ttl", "-o", str(out))
    assert done.exit_code == 0
    assert out.read_text().startswith("@prefix")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.ttl", "graph.ttl"]


@pytest.mark.parametrize("command", ["validate", "stats", "export"])
def test_help_has_an_example(run, command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert f"tf-graph {command}" in result.stdout
    assert "--data" in result.stdout
